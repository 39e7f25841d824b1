package import HotlineCore

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
}

/// What happened to cases beyond the figures of `CaseLedger`: the centre's own steps, and checks.
package struct CaseCounts: Sendable, Equatable {
    /// Cases opened after the start (the warm-up's are left out).
    package var opened = 0
    /// Art. 10(6): upward reports made, and levels reported after their limit.
    package var upwardReports = 0
    package var upwardReportsLate = 0
    /// Art. 8: government decisions that came after their limit.
    package var decisionsLate = 0
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
    package var cases = CaseCounts()
    /// Every case's figures, per unit and per month, and the evidence of Art. 13.
    package var ledger: CaseLedger

    init(units: Int, ledger: CaseLedger) {
        self.units = [UnitTally](repeating: UnitTally(), count: units)
        self.ledger = ledger
    }
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
    /// Art. 10(10): a call about a case still open, joined to it.
    case repeatCall = "repeat_call"

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
        case .repeatCall: 7
        }
    }
}
