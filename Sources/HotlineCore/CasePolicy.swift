/// The limits of one deadline class (Art. 10(3), 10(7), 10(8)): the centre sets them.
package struct DeadlineClass: Hashable, Sendable, Identifiable {
    package var id: DeadlineClassID
    /// The unit must sign for (签收) a dispatched case within this limit.
    package var signFor: TimeLimit
    /// Art. 10(7): the unit contacts the caller "immediately"; this is how the centre measures it.
    package var firstContact: TimeLimit
    /// Art. 10(8): the unit replies to the caller and reports the result within this limit.
    package var reply: TimeLimit
    /// Emergency classes jump the operator queue and open Art. 11 joint handling.
    package var isEmergency: Bool
    /// A unit returns a case that is not its own (退单) within this limit of receiving it; the sign-for
    /// limit unless set (NUMBERS.md: 1 working day, 2 for a complex matter).
    package var returnWithin: TimeLimit

    package init(
        id: DeadlineClassID,
        signFor: TimeLimit,
        firstContact: TimeLimit,
        reply: TimeLimit,
        isEmergency: Bool = false,
        returnWithin: TimeLimit? = nil
    ) {
        self.id = id
        self.signFor = signFor
        self.firstContact = firstContact
        self.reply = reply
        self.isEmergency = isEmergency
        self.returnWithin = returnWithin ?? signFor
    }
}

/// The deadlines of a case, computed when it is registered or re-opened.
package struct CaseDeadlines: Hashable, Codable, Sendable {
    package var signFor: Instant
    package var firstContact: Instant
    package var reply: Instant
    /// True when a deadline crossed a year the working-day calendar does not cover.
    package var isAssumed: Bool
}

/// Which escalated matters a level of the upward chain receives (Art. 10(6): "per national, provincial
/// and city rules").
package enum EscalationThreshold: String, Hashable, Sendable, CaseIterable {
    /// Every major or urgent matter the centre escalates.
    case all
    /// Only matters the operator judged major (重大): deaths, wide impact, Art. 4(5).
    case major
}

/// A step of the Art. 10(6) upward reporting chain.
package struct EscalationStep: Hashable, Sendable {
    /// Who receives the report ("市政府总值班室", "省政府总值班室").
    package var to: String
    /// How long after the call the report is due.
    package var within: TimeLimit
    /// Which matters go to this level; a level is reported only after the levels below it.
    package var when: EscalationThreshold

    package init(to: String, within: TimeLimit, when: EscalationThreshold = .all) {
        self.to = to
        self.within = within
        self.when = when
    }
}

/// The centre's case-handling policy: deadline classes and the limits of the workflow.
package struct CasePolicy: Hashable, Sendable {
    package var classes: [DeadlineClassID: DeadlineClass]
    /// Art. 10(8): the length of the one extension a unit may be granted.
    package var extensionLimit: TimeLimit
    /// Art. 10(9): the new limit a supervision sets.
    package var supervisionLimit: TimeLimit
    /// Art. 13: a unit supervised this many times on a case and still not handling it is reported.
    package var accountabilityAfterSupervisions: Int
    /// Art. 10(10): the satisfaction callback is made within this limit after the reply (next working day).
    package var callbackWithin: TimeLimit
    /// Returns of a wrongly dispatched case (退单) after which the centre designates the unit (Art. 3).
    package var maxReturns: Int
    /// Art. 8: how long the proposal to, and decision by, the city government take.
    package var governmentDecisionWithin: TimeLimit
    /// Art. 10(6): the upward reporting chain of major or urgent matters.
    package var escalationChain: [EscalationStep]
    /// Art. 10(11): the unit files its closure report within this limit of the result standing.
    package var closureReportWithin: TimeLimit
    /// Art. 11: units called to joint handling arrive within this limit of the dispatch.
    package var attendanceWithin: TimeLimit
    /// Art. 12: the lead unit of an escalated matter reports what it found within this limit.
    package var informationWithin: TimeLimit

    package init(
        classes: [DeadlineClass],
        extensionLimit: TimeLimit = .workingDays(5),
        supervisionLimit: TimeLimit = .workingDays(3),
        accountabilityAfterSupervisions: Int = 2,
        callbackWithin: TimeLimit = .workingDays(1),
        maxReturns: Int = 3,
        governmentDecisionWithin: TimeLimit = .workingDays(5),
        escalationChain: [EscalationStep] = [],
        closureReportWithin: TimeLimit = .workingDays(3),
        attendanceWithin: TimeLimit = .wall(seconds: 7200),
        informationWithin: TimeLimit = .wall(seconds: 3600)
    ) {
        self.classes = Dictionary(classes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.extensionLimit = extensionLimit
        self.supervisionLimit = supervisionLimit
        self.accountabilityAfterSupervisions = accountabilityAfterSupervisions
        self.callbackWithin = callbackWithin
        self.maxReturns = maxReturns
        self.governmentDecisionWithin = governmentDecisionWithin
        self.escalationChain = escalationChain
        self.closureReportWithin = closureReportWithin
        self.attendanceWithin = attendanceWithin
        self.informationWithin = informationWithin
    }

    /// The defaults of `NUMBERS.md`: emergency, outage, urgent, general and complex classes.
    package static let standard = CasePolicy(classes: [
        DeadlineClass(
            id: "emergency",
            signFor: .wall(seconds: 900),
            firstContact: .wall(seconds: 1800),
            reply: .wall(seconds: 7200),
            isEmergency: true
        ),
        DeadlineClass(
            id: "outage",
            signFor: .wall(seconds: 1800),
            firstContact: .wall(seconds: 3600),
            reply: .wall(seconds: 86_400)
        ),
        DeadlineClass(id: "urgent", signFor: .workingDays(1), firstContact: .workingDays(1), reply: .workingDays(3)),
        DeadlineClass(id: "general", signFor: .workingDays(1), firstContact: .workingDays(1), reply: .workingDays(5)),
        DeadlineClass(
            id: "complex", signFor: .workingDays(1), firstContact: .workingDays(2), reply: .workingDays(15),
            returnWithin: .workingDays(2)),
    ])

    /// The deadlines of a case of class `id` registered at `time`; `nil` for an unknown class.
    package func deadlines(for id: DeadlineClassID, from time: Instant, calendar: WorkingCalendar) -> CaseDeadlines? {
        guard let c = classes[id] else { return nil }
        let s = calendar.deadline(from: time, limit: c.signFor)
        let f = calendar.deadline(from: time, limit: c.firstContact)
        let r = calendar.deadline(from: time, limit: c.reply)
        return CaseDeadlines(
            signFor: s.at,
            firstContact: f.at,
            reply: r.at,
            isAssumed: s.isAssumed || f.isAssumed || r.isAssumed
        )
    }
}

/// The rules a case event is checked against: the centre's policy, the working-day calendar, and the
/// network directory (Art. 7: to whom a case may be handed on; Art. 13: who is held to account).
package struct CaseRules: Sendable {
    package var policy: CasePolicy
    package var calendar: WorkingCalendar
    package var directory: Directory

    package init(policy: CasePolicy, calendar: WorkingCalendar, directory: Directory) {
        self.policy = policy
        self.calendar = calendar
        self.directory = directory
    }
}
