internal import Foundation
internal import HotlineCore
internal import HotlineStore

/// An open case as the switchboard holds it: the core's value, what the centre took down, and how
/// its phone dispatch stands.
struct LiveCase {
    var value: Case
    var intake: Intake
}

/// Cases: registration through the group commit, every later event through the core's state machine,
/// deadlines kept in the store and re-armed at start-up, phone dispatch, satisfaction callbacks, and
/// what units may see and do (Art. 15: their own cases only).
extension Switchboard {
    /// A new case number: `YYYYMMDD-NNNNNN`, the number running on across days and restarts.
    func newCaseID(at now: Instant) -> CaseID {
        lastCaseNumber += 1
        let d = now.date
        let n = String(lastCaseNumber)
        let date = String(format: "%04d%02d%02d", d.year, d.month, d.day)
        return CaseID(date + "-" + String(repeating: "0", count: max(0, 6 - n.count)) + n)
    }

    /// Takes up the open cases and pending timers of the store: a deadline that passed while the server
    /// was down fires at the first tick.
    func takeUpStoredCases() throws {
        for (value, intake) in try store.openCases() { cases[value.id] = LiveCase(value: value, intake: intake) }
        for due in try store.pendingTimers() { schedule(.caseTimer(due), at: due.due) }
        for (id, window) in try store.pendingCallbacks() where cases[id] != nil {
            schedule(.satisfactionCallback(id), at: callbackTime(window.notBefore))
        }
        for (id, c) in cases where c.value.state == .registered && c.value.order.channel == .phone {
            // Registered for a phone dispatch that never got through: try again now.
            schedule(.dispatchRetry(id, attempt: 1), at: Instant(seconds: 0))
        }
    }

    /// Registers a new case: durable before `done` runs (on this thread).
    func register(
        _ opened: Case, decision: CallDecision, intake: Intake, at now: Instant,
        done: @escaping (Result<Void, StoreError>) -> Void
    ) {
        cases[opened.id] = LiveCase(value: opened, intake: intake)
        counters.casesRegistered += 1
        let entry = AuditEntry(
            at: now, actor: "centre", event: "register", article: decision.article.description, state: opened.state,
            detail:
                "{\"decision\":\(OutputLine.quote(decisionName(decision))),\"category\":\(OutputLine.quote(opened.order.category.rawValue))}"
        )
        submit(CaseChange(after: opened, entry: entry, intake: intake), then: done)
        log("case \(opened.id) registered (\(decisionName(decision)), caller \(Confidential.number(intake.caller)))")
        // What follows a registration.
        switch decision {
        case .register(let order) where order.channel == .workOrder:
            _ = apply(.dispatch(order.responsibility, .workOrder), to: opened.id, by: .centre, at: now)
        case .register:
            startPhoneDispatch(opened.id, attempt: 1, at: now)
        case .escalate:
            // Art. 11: the lead unit is read the case, and every assisting unit is rung at once.
            startPhoneDispatch(opened.id, attempt: 1, at: now)
            for unit in opened.jointUnits { startNotification(opened.id, unit: unit, attempt: 1, at: now) }
        default:
            break
        }
    }

    /// Submits a change to the group commit; `done` runs back on this thread.
    func submit(_ change: CaseChange, then done: @escaping (Result<Void, StoreError>) -> Void = { _ in }) {
        let box = UncheckedBox(done)
        commit.submit(change) { [hop] result in hop { box.value(result) } }
    }

