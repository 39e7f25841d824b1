/// The identifier of a case (a work-order number).
package struct CaseID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package var rawValue: String
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }
    package var description: String { rawValue }
    package static func < (a: CaseID, b: CaseID) -> Bool { a.rawValue < b.rawValue }
}

/// Where a case stands in the workflow of Art. 10(7)–(11) and 13.
package enum CaseState: String, Hashable, Codable, Sendable, CaseIterable {
    /// Art. 8: no clear owner; waiting for the city government's decision.
    case awaitingDecision = "awaiting_decision"
    /// Art. 10(3), 10(4): registered (and, for a work order, filed) but not yet handed to a unit.
    case registered
    /// Art. 7: handed to a unit (or handed on to a tier-3 unit), not yet signed for.
    case dispatched
    /// The unit signed for it (签收).
    case signedFor = "signed_for"
    /// Art. 10(7): the unit has contacted the caller.
    case callerContacted = "caller_contacted"
    /// Art. 10(8), 10(10): the unit replied to the caller and reported the result; the callback is due.
    case replied
    /// Art. 10(10): the caller was dissatisfied at the callback; the unit must follow up.
    case dissatisfied
    /// The result stands (satisfied, or a promise or explanation after dissatisfaction); closure report due.
    case accepted
    /// Art. 10(11): the unit filed its closure report (结案报告).
    case closureReported = "closure_reported"
    /// Closed by the centre.
    case closed
    /// Art. 10(5): referred to an organisation or discipline body.
    case referred
    /// Art. 10(6), 11: a major or urgent matter being reported upward, before the lead unit has it.
    case escalated

    /// Whether the unit still owes the caller a reply (the reply deadline runs).
    package var awaitsReply: Bool {
        switch self {
        case .registered, .escalated, .dispatched, .signedFor, .callerContacted: true
        default: false
        }
    }
}

/// Who acts on a case; transitions check it (Art. 3: the centre directs, units handle).
package enum CaseActor: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The acceptance centre (Art. 3), also recording the city government's Art. 8 decisions.
    case centre
    /// A network unit.
    case unit(UnitID)
    /// The timer service of the driver (simulated or wall clock).
    case timer

    package var description: String {
        switch self {
        case .centre: "centre"
        case .unit(let u): "unit \(u)"
        case .timer: "timer"
        }
    }
}

/// How the unit replied (Art. 10(10)).
package enum ReplyChannel: String, Hashable, Codable, Sendable, CaseIterable {
    /// An individual matter: by telephone to the caller.
    case phone
    /// A common matter: reported to the centre and answered through the media.
    case media
}

/// The caller's verdict at the satisfaction callback (回访).
package enum Satisfaction: String, Hashable, Codable, Sendable, CaseIterable {
    case satisfied
    case basicallySatisfied = "basically_satisfied"
    case dissatisfied
}

/// What the unit does after a dissatisfied callback (Art. 10(10)).
package enum FollowUp: String, Hashable, Codable, Sendable, CaseIterable {
    /// It can be solved further: handle it again, with a new reply deadline.
    case reHandle = "re_handle"
    /// Not solvable yet: calm the caller and promise to solve it when conditions allow.
    case promise
    /// Not solvable: explain why, to avoid repeat complaints.
    case explain
}

/// Where a matter came from (Art. 10(9)): a caller on the line, or an assignment from above that the
/// centre supervises directly from the start.
package enum CaseOrigin: String, Hashable, Codable, Sendable, CaseIterable {
    /// A caller on 12345.
    case `public`
    /// Assigned by a city leader (市领导交办).
    case cityLeader = "city_leader"
    /// Assigned by the provincial petition bureau (省信访局).
    case provincialPetitionBureau = "provincial_petition_bureau"
    /// Assigned by the provincial hotline office (省电话办).
    case provincialHotlineOffice = "provincial_hotline_office"

    /// Art. 10(9): supervised by the centre directly.
    package var isDirectlySupervised: Bool { self != .public }
}

/// A deadline the driver keeps a timer for; also the name of the step it is the limit of.
package enum CaseTimer: String, Hashable, Codable, Sendable, CaseIterable {
    /// The unit signs for the case (签收), Art. 10(3)/(4).
    case signFor = "sign_for"
    /// Art. 10(7): the unit contacts the caller.
    case firstContact = "first_contact"
    /// Art. 10(8): the unit replies and reports the result.
    case reply
    /// Art. 10(11): the unit files its closure report once the result stands.
    case closureReport = "closure_report"
    /// Art. 11: the units called to joint handling arrive.
    case attendance
    /// Art. 10(6): the centre reports the matter to a level of the chain.
    case upwardReport = "upward_report"
    /// Art. 8: the city government decides who handles a matter with no clear owner.
    case decision
    /// Art. 12: the lead unit of an escalated matter reports what it found.
    case information

    /// The article the limit belongs to.
    package var article: Article {
        switch self {
        case .signFor: Article(10, 3)
        case .firstContact: Article(10, 7)
        case .reply: Article(10, 8)
        case .closureReport: Article(10, 11)
        case .attendance: Article(11)
        case .upwardReport: Article(10, 6)
        case .decision: Article(8)
        case .information: Article(12)
        }
    }
}

/// A limit a step of a case missed, and whom it was owed by: the evidence of Art. 13 bulletins.
package struct Lapse: Hashable, Codable, Sendable {
    package var step: CaseTimer
    /// The unit that owed the step; `nil` for the centre's own steps (Art. 8, 10(6)).
    package var unit: UnitID?
    /// The limit that passed.
    package var due: Instant
    /// When the step was done after all; `nil` while it is still not done.
    package var doneAt: Instant?

    package init(step: CaseTimer, unit: UnitID?, due: Instant, doneAt: Instant? = nil) {
        self.step = step
        self.unit = unit
        self.due = due
        self.doneAt = doneAt
    }
}

/// Art. 13: a unit supervised twice or more that still does not handle its case.
package struct Accountability: Hashable, Codable, Sendable {
    package var unit: UnitID
    package var at: Instant
    /// Reported to discipline inspection for accountability: a party or government organ or a public
    /// institution. An enterprise is not; its industry authority is told (`told`).
    package var reported: Bool
    /// The superior or industry authority told of it.
    package var told: UnitID?

    package init(unit: UnitID, at: Instant, reported: Bool, told: UnitID?) {
        self.unit = unit
        self.at = at
        self.reported = reported
        self.told = told
    }
}

