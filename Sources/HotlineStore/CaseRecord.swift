package import HotlineCore

/// A change to one case, written to the store in one transaction with every other change of its batch:
/// the case as it now stands, the event that made it so (appended to the audit log), and the timers
/// and callbacks it asks for.
package struct CaseChange: Sendable {
    /// The case after the event.
    package var after: Case
    /// The audit entries of the change, in order (a registration and the dispatch that goes with it are
    /// one change); none for a timer that fired stale and changed nothing, which only settles the timer.
    package var entries: [AuditEntry]
    /// The audit entry of a change of one event.
    package var entry: AuditEntry? {
        get { entries.first }
        set { entries = newValue.map { [$0] } ?? [] }
    }
    /// The case's version after this change (1 for its registration): the store refuses a change whose
    /// previous version is not the one on disk, so that a change built on a write that failed never
    /// lands. `nil` writes without the check.
    package var version: Int?
    /// When the change happened.
    package var at: Instant
    /// Timers the event arms (Art. 10(9) deadlines), kept until they fire.
    package var armed: [CaseTimerDue]
    /// The timer whose firing this event is, removed from the pending timers.
    package var fired: CaseTimerDue?
    /// Art. 10(10): a satisfaction callback to make, or `nil`.
    package var callback: CallbackWindow?
    /// The satisfaction callback of this case was made (or given up).
    package var callbackDone: Bool
    /// Only for a new case: who called, what about, on which call.
    package var intake: Intake?

    package init(
        after: Case, entry: AuditEntry?, at: Instant? = nil, armed: [CaseTimerDue] = [], fired: CaseTimerDue? = nil,
        callback: CallbackWindow? = nil, callbackDone: Bool = false, intake: Intake? = nil, version: Int? = nil
    ) {
        self.init(
            after: after, entries: entry.map { [$0] } ?? [], at: at, armed: armed, fired: fired, callback: callback,
            callbackDone: callbackDone, intake: intake, version: version)
    }

    package init(
        after: Case, entries: [AuditEntry], at: Instant? = nil, armed: [CaseTimerDue] = [], fired: CaseTimerDue? = nil,
        callback: CallbackWindow? = nil, callbackDone: Bool = false, intake: Intake? = nil, version: Int? = nil
    ) {
        self.after = after
        self.entries = entries
        self.version = version
        self.at = at ?? entries.last?.at ?? after.lastEventAt
        self.armed = armed
        self.fired = fired
        self.callback = callback
        self.callbackDone = callbackDone
        self.intake = intake
    }
}

/// What the centre took down when it registered a case. Art. 15: the caller's number and the text
/// are confidential; they are stored, but shown and logged only masked (`Confidential`).
package struct Intake: Hashable, Sendable, Codable {
    package var caller: String
    package var summary: String
    package var call: String
    package var urgent: Bool

    package init(caller: String, summary: String, call: String, urgent: Bool = false) {
        self.caller = caller
        self.summary = summary
        self.call = call
        self.urgent = urgent
    }
}

/// One line of a case's append-only audit log.
package struct AuditEntry: Hashable, Sendable, Codable {
    package var at: Instant
    /// `centre`, `unit 0451-PSB`, `timer`.
    package var actor: String
    /// The event's protocol name (`register`, `sign_for`, `deadline_passed` …).
    package var event: String
    /// The article the event follows, e.g. `Art. 10(3)`.
    package var article: String
    /// The case's state after the event.
    package var state: CaseState
    /// Details, as JSON (the event's arguments); never the caller's number or text.
    package var detail: String

    package init(at: Instant, actor: String, event: String, article: String, state: CaseState, detail: String = "{}") {
        self.at = at
        self.actor = actor
        self.event = event
        self.article = article
        self.state = state
        self.detail = detail
    }
}

/// A pending case timer: when `due` passes, the case gets `.deadlinePassed(timer, due:)`.
package struct CaseTimerDue: Hashable, Sendable {
    package var caseID: CaseID
    package var timer: CaseTimer
    package var due: Instant

    package init(caseID: CaseID, timer: CaseTimer, due: Instant) {
        self.caseID = caseID
        self.timer = timer
        self.due = due
    }
}

/// Art. 10(10): when the satisfaction callback of a replied case is to be made.
package struct CallbackWindow: Hashable, Sendable {
    package var notBefore: Instant
    package var by: Instant

    package init(notBefore: Instant, by: Instant) {
        self.notBefore = notBefore
        self.by = by
    }
}