    /// Applies an event to an open case through the core; the change is stored, its effects carried out.
    @discardableResult
    func apply(
        _ event: CaseEvent, to id: CaseID, by actor: CaseActor, at now: Instant, fired: CaseTimerDue? = nil,
        callbackDone: Bool = false, done: @escaping (Result<Void, StoreError>) -> Void = { _ in }
    ) -> Result<Void, CaseError>? {
        guard var live = cases[id] else { return nil }
        let effects: [CaseEffect]
        do {
            effects = try live.value.apply(event, at: now, by: actor, policy: router.policy, calendar: router.calendar)
        } catch {
            return .failure(error)
        }
        var armed: [CaseTimerDue] = []
        var callback: CallbackWindow?
        for effect in effects {
            switch effect {
            case .armTimer(let timer, let at):
                let due = CaseTimerDue(caseID: id, timer: timer, due: at)
                armed.append(due)
                schedule(.caseTimer(due), at: at)
            case .scheduleCallback(let notBefore, let by):
                callback = CallbackWindow(notBefore: notBefore, by: by)
                schedule(.satisfactionCallback(id), at: callbackTime(notBefore))
            case .notify(let unit, let article):
                notifyUnit(unit, of: live.value, article: article)
            case .supervise(let unit, let newDeadline):
                log("case \(id): supervised (Art. 10(9)), \(unit) has until \(newDeadline)")
            case .reportForAccountability(let unit):
                log("case \(id): \(unit) reported for accountability (Art. 13)")
            case .answerThroughMedia, .missed:
                break
            }
        }
        cases[id] = live
        // A timer that fired stale (the step was done, the deadline moved) changes nothing worth a line
        // of the audit log; a real passed deadline always has effects (a missed limit, a supervision).
        var stale = false
        if case .deadlinePassed = event, effects.isEmpty { stale = true }
        let entry =
            stale
            ? nil
            : AuditEntry(
                at: now, actor: actor.description, event: event.name, article: event.article.description,
                state: live.value.state, detail: detail(of: event))
        submit(
            CaseChange(
                after: live.value, entry: entry, armed: armed, fired: fired, callback: callback,
                callbackDone: callbackDone),
            then: done)
        if live.value.state == .closed || live.value.state == .referred { cases[id] = nil }
        return .success(())
    }