/// An event in the life of a case. Each has the article that allows it.
package enum CaseEvent: Hashable, Codable, Sendable {
    /// Art. 8: the city government named the responsible unit (recorded by the centre or a supervisor).
    case governmentDecided(CaseOrder)
    /// Art. 7: the centre hands the case to `responsibility.dispatchTo`.
    case dispatch(Responsibility, DispatchChannel)
    /// Art. 7: the tier-2 unit hands the case on to one of its own sub-units or industry enterprises.
    case handOn(to: UnitID)
    /// The unit signs for the case.
    case signFor
    /// The unit returns a case it is not responsible for (退单) in time; the centre re-dispatches.
    case returnCase
    /// Art. 10(7): the unit contacted the caller.
    case contactCaller
    /// Art. 10(8): the unit applies for its one extension, before the deadline.
    case requestExtension
    /// Art. 10(8): the centre grants the extension applied for.
    case grantExtension
    /// Art. 10(8): the centre refuses the extension applied for.
    case refuseExtension
    /// Art. 10(8), 10(10): the unit replied to the caller and reported the result.
    case reply(ReplyChannel)
    /// Art. 10(10): the centre's satisfaction callback.
    case callback(Satisfaction)
    /// Art. 10(10): the unit's follow-up after dissatisfaction.
    case followUp(FollowUp)
    /// Art. 10(11): the unit files its closure report.
    case fileClosureReport
    /// The centre closes the case.
    case close
    /// Art. 10(5): the body acknowledged the referral; the centre closes it.
    case referralAcknowledged
    /// Art. 11: an assisting or lead unit arrived on site.
    case attend(UnitID)
    /// Art. 10(6): the centre made the upward report to `to`.
    case reportUpward(to: String)
    /// Art. 12: the lead unit of an escalated matter reported what it found.
    case reportInformation
    /// Art. 10(10): the caller called again about the open case; the call joins it.
    case repeatCall
    /// A deadline passed; `due` is the deadline the timer was armed for (Art. 10(9) for the reply).
    case deadlinePassed(CaseTimer, due: Instant)

    /// The event's name, as used in protocols and error messages.
    package var name: String {
        switch self {
        case .governmentDecided: "government_decided"
        case .dispatch: "dispatch"
        case .handOn: "hand_on"
        case .signFor: "sign_for"
        case .returnCase: "return"
        case .contactCaller: "contact_caller"
        case .requestExtension: "request_extension"
        case .grantExtension: "grant_extension"
        case .refuseExtension: "refuse_extension"
        case .reply: "reply"
        case .callback: "callback"
        case .followUp: "follow_up"
        case .fileClosureReport: "file_closure_report"
        case .close: "close"
        case .referralAcknowledged: "referral_acknowledged"
        case .attend: "attend"
        case .reportUpward: "report_upward"
        case .reportInformation: "report_information"
        case .repeatCall: "repeat_call"
        case .deadlinePassed: "deadline_passed"
        }
    }

    /// The article the event follows.
    package var article: Article {
        switch self {
        case .governmentDecided: Article(8)
        case .dispatch, .handOn, .returnCase: Article(7)
        case .signFor: Article(10, 3)
        case .contactCaller: Article(10, 7)
        case .requestExtension, .grantExtension, .refuseExtension, .reply: Article(10, 8)
        case .callback, .followUp, .repeatCall: Article(10, 10)
        case .fileClosureReport, .close: Article(10, 11)
        case .referralAcknowledged: Article(10, 5)
        case .attend: Article(11)
        case .reportUpward: Article(10, 6)
        case .reportInformation: Article(12)
        case .deadlinePassed: Article(10, 9)
        }
    }
}

/// Why a case event was refused; each names the article that refuses it.
package enum CaseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The event does not apply in this state.
    case illegalTransition(from: CaseState, event: String, article: Article)
    /// This actor may not do this (Art. 3: the centre directs; a unit acts on its own cases).
    case notPermitted(actor: CaseActor, event: String)
    /// Art. 10(8): one extension only.
    case extensionAlreadyUsed
    /// Art. 10(8): an extension is applied for, and granted, within the deadline, not after it.
    case extensionAfterDeadline
    /// Art. 10(8): the centre grants or refuses an extension the unit applied for.
    case extensionNotRequested
    /// Art. 10(10): only a common matter is answered through the media.
    case mediaReplyForIndividualMatter
    /// Art. 10(11): a case closes only on a closure report.
    case closureReportMissing
    /// Returned too often: the centre designates the unit (Art. 3).
    case returnLimitReached(Int)
    /// Art. 3: the centre designated the unit after repeated returns; it may not return the case again.
    case designated(UnitID)
    /// A wrongly dispatched case is returned within its limit of being received (退单 limit).
    case returnTooLate(limit: Instant)
    /// Art. 7: a unit hands a case on only to its own sub-units or industry enterprises.
    case notASubUnit(UnitID)
    /// Art. 11: only the lead and assisting units attend.
    case notAJointUnit(UnitID)
    /// Art. 10(6): the report goes to a level of the escalation chain.
    case notAnEscalationStep(String)
    /// Art. 10(6): level by level: the levels below must have been reported first.
    case levelSkipped(String, before: String)
    /// Art. 12: only an escalated matter's lead unit owes an information report, once.
    case noInformationOwed
    /// A timer fired before its deadline.
    case timerNotDue(CaseTimer)
    /// An event dated before the case's last event.
    case outOfOrder(at: Instant, last: Instant)

    /// The article behind the refusal.
    package var article: Article {
        switch self {
        case .illegalTransition(_, _, let a): a
        case .notPermitted, .returnLimitReached, .designated: Article(3)
        case .extensionAlreadyUsed, .extensionAfterDeadline, .extensionNotRequested: Article(10, 8)
        case .mediaReplyForIndividualMatter: Article(10, 10)
        case .closureReportMissing: Article(10, 11)
        case .notASubUnit, .returnTooLate: Article(7)
        case .notAJointUnit: Article(11)
        case .notAnEscalationStep, .levelSkipped: Article(10, 6)
        case .noInformationOwed: Article(12)
        case .timerNotDue, .outOfOrder: Article(10, 9)
        }
    }

    package var description: String {
        let text: String
        switch self {
        case .illegalTransition(let s, let e, _): text = "'\(e)' is not allowed in state '\(s.rawValue)'"
        case .notPermitted(let a, let e): text = "\(a) may not '\(e)' on this case"
        case .extensionAlreadyUsed: text = "the case has had its one extension application"
        case .extensionAfterDeadline: text = "an extension is applied for and granted before the deadline, not after it"
        case .extensionNotRequested: text = "the unit has not applied for an extension"
        case .mediaReplyForIndividualMatter:
            text = "an individual matter is replied to by phone; only common matters go through the media"
        case .closureReportMissing: text = "the unit has not filed its closure report"
        case .returnLimitReached(let n): text = "returned \(n) times already; the centre designates the unit"
        case .designated(let u): text = "the centre designated '\(u)' after repeated returns; it handles the case"
        case .returnTooLate(let limit): text = "a case is returned within its limit, which passed at \(limit)"
        case .notASubUnit(let u): text = "'\(u)' is not a sub-unit or industry enterprise of the holder"
        case .notAJointUnit(let u): text = "'\(u)' is not a lead or assisting unit of this case"
        case .notAnEscalationStep(let to): text = "'\(to)' is not a level of this case's escalation chain"
        case .levelSkipped(let to, let before): text = "report to '\(before)' before '\(to)': level by level"
        case .noInformationOwed: text = "no information report is owed on this case (or it was made)"
        case .timerNotDue(let t): text = "the \(t.rawValue) deadline has not passed yet"
        case .outOfOrder(let at, let last): text = "event at \(at) is before the case's last event at \(last)"
        }
        return "\(article): \(text)"
    }
}

