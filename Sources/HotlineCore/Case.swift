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

/// A deadline the driver keeps a timer for.
package enum CaseTimer: String, Hashable, Codable, Sendable, CaseIterable {
    case signFor = "sign_for"
    case firstContact = "first_contact"
    case reply
}

/// An event in the life of a case. Each has the article that allows it.
package enum CaseEvent: Hashable, Codable, Sendable {
    /// Art. 8: the city government named the responsible unit (recorded by the centre).
    case governmentDecided(CaseOrder)
    /// Art. 7: the centre hands the case to `responsibility.dispatchTo`.
    case dispatch(Responsibility, DispatchChannel)
    /// Art. 7: the tier-2 unit hands the case on to one of its tier-3 units.
    case handOn(to: UnitID)
    /// The unit signs for the case.
    case signFor
    /// The unit returns a case it is not responsible for (退单); the centre re-dispatches.
    case returnCase
    /// Art. 10(7): the unit contacted the caller.
    case contactCaller
    /// Art. 10(8): the centre grants the one extension.
    case grantExtension
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
        case .grantExtension: "grant_extension"
        case .reply: "reply"
        case .callback: "callback"
        case .followUp: "follow_up"
        case .fileClosureReport: "file_closure_report"
        case .close: "close"
        case .referralAcknowledged: "referral_acknowledged"
        case .attend: "attend"
        case .reportUpward: "report_upward"
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
        case .grantExtension, .reply: Article(10, 8)
        case .callback, .followUp: Article(10, 10)
        case .fileClosureReport, .close: Article(10, 11)
        case .referralAcknowledged: Article(10, 5)
        case .attend: Article(11)
        case .reportUpward: Article(10, 6)
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
    /// Art. 10(8): an extension is applied for within the deadline, not after it.
    case extensionAfterDeadline
    /// Art. 10(10): only a common matter is answered through the media.
    case mediaReplyForIndividualMatter
    /// Art. 10(11): a case closes only on a closure report.
    case closureReportMissing
    /// Returned too often: the centre designates the unit (Art. 3).
    case returnLimitReached(Int)
    /// Art. 7: a unit hands a case on only to its own tier-3 units.
    case notASubUnit(UnitID)
    /// Art. 11: only the lead and assisting units attend.
    case notAJointUnit(UnitID)
    /// Art. 10(6): the report goes to a level of the escalation chain.
    case notAnEscalationStep(String)
    /// A timer fired before its deadline.
    case timerNotDue(CaseTimer)
    /// An event dated before the case's last event.
    case outOfOrder(at: Instant, last: Instant)

    /// The article behind the refusal.
    package var article: Article {
        switch self {
        case .illegalTransition(_, _, let a): a
        case .notPermitted: Article(3)
        case .extensionAlreadyUsed, .extensionAfterDeadline: Article(10, 8)
        case .mediaReplyForIndividualMatter: Article(10, 10)
        case .closureReportMissing: Article(10, 11)
        case .returnLimitReached: Article(3)
        case .notASubUnit: Article(7)
        case .notAJointUnit: Article(11)
        case .notAnEscalationStep: Article(10, 6)
        case .timerNotDue, .outOfOrder: Article(10, 9)
        }
    }

    package var description: String {
        let text: String
        switch self {
        case .illegalTransition(let s, let e, _): text = "'\(e)' is not allowed in state '\(s.rawValue)'"
        case .notPermitted(let a, let e): text = "\(a) may not '\(e)' on this case"
        case .extensionAlreadyUsed: text = "the case has had its one extension"
        case .extensionAfterDeadline: text = "an extension must be applied for before the deadline"
        case .mediaReplyForIndividualMatter:
            text = "an individual matter is replied to by phone; only common matters go through the media"
        case .closureReportMissing: text = "the unit has not filed its closure report"
        case .returnLimitReached(let n): text = "returned \(n) times already; the centre designates the unit"
        case .notASubUnit(let u): text = "'\(u)' is not a tier-3 unit under the holder"
        case .notAJointUnit(let u): text = "'\(u)' is not a lead or assisting unit of this case"
        case .notAnEscalationStep(let to): text = "'\(to)' is not a level of this case's escalation chain"
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
    /// Art. 13: supervised twice or more and still not handled: report the unit for accountability.
    case reportForAccountability(UnitID)
    /// Art. 10(10): answer the common matter through the media.
    case answerThroughMedia
    /// A limit was missed without a state change (late sign-for or first contact); for bulletins (Art. 13(5)).
    case missed(CaseTimer, UnitID)
}

/// A case: a matter registered by the centre, from dispatch to closure (Art. 10(3)–(11), 13).
///
/// A value type; `apply(_:at:by:policy:calendar:)` is the only way to change its workflow state. A refused
/// event throws a `CaseError` naming the article and leaves the case exactly as it was.
package struct Case: Hashable, Codable, Sendable, Identifiable {
    package let id: CaseID
    package let registeredAt: Instant
    package private(set) var order: CaseOrder
    /// Art. 10(10): a common matter may be answered through the media.
    package let commonMatter: Bool
    package private(set) var state: CaseState
    /// The unit the centre dispatched to (tier 2, or tier 3 when direct).
    package private(set) var dispatchedTo: UnitID?
    /// The unit that holds the case now (after a hand-on, the tier-3 unit).
    package private(set) var holder: UnitID?
    package private(set) var deadlines: CaseDeadlines
    package private(set) var extensionGranted: Bool
    package private(set) var supervisions: [Supervision]
    /// Art. 13: reported for accountability.
    package private(set) var reportedForAccountability: Bool
    package private(set) var returns: Int
    package private(set) var dissatisfiedCallbacks: Int
    package private(set) var repliedVia: ReplyChannel?
    package private(set) var lastSatisfaction: Satisfaction?
    package private(set) var followUp: FollowUp?
    package private(set) var signedAt: Instant?
    package private(set) var contactedAt: Instant?
    package private(set) var repliedAt: Instant?
    package private(set) var closureReportedAt: Instant?
    package private(set) var closedAt: Instant?
    /// Limits missed, for bulletins (Art. 13(5)).
    package private(set) var missed: Set<CaseTimer>
    /// Art. 11: units that must attend, and when each did.
    package private(set) var jointUnits: [UnitID]
    /// Art. 10(6): the upward reports due, and when each was made.
    package private(set) var escalationReports: [EscalationReport]
    package private(set) var reportedUpward: [String: Instant]
    package private(set) var attendance: [UnitID: Instant]
    /// Art. 10(5): the body a referred case went to.
    package private(set) var referralBody: String?
    package private(set) var lastEventAt: Instant

    package init(
        id: CaseID,
        registering order: CaseOrder,
        at time: Instant,
        commonMatter: Bool = false,
        leaderAssigned: Bool = false,
        jointUnits: [UnitID] = []
    ) {
        self.id = id
        self.registeredAt = time
        self.order = order
        self.commonMatter = commonMatter
        self.state = .registered
        self.deadlines = order.deadlines
        self.extensionGranted = false
        self.supervisions =
            leaderAssigned ? [Supervision(at: time, newDeadline: order.deadlines.reply, direct: true)] : []
        self.reportedForAccountability = false
        self.returns = 0
        self.dissatisfiedCallbacks = 0
        self.missed = []
        self.jointUnits = jointUnits
        self.escalationReports = []
        self.reportedUpward = [:]
        self.attendance = [:]
        self.referralBody = nil
        self.lastEventAt = time
    }

    /// A case on the Art. 8 path, waiting for the government's decision; `placeholder` carries the category.
    package init(id: CaseID, awaitingDecision placeholder: CaseOrder, at time: Instant, commonMatter: Bool = false) {
        self.init(id: id, registering: placeholder, at: time, commonMatter: commonMatter)
        self.state = .awaitingDecision
    }

    /// An escalated case (Art. 10(6), 11): reported upward level by level, then dispatched to the lead
    /// unit, which the assisting units join at once.
    /// - Parameter order: the case for the lead unit; `escalation.order` when the core found one.
    package init(
        id: CaseID, escalating escalation: Escalation, order: CaseOrder, at time: Instant, commonMatter: Bool = false
    ) {
        self.init(id: id, registering: order, at: time, commonMatter: commonMatter, jointUnits: escalation.assisting)
        self.state = .escalated
        self.escalationReports = escalation.reports
    }

    /// A case referred to an organisation or discipline body (Art. 10(5)); it stays out of unit figures.
    package init(id: CaseID, referring placeholder: CaseOrder, to body: String, at time: Instant) {
        self.init(id: id, registering: placeholder, at: time)
        self.state = .referred
        self.referralBody = body
    }

    /// Applies an event, or refuses it and leaves the case as it was.
    ///
    /// - Parameters:
    ///   - event: what happened.
    ///   - time: when; not before the case's last event.
    ///   - actor: who did it; checked against the rules of Art. 3 and 7.
    /// - Returns: what the driver must do (arm timers, notify units, schedule the callback, …).
    /// - Throws: `CaseError` naming the article that refuses the event.
    /// - Complexity: O(1) but for the working days counted in a deadline.
    @discardableResult
    package mutating func apply(
        _ event: CaseEvent,
        at time: Instant,
        by actor: CaseActor,
        policy: CasePolicy,
        calendar: WorkingCalendar
    ) throws(CaseError) -> [CaseEffect] {
        guard time >= lastEventAt else { throw .outOfOrder(at: time, last: lastEventAt) }
        // Every branch of `transition` makes all of its checks before it changes anything, so a refused
        // event leaves the case as it was without a defensive copy (CasePropertyTests checks this).
        let effects = try transition(event, at: time, by: actor, policy: policy, calendar: calendar)
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

    private mutating func transition(
        _ event: CaseEvent,
        at time: Instant,
        by actor: CaseActor,
        policy: CasePolicy,
        calendar: WorkingCalendar
    ) throws(CaseError) -> [CaseEffect] {
        switch event {
        case .governmentDecided(let decided):
            guard state == .awaitingDecision else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            order = decided
            deadlines = decided.deadlines
            state = .registered
            return []

        case .dispatch(let r, let channel):
            guard state == .registered || state == .escalated else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            order.responsibility = r
            order.channel = channel
            dispatchedTo = r.dispatchTo
            holder = r.dispatchTo
            state = .dispatched
            var effects: [CaseEffect] = [
                .notify(r.dispatchTo, Article(7)), .armTimer(.signFor, at: deadlines.signFor),
                .armTimer(.firstContact, at: deadlines.firstContact), .armTimer(.reply, at: deadlines.reply),
            ]
            effects += jointUnits.map { .notify($0, Article(11)) }
            return effects

        case .handOn(let to):
            guard state == .dispatched || state == .signedFor else { throw refuse(event) }
            try requireHolder(actor, for: event)
            guard to != holder, order.responsibility.handler == to || order.responsibility.dispatchTo == holder else {
                throw .notASubUnit(to)
            }
            holder = to
            state = .dispatched
            signedAt = nil
            return [.notify(to, Article(7))]

        case .signFor:
            guard state == .dispatched else { throw refuse(event) }
            try requireHolder(actor, for: event)
            state = .signedFor
            signedAt = time
            return []

        case .returnCase:
            guard state == .dispatched || state == .signedFor else { throw refuse(event) }
            try requireHolder(actor, for: event)
            guard returns < policy.maxReturns else { throw .returnLimitReached(returns) }
            returns += 1
            state = .registered
            holder = nil
            dispatchedTo = nil
            signedAt = nil
            return []

        case .contactCaller:
            guard state == .signedFor else { throw refuse(event) }
            try requireHolder(actor, for: event)
            state = .callerContacted
            contactedAt = time
            return []

        case .grantExtension:
            guard state.awaitsReply, state != .registered, state != .escalated else { throw refuse(event) }
            try require(actor, is: .centre, for: event)
            guard !extensionGranted else { throw .extensionAlreadyUsed }
            guard time < deadlines.reply else { throw .extensionAfterDeadline }
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
            guard verdict == .dissatisfied else {
                state = .accepted
                return []
            }
            dissatisfiedCallbacks += 1
            state = .dissatisfied
            // Dissatisfied a second time: the centre supervises (NUMBERS.md; Art. 10(9)).
            if dissatisfiedCallbacks >= 2, let holder {
                return superviseEffects(holder: holder, at: time, policy: policy, calendar: calendar)
            }
            return []

        case .followUp(let f):
            guard state == .dissatisfied else { throw refuse(event) }
            try requireHolder(actor, for: event)
            followUp = f
            if f == .reHandle {
                state = .callerContacted
                let limit = policy.classes[order.deadlineClass]?.reply ?? .workingDays(5)
                let d = calendar.deadline(from: time, limit: limit)
                deadlines.reply = max(deadlines.reply, d.at)
                deadlines.isAssumed = deadlines.isAssumed || d.isAssumed
                return [.armTimer(.reply, at: deadlines.reply)]
            }
            state = .accepted
            return []

        case .fileClosureReport:
            guard state == .accepted else { throw refuse(event) }
            try requireHolder(actor, for: event)
            state = .closureReported
            closureReportedAt = time
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
            guard escalationReports.contains(where: { $0.to == to }) else { throw .notAnEscalationStep(to) }
            if reportedUpward[to] == nil { reportedUpward[to] = time }
            return []

        case .attend(let unit):
            guard state != .closed, state != .referred else { throw refuse(event) }
            guard jointUnits.contains(unit) || unit == order.responsibility.handler else { throw .notAJointUnit(unit) }
            guard actor == .unit(unit) || actor == .centre else { throw .notPermitted(actor: actor, event: event.name) }
            if attendance[unit] == nil { attendance[unit] = time }
            return []

        case .deadlinePassed(let timer, let due):
            try require(actor, is: .timer, for: event)
            return try deadlinePassed(timer, due: due, at: time, policy: policy, calendar: calendar)
        }
    }

    /// A timer fired. A stale one (the deadline moved, or the step was done) changes nothing.
    private mutating func deadlinePassed(
        _ timer: CaseTimer,
        due: Instant,
        at time: Instant,
        policy: CasePolicy,
        calendar: WorkingCalendar
    ) throws(CaseError) -> [CaseEffect] {
        guard let holder else { return [] }
        switch timer {
        case .signFor:
            guard due == deadlines.signFor else { return [] }
            guard time >= due else { throw .timerNotDue(timer) }
            guard state == .dispatched, missed.insert(.signFor).inserted else { return [] }
            return [.missed(.signFor, holder)]
        case .firstContact:
            guard due == deadlines.firstContact else { return [] }
            guard time >= due else { throw .timerNotDue(timer) }
            guard state == .dispatched || state == .signedFor, missed.insert(.firstContact).inserted else { return [] }
            return [.missed(.firstContact, holder)]
        case .reply:
            guard due == deadlines.reply else { return [] }
            guard time >= due else { throw .timerNotDue(timer) }
            guard state.awaitsReply || state == .dissatisfied else { return [] }
            missed.insert(.reply)
            return superviseEffects(holder: holder, at: time, policy: policy, calendar: calendar)
        }
    }

    /// Art. 10(9) supervision with a new limit; Art. 13 accountability once supervised twice already.
    private mutating func superviseEffects(
        holder: UnitID,
        at time: Instant,
        policy: CasePolicy,
        calendar: WorkingCalendar
    ) -> [CaseEffect] {
        var effects: [CaseEffect] = []
        let regular = supervisions.filter { !$0.direct }.count
        if regular >= policy.accountabilityAfterSupervisions && !reportedForAccountability {
            reportedForAccountability = true
            effects.append(.reportForAccountability(holder))
        }
        let d = calendar.deadline(from: time, limit: policy.supervisionLimit)
        supervisions.append(Supervision(at: time, newDeadline: d.at, direct: false))
        deadlines.reply = d.at
        deadlines.isAssumed = deadlines.isAssumed || d.isAssumed
        effects += [
            .supervise(holder, newDeadline: d.at), .notify(holder, Article(10, 9)), .armTimer(.reply, at: d.at),
        ]
        return effects
    }

    /// The next deadline the case must still meet: sign-for while it is not signed for, first contact
    /// while the caller is not contacted, the reply while it is owed (Art. 10(3), 10(7)–(9)); `nil` when
    /// none runs (awaiting the government, accepted, closed, referred).
    package var nextDeadline: (step: CaseTimer, at: Instant)? {
        var open: [(CaseTimer, Instant)] = []
        if state == .dispatched && signedAt == nil { open.append((.signFor, deadlines.signFor)) }
        if state == .dispatched || state == .signedFor { open.append((.firstContact, deadlines.firstContact)) }
        if state.awaitsReply || state == .dissatisfied { open.append((.reply, deadlines.reply)) }
        return open.min { $0.1 < $1.1 }.map { (step: $0.0, at: $0.1) }
    }

    /// Checks what must always hold; a failure is a bug in the rules, not bad input.
    package func invariantViolations() -> [String] {
        var v: [String] = []
        if reportedForAccountability && supervisions.filter({ !$0.direct }).count < 2 {
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
        return v
    }

    #if DEBUG
        private func checkInvariants() {
            let v = invariantViolations()
            precondition(v.isEmpty, "case \(id) broke its invariants: \(v)")
        }
    #endif
}