/// A case as the store lists it.
package struct CaseSummaryRow: Hashable, Sendable {
    package var id: CaseID
    package var registeredAt: Instant
    package var state: CaseState
    package var category: CategoryCode
    package var unit: UnitID?
    /// The next deadline the case must still meet (`Case.nextDeadline`), if any.
    package var nextDue: Instant?
    /// Which step that deadline is for.
    package var nextStep: CaseTimer?
    /// The caller's number, masked (Art. 15).
    package var callerMasked: String
}

/// A deadline timer of a case and what became of it.
package struct TimerRecord: Hashable, Sendable {
    package enum Outcome: String, Sendable {
        /// Waiting to fire.
        case pending
        /// It fired (at `settledAt`): the deadline passed.
        case fired
        /// The case closed before it fired.
        case cancelled
    }

    package var timer: CaseTimerDue
    package var outcome: Outcome
    package var settledAt: Instant?
}

/// A stored case, whole: the case, its intake, its audit log and its timers.
package struct StoredCase: Sendable {
    package var value: Case
    package var intake: Intake?
    package var audit: [AuditEntry]
    /// The timers still pending.
    package var timers: [CaseTimerDue]
    /// Every timer armed for the case, fired and cancelled ones too, by due time.
    package var timerLog: [TimerRecord]
    /// How many changes were written for the case.
    package var version: Int
}

/// One call as the contact log keeps it: every call the centre settled, direct answers included
/// (Art. 10(1)), and what became of it. The caller's number is confidential (Art. 15): stored, shown
/// only masked.
package struct Contact: Hashable, Sendable {
    package var call: String
    package var at: Instant
    package var caller: String
    package var category: CategoryCode?
    /// The decision's protocol name (`answer_directly`, `work_order`, `repeat_call`, …).
    package var decision: String
    /// The case the call opened, or joined (a repeat call, Art. 10(10)).
    package var caseID: CaseID?

    package init(
        call: String, at: Instant, caller: String, category: CategoryCode?, decision: String, caseID: CaseID?
    ) {
        self.call = call
        self.at = at
        self.caller = caller
        self.category = category
        self.decision = decision
        self.caseID = caseID
    }
}

/// A call to a unit's duty line (a phone dispatch, a three-party call, an Art. 11 notification) and
/// whether it was answered: the evidence of Art. 13(1) (a unit without dedicated staff).
package struct DutyLineCall: Hashable, Sendable {
    package var unit: UnitID
    package var at: Instant
    package var answered: Bool
    /// `dispatch`, `conference` or `notification`.
    package var purpose: String

    package init(unit: UnitID, at: Instant, answered: Bool, purpose: String) {
        self.unit = unit
        self.at = at
        self.answered = answered
        self.purpose = purpose
    }
}

/// A three-party call under way (Art. 10(2)): what the operator took down, kept until the call's
/// outcome is known, so that a server killed in the middle of it still registers the matter when it
/// starts again (Art. 10(3)). The caller's number and the summary are confidential (Art. 15).
package struct PendingConference: Hashable, Sendable {
    /// The call's key in the switchboard (its adapter and id): unique among calls under way.
    package var key: String
    /// When the operator asked for the three-party call.
    package var at: Instant
    package var request: CallRequest
    package var intake: Intake

    package init(key: String, at: Instant, request: CallRequest, intake: Intake) {
        self.key = key
        self.at = at
        self.request = request
        self.intake = intake
    }
}

/// One write to the store: a case change, a line of the contact log, a duty-line call, a three-party
/// call begun or over, or several of them that must be durable together.
package indirect enum StoreWrite: Sendable {
    case change(CaseChange)
    case contact(Contact)
    case dutyLineCall(DutyLineCall)
    case conferencePending(PendingConference)
    /// The three-party call with this key is concluded.
    case conferenceOver(key: String)
    /// All of these or none, in one transaction (a case with its contact line and the end of the
    /// three-party call it came from).
    case together([StoreWrite])
}

extension StoreWrite {
    /// This write, and `more` with it in its transaction (just this write when `more` is empty).
    package func with(_ more: [StoreWrite]) -> StoreWrite { more.isEmpty ? self : .together([self] + more) }
}

/// What the store holds of the three-party calls under way when the server stopped.
package struct PendingConferences: Sendable {
    package var conferences: [PendingConference]
    /// Keys of entries that do not decode (edited by hand, or written by a newer hotline): left alone.
    package var unreadable: [String]
}