/// A supervision (督办) of an overdue case, Art. 10(9).
package struct Supervision: Hashable, Codable, Sendable {
    package var at: Instant
    /// The new limit it sets.
    package var newDeadline: Instant
    /// Art. 10(9): cases from the provincial petition bureau, provincial hotline office or city leaders
    /// are supervised by the centre directly from the start.
    package var direct: Bool
    /// The unit supervised (the holder at the time); `nil` for a direct supervision before dispatch.
    package var unit: UnitID?

    package init(at: Instant, newDeadline: Instant, direct: Bool, unit: UnitID? = nil) {
        self.at = at
        self.newDeadline = newDeadline
        self.direct = direct
        self.unit = unit
    }
}

/// What a transition asks the driver to do.
package enum CaseEffect: Hashable, Sendable {
    /// Keep a timer: when `at` passes, send `.deadlinePassed(timer, due: at)`.
    case armTimer(CaseTimer, at: Instant)
    /// Tell a unit's duty line about a case (dispatch, hand-on, supervision, joint handling).
    case notify(UnitID, Article)
    /// Make the satisfaction callback between `notBefore` and `by` (the next working day).
    case scheduleCallback(notBefore: Instant, by: Instant)
    /// Art. 10(9): the centre supervises the unit with a new limit.
    case supervise(UnitID, newDeadline: Instant)
    /// Art. 13: supervised twice or more and still not handled: report the organ or institution for
    /// accountability, and tell its superior (`told`).
    case reportForAccountability(UnitID, told: UnitID?)
    /// Art. 13: an enterprise supervised twice or more and still not handling it: its industry authority
    /// is told (an enterprise is not reported for accountability).
    case tellAuthority(UnitID, about: UnitID)
    /// Art. 10(10): answer the common matter through the media.
    case answerThroughMedia
    /// A limit was missed (Art. 13 evidence); `nil` for a step of the centre's own.
    case missed(CaseTimer, UnitID?)
}

