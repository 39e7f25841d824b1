internal import Foundation
internal import HotlineCore
internal import HotlineStore

/// An open case as the switchboard holds it: the core's value, what the centre took down, and the
/// version of it that is on disk.
struct LiveCase {
    var value: Case
    var intake: Intake
    /// Changes written for the case; the next change is `version + 1`.
    var version: Int
    var number: Int64 { CaseStore.number(of: value.id) }
}

/// Cases: registration (with its dispatch) durable before anybody hears of it, every later event
/// through the core's state machine, deadlines kept in the store and re-armed at start-up, and what
/// units may see and do (Art. 15: their own cases only).
extension Switchboard {
    /// The case `decision` opens, if any, under the next case number: `YYYYMMDD-NNNNNN`, the number
    /// running on across days and restarts. Only a case takes a number, so the register has no gaps
    /// where a unit settled a matter on the spot.
    func openCase(for decision: CallDecision, of request: CallRequest, at now: Instant) -> Case? {
        let d = now.date
        let n = String(lastCaseNumber + 1)
        let date = String(format: "%04d%02d%02d", d.year, d.month, d.day)
        let id = CaseID(date + "-" + String(repeating: "0", count: max(0, 6 - n.count)) + n)
        guard let opened = router.openCase(id: id, for: decision, of: request, at: now) else { return nil }
        lastCaseNumber += 1
        return opened
    }

    /// Takes up the open cases and pending timers of the store. A deadline that passed while the server
    /// was down fires at the first tick; a case that is not yet dispatched is dispatched (a written work
    /// order at once, a phone dispatch when an adapter is there to ring the duty line).
    func takeUpStoredCases() throws {
        for (value, intake, version) in try store.openCases() {
            install(LiveCase(value: value, intake: intake, version: version))
        }
        for due in try store.pendingTimers() { schedule(.caseTimer(due), at: due.due) }
        for (id, window) in try store.pendingCallbacks() {
            guard let live = cases[id], live.value.state == .replied else { continue }
            scheduleSurvey(id, repliedAt: live.value.repliedAt ?? window.notBefore, notBefore: window.notBefore)
        }
        let now = clock()
        // Only what a crash interrupted: a case the unit returned (退单) waits for the centre.
        for (id, live) in cases.sorted(by: { $0.value.number < $1.value.number }) where live.value.returnedBy.isEmpty {
            switch live.value.state {
            case .registered where live.value.order.channel == .workOrder:
                apply(
                    .dispatch(live.value.order.responsibility, .workOrder), to: id, by: .centre,
                    at: max(now, live.value.lastEventAt))
            case .registered, .escalated:
                parked.append(.dispatch(id, attempt: 1))
            default:
                break
            }
        }
    }

    /// Art. 10(1)–(6), 10(10): a line of the contact log for a settled call (every call, direct answers
    /// included). Written in the background; a failure is logged, the call goes on.
    func logContact(
        _ call: Call, category: CategoryCode?, decision: String, case id: CaseID?, at now: Instant,
        alongside: [StoreWrite] = []
    ) {
        let contact = Contact(
            call: call.id, at: now, caller: call.from, category: category, decision: decision, caseID: id)
        submitWrite(StoreWrite.contact(contact).with(alongside)) {
            [weak self] result in
            if case .failure(let error) = result { self?.log("contact log: call \(call.id) NOT written: \(error)") }
        }
    }

    /// Art. 6, 13(1): a call to a unit's duty line, answered or not.
    func logDutyLineCall(_ unit: UnitID, answered: Bool, purpose: String, at now: Instant) {
        submitWrite(.dutyLineCall(DutyLineCall(unit: unit, at: now, answered: answered, purpose: purpose))) {
            [weak self] result in
            if case .failure(let error) = result { self?.log("duty-line log: \(unit) NOT written: \(error)") }
        }
    }

    /// Puts a case in memory and in the index of the units that may see it.
    func install(_ live: LiveCase) {
        cases[live.value.id] = live
        caseIDs[live.number] = live.value.id
        let c = live.value
        var units = c.jointUnits
        if let h = c.holder { units.append(h) }
        if let d = c.dispatchedTo { units.append(d) }
        index.note(live.number, visibleTo: units)
    }

