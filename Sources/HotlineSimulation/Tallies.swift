/// Counts of one interval of the day (a half-hour unless asked otherwise), summed over the simulated
/// days after the warm-up (calls by arrival time).
package struct IntervalTally: Sendable, Equatable {
    package var offered = 0
    package var answered = 0
    package var answeredInTime = 0
    package var abandoned = 0
    package var waitSum = 0.0
    /// Operator-seconds staffed and busy in this interval.
    package var staffed = 0.0
    package var busy = 0.0
}

/// What happened at one unit's duty lines and to its cases.
package struct UnitTally: Sendable, Equatable {
    /// Line-seconds the unit's duty lines were in a call, and line-seconds they were in force.
    package var lineBusy = 0.0
    package var lineCapacity = 0.0
    package var conferenceAttempts = 0
    package var conferenceLineBusy = 0
    package var conferenceNoAnswer = 0
    package var conferenceOnSpot = 0
    package var conferenceCannotAnswer = 0
    package var dispatchCalls = 0
    package var dispatchLineBusy = 0
    package var notifications = 0
    package var notificationLineBusy = 0
    package var casesReceived = 0
    package var casesOverdue = 0
    package var supervisions = 0
    package var accountability = 0
}

/// What happened to cases.
package struct CaseTally: Sendable, Equatable {
    package var registered = 0
    package var phoneDispatched = 0
    package var workOrders = 0
    package var referred = 0
    package var escalated = 0
    package var government = 0
    package var closed = 0
    package var repliedOnTime = 0
    package var repliedLate = 0
    package var extensions = 0
    package var supervisions = 0
    package var accountability = 0
    package var missedSignFor = 0
    package var callbacks = 0
    package var satisfied = 0
    package var basicallySatisfied = 0
    package var dissatisfied = 0
    package var upwardReports = 0
    package var openAtEnd = 0
    /// Transitions the routing core refused (a bug in the simulator's facts if ever non-zero).
    package var refused = 0
}

/// The result of one replication: streaming counts, no per-call records.
package struct ReplicationResult: Sendable, Equatable {
    package var offered = 0
    package var answered = 0
    package var answeredInTime = 0
    package var abandoned = 0
    package var callbackOffersTaken = 0
    package var retrials = 0
    /// Sum of queue waits of all offered calls (abandoners until they hung up), and of answered calls.
    package var waitAll = 0.0
    package var waitAnswered = 0.0
    package var busy = 0.0
    package var staffed = 0.0
    package var events = 0
    /// Calls by how the operator settled them (indexed like `Outcome`).
    package var outcomes = [Int](repeating: 0, count: Outcome.allCases.count)
    package var satisfactionCallbacks = 0
    package var missedCallCallbacks = 0
    /// Per interval of the day (`SimulationPlan.intervalLength`), summed over the days after the warm-up.
    package var intervals: [IntervalTally] = []
    package var units: [UnitTally]
    package var cases = CaseTally()

    init(units: Int) { self.units = [UnitTally](repeating: UnitTally(), count: units) }
}

/// How a call ended, as the routing core decided it.
package enum Outcome: String, CaseIterable, Sendable {
    case direct
    case threePartySettled = "three_party_settled"
    case phoneDispatch = "phone_dispatch"
    case workOrder = "work_order"
    case referral
    case escalation
    case government

    /// The position in `allCases` (without building the array).
    var index: Int {
        switch self {
        case .direct: 0
        case .threePartySettled: 1
        case .phoneDispatch: 2
        case .workOrder: 3
        case .referral: 4
        case .escalation: 5
        case .government: 6
        }
    }
}