/// A case: a matter registered by the centre, from dispatch to closure (Art. 10(3)–(11), 13).
///
/// A value type; `apply(_:at:by:rules:)` is the only way to change its workflow state. A refused event
/// throws a `CaseError` naming the article and leaves the case exactly as it was.
package struct Case: Hashable, Sendable, Identifiable {
    package let id: CaseID
    package let registeredAt: Instant
    package private(set) var order: CaseOrder
    /// Art. 10(10): a common matter may be answered through the media.
    package let commonMatter: Bool
    /// Art. 10(9): a caller, or an assignment by city leaders or a provincial office.
    package let origin: CaseOrigin
    package private(set) var state: CaseState
    /// The unit the centre dispatched to (tier 2, or tier 3 when direct).
    package private(set) var dispatchedTo: UnitID?
    /// The unit that holds the case now (after a hand-on, the sub-unit or enterprise).
    package private(set) var holder: UnitID?
    /// When the holder received the case (dispatch or hand-on).
    package private(set) var receivedAt: Instant?
    /// Art. 7: the unit that handed the case on to the holder.
    package private(set) var handedOnBy: UnitID?
    package private(set) var deadlines: CaseDeadlines
    /// Art. 10(8): when the unit applied for its one extension.
    package private(set) var extensionRequestedAt: Instant?
    package private(set) var extensionGranted: Bool
    package private(set) var extensionRefused: Bool
    package private(set) var supervisions: [Supervision]
    /// Art. 13: who was held to account for this case.
    package private(set) var accountability: Accountability?
    /// Units that returned the case (退单), in order.
    package private(set) var returnedBy: [UnitID]
    /// Art. 3: the centre designated the holder after repeated returns.
    package private(set) var designated: Bool
    package private(set) var dissatisfiedCallbacks: Int
    /// Art. 10(10): times the unit handled the case again after a dissatisfied caller.
    package private(set) var reHandled: Int
    package private(set) var repliedVia: ReplyChannel?
    package private(set) var lastSatisfaction: Satisfaction?
    package private(set) var followUp: FollowUp?
    package private(set) var signedAt: Instant?
    package private(set) var contactedAt: Instant?
    package private(set) var repliedAt: Instant?
    /// When the result came to stand (satisfied, or a promise or explanation): the closure report is due.
    package private(set) var acceptedAt: Instant?
    package private(set) var closureReportedAt: Instant?
    package private(set) var closedAt: Instant?
    /// Limits missed and by whom: the evidence of Art. 13 bulletins.
    package private(set) var lapses: [Lapse]
    /// Deadlines of the steps after the reply (Art. 10(11), 11, 12, 8), when they run.
    package private(set) var closureReportDue: Instant?
    package private(set) var attendanceDue: Instant?
    package private(set) var informationDue: Instant?
    package private(set) var informationReportedAt: Instant?
    package private(set) var decisionDue: Instant?
    /// Art. 11: units that must attend, and when each did.
    package private(set) var jointUnits: [UnitID]
    /// Art. 10(6): the upward reports due, and when each was made.
    package private(set) var escalationReports: [EscalationReport]
    package private(set) var reportedUpward: [String: Instant]
    package private(set) var attendance: [UnitID: Instant]
    /// Art. 10(5): the body a referred case went to.
    package private(set) var referralBody: String?
    /// Art. 10(10): calls the caller made about this open case, joined to it.
    package private(set) var repeatCalls: Int
    package private(set) var lastEventAt: Instant

    package init(
        id: CaseID,
        registering order: CaseOrder,
        at time: Instant,
        commonMatter: Bool = false,
        origin: CaseOrigin = .public,
        jointUnits: [UnitID] = []
    ) {
        self.id = id
        self.registeredAt = time
        self.order = order
        self.commonMatter = commonMatter
        self.origin = origin
        self.state = .registered
        self.deadlines = order.deadlines
        self.extensionGranted = false
        self.extensionRefused = false
        self.supervisions =
            origin.isDirectlySupervised
            ? [Supervision(at: time, newDeadline: order.deadlines.reply, direct: true)] : []
        self.returnedBy = []
        self.designated = false
        self.dissatisfiedCallbacks = 0
        self.reHandled = 0
        self.lapses = []
        self.jointUnits = jointUnits
        self.escalationReports = []
        self.reportedUpward = [:]
        self.attendance = [:]
        self.referralBody = nil
        self.repeatCalls = 0
        self.lastEventAt = time
    }

    /// A case on the Art. 8 path, waiting for the government's decision by `due`; `placeholder`
    /// carries the category.
    package init(
        id: CaseID, awaitingDecision placeholder: CaseOrder, due: Instant, at time: Instant,
        commonMatter: Bool = false, origin: CaseOrigin = .public
    ) {
        self.init(id: id, registering: placeholder, at: time, commonMatter: commonMatter, origin: origin)
        self.state = .awaitingDecision
        self.decisionDue = due
    }

    /// An escalated case (Art. 10(6), 11): reported upward level by level, then dispatched to the lead
    /// unit, which the assisting units join at once.
    /// - Parameter order: the case for the lead unit; `escalation.order` when the core found one.
    package init(
        id: CaseID, escalating escalation: Escalation, order: CaseOrder, at time: Instant, commonMatter: Bool = false,
        origin: CaseOrigin = .public
    ) {
        self.init(
            id: id, registering: order, at: time, commonMatter: commonMatter, origin: origin,
            jointUnits: escalation.assisting)
        self.state = .escalated
        self.escalationReports = escalation.reports
    }

    /// A case referred to an organisation or discipline body (Art. 10(5)); it stays out of unit figures.
    package init(id: CaseID, referring placeholder: CaseOrder, to body: String, at time: Instant) {
        self.init(id: id, registering: placeholder, at: time)
        self.state = .referred
        self.referralBody = body
    }

    /// The timers a newly opened case needs before any event: the government's decision (Art. 8) and
    /// the upward reports (Art. 10(6)).
    package var openingEffects: [CaseEffect] {
        var effects: [CaseEffect] = []
        if let decisionDue { effects.append(.armTimer(.decision, at: decisionDue)) }
        for due in Set(escalationReports.map(\.due)).sorted() { effects.append(.armTimer(.upwardReport, at: due)) }
        return effects
    }

    /// The steps whose limit passed at some time (done late or not yet).
    package var missed: Set<CaseTimer> { Set(lapses.map(\.step)) }

    /// Art. 13: reported for accountability (an organ or institution; an enterprise's authority is told).
    package var reportedForAccountability: Bool { accountability?.reported ?? false }

    /// Applies an event, or refuses it and leaves the case as it was.
    ///
    /// - Parameters:
    ///   - event: what happened.
    ///   - time: when; not before the case's last event.
    ///   - actor: who did it; checked against the rules of Art. 3 and 7.
    ///   - rules: the policy, calendar and directory the event is checked against.
    /// - Returns: what the driver must do (arm timers, notify units, schedule the callback, …).
    /// - Throws: `CaseError` naming the article that refuses the event.
    /// - Complexity: O(1) but for the working days counted in a deadline and the lapses of the case.
    @discardableResult
    package mutating func apply(
        _ event: CaseEvent,
        at time: Instant,
        by actor: CaseActor,
        rules: CaseRules
    ) throws(CaseError) -> [CaseEffect] {
        guard time >= lastEventAt else { throw .outOfOrder(at: time, last: lastEventAt) }
        // Every branch of `transition` makes all of its checks before it changes anything, so a refused
        // event leaves the case as it was without a defensive copy (CasePropertyTests checks this).
        let effects = try transition(event, at: time, by: actor, rules: rules)
        lastEventAt = time
        #if DEBUG
            checkInvariants()
        #endif
        return effects
    }

    private func refuse(_ event: CaseEvent) -> CaseError {
        .illegalTransition(from: state, event: event.name, article: event.article)
    }

    private func require(_ actor: CaseActor, is expected: CaseActor, for event: CaseEvent) throws(CaseError) {
        guard actor == expected else { throw .notPermitted(actor: actor, event: event.name) }
    }

    private func requireHolder(_ actor: CaseActor, for event: CaseEvent) throws(CaseError) {
        guard let holder, actor == .unit(holder) else { throw .notPermitted(actor: actor, event: event.name) }
    }

    /// Marks the open lapses of `step` (of `unit`, or anybody's) as done at `time`.
    private mutating func settle(_ step: CaseTimer, unit: UnitID? = nil, due: Instant? = nil, at time: Instant) {
        for k in lapses.indices where lapses[k].step == step && lapses[k].doneAt == nil {
            if let unit, lapses[k].unit != unit { continue }
            if let due, lapses[k].due != due { continue }
            lapses[k].doneAt = time
        }
    }

    /// Records a missed limit once; whether it was new.
    private mutating func lapse(_ step: CaseTimer, unit: UnitID?, due: Instant) -> Bool {
        guard !lapses.contains(where: { $0.step == step && $0.unit == unit && $0.due == due }) else { return false }
        lapses.append(Lapse(step: step, unit: unit, due: due))
        return true
    }

    private mutating func transition(
        _ event: CaseEvent,
        at time: Instant,
        by actor: CaseActor,
        rules: CaseRules
    ) throws(CaseError) -> [CaseEffect] {
        let policy = rules.policy
        let calendar = rules.calendar
        switch event {
        case .governmentDecided(let decided):
            guard state == .awaitingDecision else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            order = decided
            deadlines = decided.deadlines
            state = .registered
            settle(.decision, at: time)
            return []

        case .dispatch(let r, let channel):
            guard state == .registered || state == .escalated else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            if !returnedBy.isEmpty {
                // A returned case starts afresh with the unit it now goes to; after the last return
                // allowed, the centre designates that unit (Art. 3).
                if let fresh = policy.deadlines(for: order.deadlineClass, from: time, calendar: calendar) {
                    deadlines = fresh
                }
                designated = returnedBy.count >= policy.maxReturns
            }
            order.responsibility = r
            order.channel = channel
            dispatchedTo = r.dispatchTo
            holder = r.dispatchTo
            receivedAt = time
            handedOnBy = nil
            state = .dispatched
            var effects: [CaseEffect] = [
                .notify(r.dispatchTo, Article(7)), .armTimer(.signFor, at: deadlines.signFor),
                .armTimer(.firstContact, at: deadlines.firstContact), .armTimer(.reply, at: deadlines.reply),
            ]
            effects += jointUnits.map { .notify($0, Article(11)) }
            if !escalationReports.isEmpty || !jointUnits.isEmpty, informationDue == nil {
                // Art. 11, 12: the joint units arrive and the lead unit reports what it found, in time.
                let attend = calendar.deadline(from: time, limit: policy.attendanceWithin).at
                let inform = calendar.deadline(from: time, limit: policy.informationWithin).at
                attendanceDue = attend
                informationDue = inform
                effects += [.armTimer(.attendance, at: attend), .armTimer(.information, at: inform)]
            }
            return effects

        case .handOn(let to):
            guard state == .dispatched || state == .signedFor else { throw refuse(event) }
            try requireHolder(actor, for: event)
            guard let from = holder, handedOnBy == nil, to != from,
                rules.directory.snapshot(at: time)[to]?.upperTier == from
            else { throw .notASubUnit(to) }
            // Handing on is the tier-2 unit's acknowledgement of the case; the receiving unit has its own
            // sign-for limit from now (Art. 7: the hand-on with its own timestamps).
            settle(.signFor, unit: from, at: time)
            let limit = policy.classes[order.deadlineClass]?.signFor ?? .workingDays(1)
            let signBy = calendar.deadline(from: time, limit: limit).at
            deadlines.signFor = signBy
            handedOnBy = from
            holder = to
            receivedAt = time
            state = .dispatched
            signedAt = nil
            return [.notify(to, Article(7)), .armTimer(.signFor, at: signBy)]

        case .signFor:
            guard state == .dispatched else { throw refuse(event) }
            try requireHolder(actor, for: event)
            state = .signedFor
            signedAt = time
            settle(.signFor, unit: holder, at: time)
            return []

        case .returnCase:
            guard state == .dispatched || state == .signedFor else { throw refuse(event) }
            try requireHolder(actor, for: event)
            guard let from = holder, !designated else { throw .designated(holder ?? "") }
            guard returnedBy.count < policy.maxReturns else { throw .returnLimitReached(returnedBy.count) }
            let within = policy.classes[order.deadlineClass]?.returnWithin ?? .workingDays(1)
            let limit = calendar.deadline(from: receivedAt ?? registeredAt, limit: within).at
            guard time <= limit else { throw .returnTooLate(limit: limit) }
            returnedBy.append(from)
            // The limits of the unit that returned it in time are not its lapses.
            lapses.removeAll { $0.unit == from && $0.doneAt == nil && $0.step == .signFor }
            state = .registered
            holder = nil
            dispatchedTo = nil
            receivedAt = nil
            handedOnBy = nil
            signedAt = nil
            return []

        case .contactCaller:
            guard state == .signedFor else { throw refuse(event) }
            try requireHolder(actor, for: event)
            state = .callerContacted
            contactedAt = time
            settle(.firstContact, at: time)
            return []

        case .requestExtension:
            guard state == .dispatched || state == .signedFor || state == .callerContacted else {
                throw refuse(event)
            }
            try requireHolder(actor, for: event)
            guard extensionRequestedAt == nil else { throw .extensionAlreadyUsed }
            guard time < deadlines.reply, !missed.contains(.reply) else { throw .extensionAfterDeadline }
            extensionRequestedAt = time
            return []

        case .grantExtension, .refuseExtension:
            guard state.awaitsReply, state != .registered, state != .escalated else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            guard extensionRequestedAt != nil else { throw .extensionNotRequested }
            guard !extensionGranted, !extensionRefused else { throw .extensionAlreadyUsed }
            guard time < deadlines.reply, !missed.contains(.reply) else { throw .extensionAfterDeadline }
            guard case .grantExtension = event else {
                extensionRefused = true
                return []
            }
            extensionGranted = true
            // The deadline is 24:00 of its last day; extend from that day, not the next.
            let extended = calendar.deadline(from: deadlines.reply + -1, limit: policy.extensionLimit)
            deadlines.reply = extended.at
            deadlines.isAssumed = deadlines.isAssumed || extended.isAssumed
            return [.armTimer(.reply, at: deadlines.reply)]

        case .reply(let channel):
            guard state == .callerContacted else { throw refuse(event) }
            try requireHolder(actor, for: event)
            guard channel == .phone || commonMatter else { throw .mediaReplyForIndividualMatter }
            state = .replied
            repliedVia = channel
            repliedAt = time
            settle(.reply, unit: holder, at: time)
            let start = Instant(calendar.workingDay(1, after: time.date).date)
            var effects: [CaseEffect] = [
                .scheduleCallback(notBefore: start, by: calendar.deadline(from: time, limit: policy.callbackWithin).at)
            ]
            if channel == .media { effects.insert(.answerThroughMedia, at: 0) }
            return effects

        case .callback(let verdict):
            guard state == .replied else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            lastSatisfaction = verdict
            guard verdict == .dissatisfied else { return accept(at: time, policy: policy, calendar: calendar) }
            dissatisfiedCallbacks += 1
            state = .dissatisfied
            // Dissatisfied a second time: the centre supervises (NUMBERS.md; Art. 10(9)).
            if dissatisfiedCallbacks >= 2, let holder {
                return superviseEffects(holder: holder, at: time, rules: rules)
            }
            return []

        case .followUp(let f):
            guard state == .dissatisfied else { throw refuse(event) }
            try requireHolder(actor, for: event)
            followUp = f
            if f == .reHandle {
                state = .callerContacted
                reHandled += 1
                let limit = policy.classes[order.deadlineClass]?.reply ?? .workingDays(5)
                let d = calendar.deadline(from: time, limit: limit)
                deadlines.reply = max(deadlines.reply, d.at)
                deadlines.isAssumed = deadlines.isAssumed || d.isAssumed
                return [.armTimer(.reply, at: deadlines.reply)]
            }
            return accept(at: time, policy: policy, calendar: calendar)

        case .fileClosureReport:
            guard state == .accepted else { throw refuse(event) }
            try requireHolder(actor, for: event)
            state = .closureReported
            closureReportedAt = time
            settle(.closureReport, at: time)
            return []

        case .close:
            try require(actor, is: .centre, for: event)
            guard state == .closureReported else {
                if state == .accepted { throw .closureReportMissing }
                throw refuse(event)
            }
            state = .closed
            closedAt = time
            return []

        case .referralAcknowledged:
            guard state == .referred else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            state = .closed
            closedAt = time
            return []

        case .reportUpward(let to):
            guard state != .closed, state != .referred else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            guard let k = escalationReports.firstIndex(where: { $0.to == to }) else { throw .notAnEscalationStep(to) }
            if let below = escalationReports[..<k].first(where: { reportedUpward[$0.to] == nil }) {
                throw .levelSkipped(to, before: below.to)
            }
            if reportedUpward[to] == nil {
                reportedUpward[to] = time
                settle(.upwardReport, due: escalationReports[k].due, at: time)
            }
            return []

        case .reportInformation:
            guard state != .closed, state != .referred else { throw refuse(event) }
            let lead = order.responsibility.handler
            guard actor == .unit(lead) || (holder.map { actor == .unit($0) } ?? false) else {
                throw .notPermitted(actor: actor, event: event.name)
            }
            guard informationDue != nil, informationReportedAt == nil else { throw .noInformationOwed }
            informationReportedAt = time
            settle(.information, at: time)
            return []

        case .attend(let unit):
            guard state != .closed, state != .referred else { throw refuse(event) }
            guard jointUnits.contains(unit) || unit == order.responsibility.handler else { throw .notAJointUnit(unit) }
            guard actor == .unit(unit) || actor == .centre else { throw .notPermitted(actor: actor, event: event.name) }
            if attendance[unit] == nil {
                attendance[unit] = time
                settle(.attendance, unit: unit, at: time)
            }
            return []

        case .repeatCall:
            guard state != .closed, state != .referred else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            repeatCalls += 1
            // Art. 10(10): the unit hears of it, to settle the matter and avoid further complaints.
            return holder.map { [.notify($0, Article(10, 10))] } ?? []

        case .deadlinePassed(let timer, let due):
            try require(actor, is: .timer, for: event)
            return try deadlinePassed(timer, due: due, at: time, rules: rules)
        }
    }

    /// The result stands: the closure report is due (Art. 10(11)).
    private mutating func accept(at time: Instant, policy: CasePolicy, calendar: WorkingCalendar) -> [CaseEffect] {
        state = .accepted
        acceptedAt = time
        let due = calendar.deadline(from: time, limit: policy.closureReportWithin).at
        closureReportDue = due
        return [.armTimer(.closureReport, at: due)]
    }

    /// A timer fired. A stale one (the deadline moved, or the step was done) changes nothing.
    private mutating func deadlinePassed(
        _ timer: CaseTimer,
        due: Instant,
        at time: Instant,
        rules: CaseRules
    ) throws(CaseError) -> [CaseEffect] {
        let current: Instant?
        switch timer {
        case .signFor: current = holder == nil ? nil : deadlines.signFor
        case .firstContact: current = holder == nil ? nil : deadlines.firstContact
        case .reply: current = holder == nil ? nil : deadlines.reply
        case .closureReport: current = closureReportDue
        case .attendance: current = attendanceDue
        case .information: current = informationDue
        case .decision: current = decisionDue
        case .upwardReport: current = escalationReports.first { $0.due == due }?.due
        }
        guard let current, current == due else { return [] }
        guard time >= due else { throw .timerNotDue(timer) }
        guard state != .closed, state != .referred else { return [] }
        switch timer {
        case .signFor:
            guard state == .dispatched, let holder, lapse(.signFor, unit: holder, due: due) else { return [] }
            return [.missed(.signFor, holder)]
        case .firstContact:
            guard state == .dispatched || state == .signedFor, let holder,
                lapse(.firstContact, unit: holder, due: due)
            else { return [] }
            return [.missed(.firstContact, holder)]
        case .reply:
            guard state.awaitsReply || state == .dissatisfied, let holder else { return [] }
            _ = lapse(.reply, unit: holder, due: due)
            return [.missed(.reply, holder)] + superviseEffects(holder: holder, at: time, rules: rules)
        case .closureReport:
            guard state == .accepted, let holder, lapse(.closureReport, unit: holder, due: due) else { return [] }
            return [.missed(.closureReport, holder)]
        case .attendance:
            let owed = ([order.responsibility.handler] + jointUnits).filter { attendance[$0] == nil }
            return owed.filter { lapse(.attendance, unit: $0, due: due) }.map { .missed(.attendance, $0) }
        case .information:
            let lead = order.responsibility.handler
            guard informationReportedAt == nil, lapse(.information, unit: lead, due: due) else { return [] }
            return [.missed(.information, lead)]
        case .decision:
            guard state == .awaitingDecision, lapse(.decision, unit: nil, due: due) else { return [] }
            return [.missed(.decision, nil)]
        case .upwardReport:
            let late = escalationReports.filter { $0.due == due && reportedUpward[$0.to] == nil }
            guard !late.isEmpty, lapse(.upwardReport, unit: nil, due: due) else { return [] }
            return [.missed(.upwardReport, nil)]
        }
    }

    /// Art. 10(9) supervision with a new limit; Art. 13 accountability once supervised twice already:
    /// an organ or public institution is reported and its superior told, an enterprise's industry
    /// authority is told.
    private mutating func superviseEffects(holder: UnitID, at time: Instant, rules: CaseRules) -> [CaseEffect] {
        let policy = rules.policy
        var effects: [CaseEffect] = []
        let regular = supervisions.filter { !$0.direct && $0.unit == holder }.count
        if regular >= policy.accountabilityAfterSupervisions && accountability == nil {
            let unit = rules.directory.snapshot(at: time)[holder]
            let accountable = unit?.nature.isAccountable ?? true
            let told = unit?.superior
            accountability = Accountability(unit: holder, at: time, reported: accountable, told: told)
            if accountable {
                effects.append(.reportForAccountability(holder, told: told))
            } else if let told {
                effects.append(.tellAuthority(told, about: holder))
            }
        }
        let d = rules.calendar.deadline(from: time, limit: policy.supervisionLimit)
        supervisions.append(Supervision(at: time, newDeadline: d.at, direct: false, unit: holder))
        deadlines.reply = d.at
        deadlines.isAssumed = deadlines.isAssumed || d.isAssumed
        effects += [
            .supervise(holder, newDeadline: d.at), .notify(holder, Article(10, 9)), .armTimer(.reply, at: d.at),
        ]
        return effects
    }

    /// The next deadline the case must still meet: sign-for while it is not signed for, first contact
    /// while the caller is not contacted, the reply while it is owed, the closure report once the result
    /// stands, the government's decision (Art. 8, 10(3), 10(7)–(11)); `nil` when none runs.
    package var nextDeadline: (step: CaseTimer, at: Instant)? {
        var open: [(CaseTimer, Instant)] = []
        if state == .dispatched && signedAt == nil { open.append((.signFor, deadlines.signFor)) }
        if state == .dispatched || state == .signedFor { open.append((.firstContact, deadlines.firstContact)) }
        if state.awaitsReply || state == .dissatisfied { open.append((.reply, deadlines.reply)) }
        if state == .accepted, let d = closureReportDue { open.append((.closureReport, d)) }
        if state == .awaitingDecision, let d = decisionDue { open.append((.decision, d)) }
        return open.min { $0.1 < $1.1 }.map { (step: $0.0, at: $0.1) }
    }

    /// Checks what must always hold; a failure is a bug in the rules, not bad input.
    package func invariantViolations() -> [String] {
        var v: [String] = []
        if let a = accountability,
            supervisions.filter({ !$0.direct && $0.unit == a.unit }).count < 2
        {
            v.append("Art. 13: accountability without two supervisions")
        }
        if state == .closed && referralBody == nil && (closureReportedAt == nil || repliedAt == nil) {
            v.append("Art. 10(11): closed without reply and closure report")
        }
        if repliedVia == .media && !commonMatter { v.append("Art. 10(10): media reply to an individual matter") }
        if [.signedFor, .callerContacted].contains(state) && (holder == nil || signedAt == nil) {
            v.append("signed for without a holder")
        }
        if state == .dispatched && holder == nil { v.append("dispatched without a holder") }
        if deadlines.reply < registeredAt { v.append("reply deadline before registration") }
        if let s = signedAt, let c = contactedAt, c < s, state != .dispatched {
            v.append("contacted before signed for")
        }
        if let c = contactedAt, let r = repliedAt, r < c { v.append("replied before contact") }
        if lastEventAt < registeredAt { v.append("event before registration") }
        if !reportedUpward.keys.allSatisfy({ to in escalationReports.contains { $0.to == to } }) {
            v.append("Art. 10(6): a report to a level outside the chain")
        }
        if extensionGranted && extensionRequestedAt == nil { v.append("Art. 10(8): extension granted unasked") }
        if extensionGranted && extensionRefused { v.append("Art. 10(8): extension granted and refused") }
        if designated && returnedBy.isEmpty { v.append("Art. 3: designated without returns") }
        return v
    }

    #if DEBUG
        private func checkInvariants() {
            let v = invariantViolations()
            precondition(v.isEmpty, "case \(id) broke its invariants: \(v)")
        }
    #endif
}