    /// Registers a new case, with the dispatch of a written work order in the same transaction, and
    /// `alongside` (its contact line, the end of the three-party call it came from). Nothing of it
    /// exists (in memory, for units, on the phone) until it is durable; then `done` runs.
    func register(
        _ opened: Case, decision: CallDecision, request: CallRequest, intake: Intake, at now: Instant,
        alongside: [StoreWrite] = [], done: @escaping (Result<Case, StoreError>) -> Void
    ) {
        var value = opened
        var entries = [
            AuditEntry(
                at: now, actor: "centre", event: "register", article: decision.article.description, state: opened.state,
                detail:
                    "{\"decision\":\(OutputLine.quote(decisionName(decision))),\"category\":\(OutputLine.quote(opened.order.category.rawValue))}"
            )
        ]
        // Art. 8, 10(6): the government's decision and the upward reports have their timers from the start.
        var effects: [CaseEffect] = opened.openingEffects
        if case .register(let order) = decision, order.channel == .workOrder {
            // Art. 10(4): the written work order goes to the unit at once.
            let dispatch = CaseEvent.dispatch(order.responsibility, .workOrder)
            if let e = try? value.apply(dispatch, at: now, by: .centre, rules: router.caseRules) {
                effects += e
                entries.append(auditEntry(dispatch, by: .centre, at: now, state: value.state))
            }
        }
        let armed = effects.compactMap { effect -> CaseTimerDue? in
            guard case .armTimer(let timer, let at) = effect else { return nil }
            return CaseTimerDue(caseID: value.id, timer: timer, due: at)
        }
        counters.casesRegistered += 1
        let stored = value
        let change = CaseChange(after: value, entries: entries, at: now, armed: armed, intake: intake, version: 1)
        submitWrite(StoreWrite.change(change).with(alongside)) {
            [weak self] result in
            guard let self else { return }
            switch result {
            case .success:
                self.install(LiveCase(value: stored, intake: intake, version: 1))
                for due in armed { self.schedule(.caseTimer(due), at: due.due) }
                self.carryOut(effects, of: stored.id, at: now)
                self.log(
                    "case \(stored.id) registered (\(decisionName(decision)), caller \(Confidential.number(intake.caller)))"
                )
                switch decision {
                case .register(let order) where order.channel == .phone:
                    self.startPhoneDispatch(stored.id, attempt: 1, at: self.clock())
                case .escalate:
                    // Art. 11: the lead unit is read the case, and every assisting unit is rung at once.
                    let now = self.clock()
                    self.startPhoneDispatch(stored.id, attempt: 1, at: now)
                    for unit in stored.jointUnits { self.startNotification(stored.id, unit: unit, attempt: 1, at: now) }
                default:
                    break
                }
                done(.success(stored))
            case .failure(let error):
                self.log("case \(stored.id) NOT registered: \(error) \(error.detail ?? "")")
                done(.failure(error))
            }
        }
    }

    private func auditEntry(_ event: CaseEvent, by actor: CaseActor, at now: Instant, state: CaseState) -> AuditEntry {
        AuditEntry(
            at: now, actor: actor.description, event: event.name, article: event.article.description, state: state,
            detail: detail(of: event))
    }