    private func detail(of event: CaseEvent) -> String {
        guard let data = try? JSONEncoder().encode(event) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    func caseTimerFired(_ due: CaseTimerDue, at now: Instant) {
        guard cases[due.caseID] != nil else { return }
        _ = apply(.deadlinePassed(due.timer, due: due.due), to: due.caseID, by: .timer, at: now, fired: due)
    }

    /// Tells a unit's connections about a case (dispatch, hand-on, supervision, joint handling).
    func notifyUnit(_ unit: UnitID, of c: Case, article: Article) {
        for peer in peers.values where peer.roles.contains(.unit) && peer.unit == unit {
            var out = OutputLine("notice", "case")
            out.add("case", c.id.rawValue)
            out.add("state", c.state.rawValue)
            out.add("article", article.description)
            out.add("reply_due", c.deadlines.reply.description)
            send(out, to: peer)
        }
    }

    // MARK: Events on cases

    func unitEvent(_ event: String, _ m: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        guard let unit = peer.unit else { throw LineError("hello_first", "a unit's hello names its unit") }
        switch event {
        case "case": try caseEvent(m, actor: .unit(unit), from: peer, number: number, at: clock())
        case "cases": try listCases(for: unit, m, to: peer, number: number)
        default: throw LineError("unknown_event", "unknown event '\(event)' from a unit", field: "event")
        }
    }

    /// `{"event":"case","case":ID,"action":...}` from a desktop (the centre) or a unit.
    func caseEvent(_ m: LineMessage, actor: CaseActor, from peer: Peer, number: Int, at now: Instant) throws(LineError)
    {
        let id = CaseID(try m.string("case"))
        guard let live = cases[id] else {
            throw LineError("unknown_call", "no open case '\(id)'", field: "case")
        }
        if case .unit(let unit) = actor, !visible(live.value, to: unit) {
            // Art. 15: a unit sees and acts on its own cases only; others do not exist for it.
            throw LineError("unknown_call", "no open case '\(id)'", field: "case")
        }
        let event = try caseEvent(from: m)
        let line = number
        let result = apply(event, to: id, by: actor, at: now) { [weak self, weak peer] stored in
            guard let self, let peer else { return }
            switch stored {
            case .success:
                self.acknowledge("case", line: line, to: peer) { out in
                    out.add("case", id.rawValue)
                    out.add("state", self.cases[id]?.value.state.rawValue ?? "closed")
                }
            case .failure(let error):
                self.reject(LineError("refused", "not stored: \(error)"), line: line, to: peer)
            }
        }
        if case .failure(let error) = result {
            throw LineError("refused", "\(error) (\(error.article))", field: "action")
        }
    }

    private func caseEvent(from m: LineMessage) throws(LineError) -> CaseEvent {
        let action = try m.choice(
            "action",
            [
                "sign_for", "return", "hand_on", "contact_caller", "grant_extension", "reply", "file_closure_report",
                "close", "follow_up", "referral_acknowledged", "attend", "report_upward", "government_decided",
            ])
        switch action {
        case "sign_for": return .signFor
        case "return": return .returnCase
        case "hand_on": return .handOn(to: UnitID(try m.string("to")))
        case "contact_caller": return .contactCaller
        case "grant_extension": return .grantExtension
        case "reply":
            return .reply(ReplyChannel(rawValue: try m.choice("channel", ReplyChannel.allCases.map(\.rawValue)))!)
        case "file_closure_report": return .fileClosureReport
        case "close": return .close
        case "follow_up":
            return .followUp(FollowUp(rawValue: try m.choice("follow_up", FollowUp.allCases.map(\.rawValue)))!)
        case "referral_acknowledged": return .referralAcknowledged
        case "attend": return .attend(UnitID(try m.string("unit")))
        case "report_upward": return .reportUpward(to: try m.string("to"))
        default:
            throw LineError(
                "refused", "the government's decision is recorded by the centre's case tools", field: "action")
        }
    }

    func visible(_ c: Case, to unit: UnitID) -> Bool {
        c.holder == unit || c.dispatchedTo == unit || c.jointUnits.contains(unit)
    }

    /// `{"event":"cases"}`: open cases; a unit gets its own only (Art. 15). Caller numbers are masked.
    func listCases(for unit: UnitID?, _ m: LineMessage, to peer: Peer, number: Int) throws(LineError) {
        let list = cases.values.filter { unit == nil || visible($0.value, to: unit!) }.sorted {
            $0.value.id < $1.value.id
        }
        let items = list.prefix(1000).map { c -> String in
            var o = OutputLine()
            o.add("case", c.value.id.rawValue)
            o.add("state", c.value.state.rawValue)
            o.add("category", c.value.order.category.rawValue)
            o.add("unit", (c.value.holder ?? c.value.dispatchedTo)?.rawValue)
            o.add("reply_due", c.value.deadlines.reply.description)
            o.add("caller", Confidential.number(c.intake.caller))
            return o.text
        }
        acknowledge("cases", line: number, to: peer) { out in
            out.add("count", list.count)
            out.add("cases", raw: "[" + items.joined(separator: ",") + "]")
        }
    }

    // MARK: Phone dispatch (Art. 10(3))

    /// Rings the unit's duty line to read it the case; "1" signs for it.
    func startPhoneDispatch(_ id: CaseID, attempt: Int, at now: Instant) {
        guard let live = cases[id], live.value.state == .registered || live.value.state == .escalated else { return }
        let unit = live.value.order.responsibility.dispatchTo
        if attempt > options.dispatchAttempts {
            // The line never answered: the case goes as a written work order.
            _ = apply(.dispatch(live.value.order.responsibility, .workOrder), to: id, by: .centre, at: now)
            return
        }
        guard hasFreeLine(unit, at: now), let call = outboundCall(.dispatch(id, attempt: attempt), at: now) else {
            dispatchAttemptFailed(id, attempt: attempt, at: now)
            return
        }
        holdLine(unit, by: call)
        dial(call, .unit(unit), purpose: "dispatch", .outboundDial(unit), at: now)
    }

    /// Art. 11: rings an assisting unit's duty line to tell it of the emergency case it joins.
    func startNotification(_ id: CaseID, unit: UnitID, attempt: Int, at now: Instant) {
        guard cases[id] != nil else { return }
        guard attempt <= options.dispatchAttempts else {
            log("case \(id): assisting unit \(unit) not reached by phone after \(attempt - 1) attempts (Art. 11)")
            return
        }
        guard hasFreeLine(unit, at: now), let call = outboundCall(.notification(id, unit, attempt: attempt), at: now)
        else {
            notificationAttemptFailed(id, unit: unit, attempt: attempt, at: now)
            return
        }
        holdLine(unit, by: call)
        dial(call, .unit(unit), purpose: "notify", .outboundDial(unit), at: now)
    }

    /// Where an outbound call goes.
    enum DialTarget {
        case unit(UnitID)
        case number(String)
    }

    /// Sends `dial`: a unit's duty line rings for the ring timeout, a caller's phone for a minute.
    func dial(
        _ call: Call, _ target: DialTarget, mode: String = "two_way", purpose: String? = nil,
        _ intent: PendingCommand.Intent, at now: Instant
    ) {
        let ring = model.conference.ringTimeout
        let to: String
        switch target {
        case .unit(let unit): to = "{\"unit\":\(OutputLine.quote(unit.rawValue))}"
        case .number(let number): to = "{\"number\":\(OutputLine.quote(number))}"
        }
        let timeout: Double = if case .unit = target { ring + 10 } else { 60 }
        send(command: "dial", intent, to: call, at: now, timeout: timeout) { out in
            out.add("to", raw: to)
            out.add("mode", mode)
            out.add("purpose", purpose)
            if mode == "conference" { out.add("ring_timeout_s", Int(ring)) }
        }
    }

    /// The duty line was busy or did not answer: ring again later.
    func dispatchAttemptFailed(_ id: CaseID, attempt: Int, at now: Instant) {
        schedule(.dispatchRetry(id, attempt: attempt + 1), at: now + options.dispatchRetry)
    }

    func notificationAttemptFailed(_ id: CaseID, unit: UnitID, attempt: Int, at now: Instant) {
        schedule(.notificationRetry(id, unit, attempt: attempt + 1), at: now + options.notificationRetry)
    }

    /// A new outbound call on the first connected adapter; `nil` when none is connected.
    func outboundCall(_ purpose: Call.Purpose, number: String = "", at now: Instant) -> Call? {
        guard let adapter = peers.values.filter({ $0.roles.contains(.pbx) }).min(by: { $0.name < $1.name }) else {
            return nil
        }
        nextOutbound += 1
        let call = Call(id: "out-\(nextOutbound)", from: number, purpose: purpose, peer: adapter, stage: .dialing)
        calls[call.id] = call
        return call
    }

    /// The dialled party answered, or not.
    func outboundAnswered(_ call: Call, unit: UnitID?, status: CommandStatus, reason: String?, at now: Instant) {
        guard status == .ok else {
            callEnded(call, cause: reason ?? status.rawValue, at: now)
            return
        }
        call.stage = .reading
        switch call.purpose {
        case .dispatch(let id, _):
            // Art. 10(3): the case is read to the unit's duty line: that is its dispatch.
            call.settled = true
            if let live = cases[id] {
                _ = apply(.dispatch(live.value.order.responsibility, .phone), to: id, by: .centre, at: now)
            }
            collect(["case-dispatch", "case:\(id.rawValue)", "press-1-to-sign"], max: 1, .readCase, to: call, at: now)
        case .satisfaction:
            collect(["satisfaction-survey"], max: 1, .survey, to: call, at: now)
        case .notification(let id, _, _):
            call.settled = true
            play(["case-joint-handling", "case:\(id.rawValue)", "attend-at-once"], .farewell, to: call, at: now)
            hangUp(call, cause: "normal", at: now)
        case .missedCallback(let missed):
            // The caller is back on the line: they join the queue ahead of new callers.
            _ = missed
            call.stage = .queued
            enqueueFront(call, at: now)
        case .inbound:
            break
        }
    }

    func readCaseEnded(_ call: Call, status: CommandStatus, digits: String?, at now: Instant) {
        guard case .dispatch(let id, _) = call.purpose else { return }
        if status == .ok, digits == "1", let holder = cases[id]?.value.holder {
            _ = apply(.signFor, to: id, by: .unit(holder), at: now)
            play(["case-signed"], .farewell, to: call, at: now)
        }
        hangUp(call, cause: "normal", at: now)
    }

    // MARK: Satisfaction callbacks (Art. 10(10))

    func startSatisfactionCallback(_ id: CaseID, at now: Instant) {
        guard let live = cases[id], live.value.state == .replied else { return }
        guard live.intake.caller != "unknown", !live.intake.caller.isEmpty,
            let call = outboundCall(.satisfaction(id), number: live.intake.caller, at: now)
        else {
            // No adapter now: try again in ten minutes, within the callback hours.
            schedule(.satisfactionCallback(id), at: callbackTime(now + 600))
            return
        }
        dial(call, .number(live.intake.caller), purpose: "satisfaction", .outboundDial(nil), at: now)
    }

    /// The first moment at or after `time` within the model's callback hours on a working day: nobody
    /// is called back at night.
    func callbackTime(_ time: Instant) -> Instant {
        guard let hours = model.callbacks?.hours, !hours.isAllDay else { return time }
        var t = time
        for _ in 0..<400 {
            if router.calendar.isWorkingDay(t.date), hours.covers(secondsIntoDay: t.secondsIntoDay) { return t }
            // The next start of the hours: today's if it is still ahead, else the next day's.
            let start = Instant(t.date, hours.start)
            t = start > t && router.calendar.isWorkingDay(t.date) ? start : Instant(t.date.adding(days: 1), hours.start)
        }
        return time
    }

    func surveyEnded(_ call: Call, status: CommandStatus, digits: String?, at now: Instant) {
        guard case .satisfaction(let id) = call.purpose else { return }
        let verdict: Satisfaction? =
            switch digits {
            case "1": .satisfied
            case "2": .basicallySatisfied
            case "3": .dissatisfied
            default: nil
            }
        if status == .ok, let verdict {
            _ = apply(.callback(verdict), to: id, by: .centre, at: now, callbackDone: true)
            play(["thank-you"], .farewell, to: call, at: now)
        }
        hangUp(call, cause: "normal", at: now)
    }

    // MARK: Call-backs of missed calls

    /// A free operator (none waiting) calls back a caller who hung up in the queue or took the offer.
    func offerOutboundWork(at now: Instant) {
        guard !callbackQueue.isEmpty, !someoneWaiting, longestIdleAgent() != nil else { return }
        let missed = callbackQueue.removeFirst()
        guard let call = outboundCall(.missedCallback(missed), number: missed.number, at: now) else {
            callbackQueue.insert(missed, at: 0)
            schedule(.missedCallback, at: now + 60)
            return
        }
        dial(call, .number(missed.number), purpose: "callback", .outboundDial(nil), at: now)
    }

    /// Whether an inbound caller waits for an operator (they go before any call-back).
    private var someoneWaiting: Bool {
        waiting[waitingHead...].contains {
            calls[$0].map { $0.stage == .queued || $0.stage == .callbackOffer } ?? false
        }
    }

    /// A called-back caller goes to the head of the queue.
    func enqueueFront(_ call: Call, at now: Instant) {
        call.queuedAt = now
        if waitingHead > 0 {
            waitingHead -= 1
            waiting[waitingHead] = call.id
        } else {
            waiting.insert(call.id, at: 0)
        }
        if !dispatchWaitingCallers(at: now) {
            send(command: "queue", .hold, to: call, at: now, timeout: 86_400) { $0.add("queue", "12345") }
        }
    }
}

/// Carries a closure that is only ever called on the switchboard's thread across the writer's thread.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