/// The case as the store keeps it. Fields added after the first release are read when present, so that
/// a store written by an earlier version opens.
extension Case: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, registeredAt, order, commonMatter, origin, state, dispatchedTo, holder, receivedAt, handedOnBy,
            deadlines, extensionRequestedAt, extensionGranted, extensionRefused, supervisions, accountability,
            returnedBy, designated, dissatisfiedCallbacks, reHandled, repliedVia, lastSatisfaction, followUp, signedAt,
            contactedAt, repliedAt, acceptedAt, closureReportedAt, closedAt, lapses, closureReportDue, attendanceDue,
            informationDue, informationReportedAt, decisionDue, jointUnits, escalationReports, reportedUpward,
            attendance, referralBody, repeatCalls, lastEventAt
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(CaseID.self, forKey: .id)
        registeredAt = try c.decode(Instant.self, forKey: .registeredAt)
        order = try c.decode(CaseOrder.self, forKey: .order)
        commonMatter = try c.decode(Bool.self, forKey: .commonMatter)
        origin = try c.decodeIfPresent(CaseOrigin.self, forKey: .origin) ?? .public
        state = try c.decode(CaseState.self, forKey: .state)
        dispatchedTo = try c.decodeIfPresent(UnitID.self, forKey: .dispatchedTo)
        holder = try c.decodeIfPresent(UnitID.self, forKey: .holder)
        receivedAt = try c.decodeIfPresent(Instant.self, forKey: .receivedAt)
        handedOnBy = try c.decodeIfPresent(UnitID.self, forKey: .handedOnBy)
        deadlines = try c.decode(CaseDeadlines.self, forKey: .deadlines)
        extensionRequestedAt = try c.decodeIfPresent(Instant.self, forKey: .extensionRequestedAt)
        extensionGranted = try c.decode(Bool.self, forKey: .extensionGranted)
        extensionRefused = try c.decodeIfPresent(Bool.self, forKey: .extensionRefused) ?? false
        supervisions = try c.decode([Supervision].self, forKey: .supervisions)
        accountability = try c.decodeIfPresent(Accountability.self, forKey: .accountability)
        returnedBy = try c.decodeIfPresent([UnitID].self, forKey: .returnedBy) ?? []
        designated = try c.decodeIfPresent(Bool.self, forKey: .designated) ?? false
        dissatisfiedCallbacks = try c.decode(Int.self, forKey: .dissatisfiedCallbacks)
        reHandled = try c.decodeIfPresent(Int.self, forKey: .reHandled) ?? 0
        repliedVia = try c.decodeIfPresent(ReplyChannel.self, forKey: .repliedVia)
        lastSatisfaction = try c.decodeIfPresent(Satisfaction.self, forKey: .lastSatisfaction)
        followUp = try c.decodeIfPresent(FollowUp.self, forKey: .followUp)
        signedAt = try c.decodeIfPresent(Instant.self, forKey: .signedAt)
        contactedAt = try c.decodeIfPresent(Instant.self, forKey: .contactedAt)
        repliedAt = try c.decodeIfPresent(Instant.self, forKey: .repliedAt)
        acceptedAt = try c.decodeIfPresent(Instant.self, forKey: .acceptedAt)
        closureReportedAt = try c.decodeIfPresent(Instant.self, forKey: .closureReportedAt)
        closedAt = try c.decodeIfPresent(Instant.self, forKey: .closedAt)
        lapses = try c.decodeIfPresent([Lapse].self, forKey: .lapses) ?? []
        closureReportDue = try c.decodeIfPresent(Instant.self, forKey: .closureReportDue)
        attendanceDue = try c.decodeIfPresent(Instant.self, forKey: .attendanceDue)
        informationDue = try c.decodeIfPresent(Instant.self, forKey: .informationDue)
        informationReportedAt = try c.decodeIfPresent(Instant.self, forKey: .informationReportedAt)
        decisionDue = try c.decodeIfPresent(Instant.self, forKey: .decisionDue)
        jointUnits = try c.decode([UnitID].self, forKey: .jointUnits)
        escalationReports = try c.decode([EscalationReport].self, forKey: .escalationReports)
        reportedUpward = try c.decode([String: Instant].self, forKey: .reportedUpward)
        attendance = try c.decode([UnitID: Instant].self, forKey: .attendance)
        referralBody = try c.decodeIfPresent(String.self, forKey: .referralBody)
        repeatCalls = try c.decodeIfPresent(Int.self, forKey: .repeatCalls) ?? 0
        lastEventAt = try c.decode(Instant.self, forKey: .lastEventAt)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(registeredAt, forKey: .registeredAt)
        try c.encode(order, forKey: .order)
        try c.encode(commonMatter, forKey: .commonMatter)
        try c.encode(origin, forKey: .origin)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(dispatchedTo, forKey: .dispatchedTo)
        try c.encodeIfPresent(holder, forKey: .holder)
        try c.encodeIfPresent(receivedAt, forKey: .receivedAt)
        try c.encodeIfPresent(handedOnBy, forKey: .handedOnBy)
        try c.encode(deadlines, forKey: .deadlines)
        try c.encodeIfPresent(extensionRequestedAt, forKey: .extensionRequestedAt)
        try c.encode(extensionGranted, forKey: .extensionGranted)
        try c.encode(extensionRefused, forKey: .extensionRefused)
        try c.encode(supervisions, forKey: .supervisions)
        try c.encodeIfPresent(accountability, forKey: .accountability)
        try c.encode(returnedBy, forKey: .returnedBy)
        try c.encode(designated, forKey: .designated)
        try c.encode(dissatisfiedCallbacks, forKey: .dissatisfiedCallbacks)
        try c.encode(reHandled, forKey: .reHandled)
        try c.encodeIfPresent(repliedVia, forKey: .repliedVia)
        try c.encodeIfPresent(lastSatisfaction, forKey: .lastSatisfaction)
        try c.encodeIfPresent(followUp, forKey: .followUp)
        try c.encodeIfPresent(signedAt, forKey: .signedAt)
        try c.encodeIfPresent(contactedAt, forKey: .contactedAt)
        try c.encodeIfPresent(repliedAt, forKey: .repliedAt)
        try c.encodeIfPresent(acceptedAt, forKey: .acceptedAt)
        try c.encodeIfPresent(closureReportedAt, forKey: .closureReportedAt)
        try c.encodeIfPresent(closedAt, forKey: .closedAt)
        try c.encode(lapses, forKey: .lapses)
        try c.encodeIfPresent(closureReportDue, forKey: .closureReportDue)
        try c.encodeIfPresent(attendanceDue, forKey: .attendanceDue)
        try c.encodeIfPresent(informationDue, forKey: .informationDue)
        try c.encodeIfPresent(informationReportedAt, forKey: .informationReportedAt)
        try c.encodeIfPresent(decisionDue, forKey: .decisionDue)
        try c.encode(jointUnits, forKey: .jointUnits)
        try c.encode(escalationReports, forKey: .escalationReports)
        try c.encode(reportedUpward, forKey: .reportedUpward)
        try c.encode(attendance, forKey: .attendance)
        try c.encodeIfPresent(referralBody, forKey: .referralBody)
        try c.encode(repeatCalls, forKey: .repeatCalls)
        try c.encode(lastEventAt, forKey: .lastEventAt)
    }
}