    /// Applies an event to an open case through the core. The new state counts at once (a later event
    /// builds on it); what the outside world hears of it (units told, the survey booked) waits until it
    /// is durable. A write that fails puts the case back as the store has it.
    @discardableResult
    func apply(
        _ event: CaseEvent, to id: CaseID, by actor: CaseActor, at now: Instant, fired: CaseTimerDue? = nil,
        callbackDone: Bool = false, recordedBy: String? = nil,
        done: @escaping (Result<Void, StoreError>) -> Void = { _ in }
    ) -> Result<Void, CaseError>? {
        guard var live = cases[id] else { return nil }
        let effects: [CaseEffect]
        do {
            effects = try live.value.apply(event, at: now, by: actor, rules: router.caseRules)
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
            default:
                break
            }
        }
        live.version += 1
        if live.value.state == .closed {
            forget(id)
        } else {
            install(live)
        }
        // A timer that fired stale (the step was done, the deadline moved) changes nothing worth a line
        // of the audit log; a real passed deadline always has effects (a missed limit, a supervision).
        var stale = false
        if case .deadlinePassed = event, effects.isEmpty { stale = true }
        var entries = stale ? [] : [auditEntry(event, by: actor, at: now, state: live.value.state)]
        if let recordedBy {
            entries = entries.map { e in
                var e = e; e.actor = recordedBy; return e
            }
        }
        let value = live.value
        submit(
            CaseChange(
                after: value, entries: entries, at: now, armed: armed, fired: fired, callback: callback,
                callbackDone: callbackDone, version: live.version)
        ) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success:
                self.carryOut(effects, of: id, at: now)
            case .failure(let error):
                self.log("case \(id): '\(event.name)' NOT stored: \(error) \(error.detail ?? "")")
                self.reload(id)
            }
            done(result)
        }
        return .success(())
    }

    /// What a durable change tells the outside world: units, the log, the satisfaction survey.
    private func carryOut(_ effects: [CaseEffect], of id: CaseID, at now: Instant) {
        for effect in effects {
            switch effect {
            case .notify(let unit, let article):
                if let c = cases[id]?.value { notifyUnit(unit, of: c, article: article) }
            case .scheduleCallback(let notBefore, _):
                if let c = cases[id]?.value { scheduleSurvey(id, repliedAt: c.repliedAt ?? now, notBefore: notBefore) }
            case .supervise(let unit, let newDeadline):
                log("case \(id): supervised (Art. 10(9)), \(unit) has until \(text(newDeadline))")
            case .reportForAccountability(let unit, let told):
                log(
                    "case \(id): \(unit) reported for accountability (Art. 13)\(told.map { ", \($0) told" } ?? "")")
                if let told, let c = cases[id]?.value { notifyUnit(told, of: c, article: Article(13)) }
            case .tellAuthority(let authority, let unit):
                // Art. 13: an enterprise answers through its industry authority.
                log("case \(id): \(authority) told of \(unit) (supervised twice, Art. 13)")
                if let c = cases[id]?.value { notifyUnit(authority, of: c, article: Article(13)) }
            case .missed(let step, let unit):
                log("case \(id): \(step.rawValue) limit passed (\(step.article))\(unit.map { " by \($0)" } ?? "")")
            case .armTimer, .answerThroughMedia:
                break
            }
        }
    }

    /// Puts a case back as the store has it, after a write of it failed.
    private func reload(_ id: CaseID) {
        do {
            if let stored = try store.find(id), stored.value.state != .closed, let intake = stored.intake {
                install(LiveCase(value: stored.value, intake: intake, version: stored.version))
            } else {
                forget(id)
            }
        } catch {
            log("case \(id): cannot be read back from the store (\(error)); it is left out until a restart")
            forget(id)
        }
    }

    /// A case leaves memory (closed, or not in the store).
    private func forget(_ id: CaseID) {
        cases[id] = nil
        caseIDs[CaseStore.number(of: id)] = nil
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
            out.add("reply_due", text(c.deadlines.reply))
            send(out, to: peer)
        }
    }

    // MARK: Requests about cases

    /// `case`, `cases` and `show` from a unit (its own cases only, Art. 15) or the centre (a desktop or
    /// the supervisor).
    func caseRequest(_ event: String, _ m: LineMessage, as actor: CaseActor, from peer: Peer, number: Int)
        throws(LineError)
    {
        let unit: UnitID? = if case .unit(let u) = actor { u } else { nil }
        switch event {
        case "cases": try listCases(for: unit, m, to: peer, number: number)
        case "show": try showCase(m, for: unit, to: peer, number: number)
        default: try caseEvent(m, actor: actor, from: peer, number: number, at: clock())
        }
    }

    /// `{"event":"case","case":ID,"action":...}` from a desktop (the centre) or a unit. A desktop may
    /// record a unit's step that the unit reported by phone: `"for_unit": ID`.
    func caseEvent(_ m: LineMessage, actor: CaseActor, from peer: Peer, number: Int, at now: Instant) throws(LineError)
    {
        let id = CaseID(try m.string("case"))
        guard let live = cases[id] else {
            throw LineError("unknown_call", "no open case '\(id)'", field: "case")
        }
        var actor = actor
        var recordedBy: String?
        if case .unit(let unit) = actor, !visible(live.value, to: unit) {
            // Art. 15: a unit sees and acts on its own cases only; others do not exist for it.
            throw LineError("unknown_call", "no open case '\(id)'", field: "case")
        }
        if let forUnit = try m.optionalString("for_unit") {
            guard actor == .centre, peer.roles.contains(.desktop) else {
                throw LineError("not_permitted", "only the centre records a unit's step for it", field: "for_unit")
            }
            actor = .unit(UnitID(forUnit))
            recordedBy = "centre for unit \(forUnit)"
        }
        let event = try caseEvent(from: m, case: live.value, at: now)
        let line = number
        var stateAfter = live.value.state
        let result = apply(event, to: id, by: actor, at: now, recordedBy: recordedBy) { [weak self, weak peer] stored in
            guard let self else { return }
            if case .success = stored, case .governmentDecided(let order) = event {
                // Art. 8: the decided case goes to its unit as a written work order at once.
                self.apply(.dispatch(order.responsibility, .workOrder), to: id, by: .centre, at: now)
            }
            guard let peer else { return }
            switch stored {
            case .success:
                self.acknowledge("case", line: line, to: peer) { out in
                    out.add("case", id.rawValue)
                    out.add("state", stateAfter.rawValue)
                }
            case .failure:
                self.reject(
                    LineError("refused", "the case store could not write it; the case is as it was"), line: line,
                    to: peer)
            }
        }
        if case .failure(let error) = result {
            throw LineError("refused", "\(error)", field: "action")
        }
        stateAfter = cases[id]?.value.state ?? .closed
    }

    private func caseEvent(from m: LineMessage, case c: Case, at now: Instant) throws(LineError) -> CaseEvent {
        let action = try m.choice(
            "action",
            [
                "sign_for", "return", "hand_on", "contact_caller", "request_extension", "grant_extension",
                "refuse_extension", "reply", "callback", "file_closure_report", "close", "follow_up",
                "referral_acknowledged", "attend", "report_upward", "report_information", "repeat_call",
                "government_decided", "dispatch",
            ])
        switch action {
        case "sign_for": return .signFor
        case "return": return .returnCase
        case "hand_on": return .handOn(to: UnitID(try m.string("to")))
        case "contact_caller": return .contactCaller
        case "request_extension": return .requestExtension
        case "grant_extension": return .grantExtension
        case "refuse_extension": return .refuseExtension
        case "report_information": return .reportInformation
        case "repeat_call": return .repeatCall
        case "dispatch":
            // After a return (退单): the centre sends the case again in writing, to the unit the directory
            // names or to the one it designates (`unit`); after the last return allowed the unit is designated.
            guard let named = try m.optionalString("unit").map({ UnitID($0) }) else {
                // The unit the directory in force names for the matter (not the one it last went to).
                let found = router.responsibility(
                    for: c.order.category, in: c.order.territory, directToTierThree: false, at: now)
                if case .unit(let r) = found { return .dispatch(r, .workOrder) }
                return .dispatch(c.order.responsibility, .workOrder)
            }
            guard let u = router.directory.snapshot(at: now)[named], u.kind != .centre else {
                throw LineError("refused", "no unit '\(named)' in the directory (Art. 7)", field: "unit")
            }
            let upper = u.tier == .three ? (u.upperTier ?? u.id) : u.id
            return .dispatch(Responsibility(dispatchTo: upper, handler: u.id), .workOrder)
        case "reply":
            return .reply(ReplyChannel(rawValue: try m.choice("channel", ReplyChannel.allCases.map(\.rawValue)))!)
        case "callback":
            // A verdict the centre received other than by its survey call (SMS, an online survey).
            return .callback(
                Satisfaction(rawValue: try m.choice("verdict", Satisfaction.allCases.map(\.rawValue)))!)
        case "file_closure_report": return .fileClosureReport
        case "close": return .close
        case "follow_up":
            return .followUp(FollowUp(rawValue: try m.choice("follow_up", FollowUp.allCases.map(\.rawValue)))!)
        case "referral_acknowledged": return .referralAcknowledged
        case "attend": return .attend(UnitID(try m.string("unit")))
        case "report_upward": return .reportUpward(to: try m.string("to"))
        default:
            // Art. 8: the city government named the unit; the centre records it.
            let unit = UnitID(try m.string("unit"))
            let request = CallRequest(category: c.order.category, territory: c.order.territory, intent: .workOrder)
            guard let order = router.orderAfterGovernmentDecision(for: request, unit: unit, at: now) else {
                throw LineError("refused", "no unit '\(unit)' in the directory (Art. 8)", field: "unit")
            }
            return .governmentDecided(order)
        }
    }

    func visible(_ c: Case, to unit: UnitID) -> Bool {
        c.holder == unit || c.dispatchedTo == unit || c.jointUnits.contains(unit)
    }

    /// `{"event":"cases","after":ID?,"limit":N?}`: a page of open cases in number order; a unit gets its
    /// own only (Art. 15). Caller numbers are masked. `next` is the `after` of the following page.
    func listCases(for unit: UnitID?, _ m: LineMessage, to peer: Peer, number: Int) throws(LineError) {
        let limit = try m.int("limit") ?? options.pageSize
        guard (1...options.maxPageSize).contains(limit) else {
            throw LineError("wrong_type", "'limit' is 1 to \(options.maxPageSize)", field: "limit")
        }
        let after = try m.optionalString("after").map { CaseStore.number(of: CaseID($0)) }
        let ids = caseIDs
        let page = index.page(unit, after: after, limit: limit) { n in
            guard let id = ids[n], let c = cases[id]?.value else { return false }
            return unit.map { visible(c, to: $0) } ?? true
        }
        let items = page.numbers.compactMap { ids[$0].flatMap { cases[$0] } }.map { c -> String in
            var o = OutputLine()
            o.add("case", c.value.id.rawValue)
            o.add("state", c.value.state.rawValue)
            o.add("category", c.value.order.category.rawValue)
            o.add("unit", (c.value.holder ?? c.value.dispatchedTo)?.rawValue)
            o.add("reply_due", text(c.value.deadlines.reply))
            if let next = c.value.nextDeadline {
                o.add("next_deadline", text(next.at))
                o.add("next_step", next.step.rawValue)
            }
            o.add("caller", Confidential.number(c.intake.caller))
            return o.text
        }
        acknowledge("cases", line: number, to: peer) { out in
            out.add("count", items.count)
            out.add("cases", raw: "[" + items.joined(separator: ",") + "]")
            if page.more, let last = page.numbers.last, let id = ids[last] { out.add("next", id.rawValue) }
        }
    }

    /// `{"event":"show","case":ID}`: one case whole (the core's record, masked caller, never the text);
    /// open cases from memory, closed ones from the store. A unit sees its own cases only (Art. 15).
    func showCase(_ m: LineMessage, for unit: UnitID?, to peer: Peer, number: Int) throws(LineError) {
        let id = CaseID(try m.string("case"))
        let unknown = LineError("unknown_call", "no case '\(id)'", field: "case")
        let value: Case
        let caller: String
        if let live = cases[id] {
            (value, caller) = (live.value, live.intake.caller)
        } else {
            guard let stored = try? store.find(id) else { throw unknown }
            (value, caller) = (stored.value, stored.intake?.caller ?? "")
        }
        if let unit, !visible(value, to: unit) { throw unknown }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let record = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        acknowledge("show", line: number, to: peer) { out in
            out.add("case", id.rawValue)
            out.add("state", value.state.rawValue)
            out.add("caller", Confidential.number(caller))
            if let next = value.nextDeadline {
                out.add("next_deadline", text(next.at))
                out.add("next_step", next.step.rawValue)
            }
            out.add("record", raw: record)
        }
    }
}
