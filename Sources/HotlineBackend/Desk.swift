internal import DequeModule
internal import HotlineCore
internal import HotlineStore

/// Operators and their calls: log in and out, ready and not ready, wrap-up, and the operator's
/// disposition of a call, which the routing core decides (Art. 10(1)–(6), 7, 8, 11).
extension Switchboard {
    func desktopEvent(_ event: String, _ m: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        let now = clock()
        switch event {
        case "login":
            let id = try m.string("operator")
            guard id.utf8.count <= 128 else {
                throw LineError("wrong_type", "an operator id has at most 128 bytes", field: "operator")
            }
            if let other = agents[id]?.desk, other !== peer {
                throw LineError("refused", "operator '\(id)' is logged in at another desktop", field: "operator")
            }
            if agents[id] == nil { agents[id] = Agent(id: id) }
            agents[id]?.desk = peer
            if agents[id]?.afterWork == .logout { agents[id]?.afterWork = .notReady }
            peer.operators.insert(id)
            acknowledge(event, line: number, to: peer) { $0.add("operator", id) }
        case "logout":
            let id = try agentOf(m, at: peer)
            logOut(id, at: now)
            acknowledge(event, line: number, to: peer) { $0.add("operator", id) }
        case "ready":
            let id = try agentOf(m, at: peer)
            switch agents[id]!.state {
            case .notReady: becomeReady(id, at: now)
            case .ready: break
            // On a call or wrapping up: ready again once that is over (a break asked for is off).
            case .reserved, .talking, .wrapUp: agents[id]?.afterWork = .none
            }
            acknowledge(event, line: number, to: peer) { $0.add("operator", id) }
        case "not_ready":
            let id = try agentOf(m, at: peer)
            switch agents[id]!.state {
            case .ready:
                agents[id]?.state = .notReady
                agents[id]?.generation += 1
            // A break asked for on a call or in wrap-up starts when the work at hand is done.
            case .reserved, .talking, .wrapUp: agents[id]?.afterWork = .notReady
            case .notReady: break
            }
            acknowledge(event, line: number, to: peer) { $0.add("operator", id) }
        case "wrap_up_done":
            let id = try agentOf(m, at: peer)
            guard agents[id]?.state == .wrapUp else {
                throw LineError("out_of_order", "operator '\(id)' is not in wrap-up", field: "operator")
            }
            endWrapUp(id, at: now)
            acknowledge(event, line: number, to: peer) { $0.add("operator", id) }
        case "disposition":
            try disposition(m, from: peer, number: number, at: now)
        case "transfer":
            try transfer(m, from: peer, number: number, at: now)
        case "conference_outcome":
            try conferenceOutcome(m, from: peer, number: number, at: now)
        default:
            throw LineError("unknown_event", "unknown event '\(event)' from an operator desktop", field: "event")
        }
    }

    /// The operator an event names, who must be logged in at this desktop.
    private func agentOf(_ m: LineMessage, at peer: Peer) throws(LineError) -> String {
        let id = try m.string("operator")
        guard let agent = agents[id], agent.desk === peer else {
            throw LineError("out_of_order", "operator '\(id)' is not logged in at this desktop", field: "operator")
        }
        return id
    }

    /// The call an operator of this desktop is on, by the id the desktop names; in wrap-up, the call
    /// just ended (its caller hung up before the operator gave the disposition).
    private func callOf(_ agentID: String, _ callID: String) -> Call? {
        guard let agent = agents[agentID] else { return nil }
        if let key = agent.call, let call = calls[key], call.id == callID, call.agent == agentID { return call }
        if agent.state == .wrapUp, let call = agent.wrappingUp, call.id == callID { return call }
        return nil
    }

    func becomeReady(_ id: String, at now: Instant) {
        guard var agent = agents[id] else { return }
        agent.state = .ready
        agent.idleSince = now
        agent.call = nil
        agent.wrappingUp = nil
        agent.generation += 1
        agent.afterWork = .none
        agents[id] = agent
        readyOrder.append((id, agent.generation))
        if !dispatchWaitingCallers(at: now) { offerOutboundWork(at: now) }
    }

    /// The operator logs out: at once when idle; after the call at hand and its wrap-up otherwise.
    /// `force` (the desktop's connection is gone) leaves no operator behind without a desktop.
    func logOut(_ id: String, at now: Instant, force: Bool = false) {
        guard let agent = agents[id] else { return }
        switch agent.state {
        case .reserved, .talking, .wrapUp:
            agents[id]?.afterWork = .logout
            if force { agents[id]?.desk = nil }
            if force && agent.state == .wrapUp {
                concludeAfterCall(id, at: now)
                leave(id)
            }
        case .ready, .notReady:
            leave(id)
        }
    }

    private func leave(_ id: String) {
        agents[id]?.desk?.operators.remove(id)
        agents[id] = nil
    }

    /// The longest-idle ready operator (ACD): the head of the ready order, in O(1) amortised.
    func longestIdleAgent() -> String? {
        while let (id, generation) = readyOrder.first {
            if let agent = agents[id], agent.state == .ready, agent.generation == generation { return id }
            readyOrder.removeFirst()
        }
        return nil
    }

    /// The call is over: the operator wraps up (for `--wrap-up` seconds, or until the desktop says so),
    /// and may still give the call's disposition.
    func startWrapUp(_ id: String, after call: Call, at now: Instant) {
        guard var agent = agents[id] else { return }
        agent.call = nil
        agent.wrappingUp = call
        agent.generation += 1
        agent.state = .wrapUp
        agents[id] = agent
        if agent.desk == nil {
            concludeAfterCall(id, at: now)
            leave(id)
            return
        }
        if let wrapUp = options.wrapUp {
            schedule(.wrapUpEnd(agent: id, generation: agent.generation), at: now + wrapUp)
        }
    }

    /// Wrap-up is over: ready, or what the operator asked for meanwhile (a break, the end of a shift).
    func endWrapUp(_ id: String, at now: Instant) {
        concludeAfterCall(id, at: now)
        agents[id]?.wrappingUp = nil
        guard let agent = agents[id] else { return }
        switch agent.afterWork {
        case .none:
            becomeReady(id, at: now)
        case .notReady:
            agents[id]?.state = .notReady
            agents[id]?.afterWork = .none
            agents[id]?.generation += 1
        case .logout:
            leave(id)
        }
    }

    /// Wrap-up is over with a three-party call whose outcome the operator never gave (the caller hung
    /// up in it): the unit did not settle the matter in the centre's hearing, so it is registered as
    /// when it cannot answer on the spot (Art. 10(2)), and no caller's matter is lost.
    private func concludeAfterCall(_ id: String, at now: Instant) {
        guard let call = agents[id]?.wrappingUp, let (request, r) = call.conference else { return }
        concludeConference(call, request: request, responsibility: r, outcome: .cannotAnswerOnSpot, at: now)
    }

    // MARK: Dispositions

    /// The operator says what the call needs; the routing core decides what happens.
    private func disposition(_ m: LineMessage, from peer: Peer, number: Int, at now: Instant) throws(LineError) {
        let agentID = try agentOf(m, at: peer)
        let callID = try m.string("call")
        // During the call, while it is being hung up, or in the wrap-up after it.
        guard let call = callOf(agentID, callID), [.talking, .leaving, .ended].contains(call.stage) else {
            throw LineError("out_of_order", "operator '\(agentID)' is not talking on call '\(callID)'", field: "call")
        }
        guard !call.settled else {
            throw LineError("out_of_order", "call '\(callID)' has a disposition already", field: "call")
        }
        let action = try m.choice(
            "action", ["direct", "three_party", "register", "work_order", "referral", "escalation"])
        if let repeatOf = try m.optionalString("repeat_of") {
            // Art. 10(10): the caller calls about a case still open; the call joins it.
            try joinRepeatCall(call, case: CaseID(repeatOf), line: number, desk: peer, at: now)
            return
        }
        if action == "three_party", call.stage != .talking {
            throw LineError(
                "out_of_order",
                "the caller of call '\(callID)' has hung up: a three-party call needs the caller on the line (Art. 10(2)); give 'register' for a phone dispatch (Art. 10(3))",
                field: "action")
        }
        let category = try m.optionalString("category").map { CategoryCode($0) }
        guard let category else {
            guard action == "direct" else {
                throw LineError("missing_field", "'category' is required for '\(action)' (Art. 4)", field: "category")
            }
            // Art. 10(1): answered on the spot, not classified; the contact is logged, no case.
            call.settled = true
            logContact(call, category: nil, decision: "answer_directly", case: nil, at: now)
            acknowledge("disposition", line: number, to: peer) { out in
                out.add("call", callID)
                out.add("decision", "answer_directly")
                out.add("article", Article(10, 1).description)
            }
            return
        }
        let intent = Disposition(protocolAction: action) ?? .escalation
        let origin = try m.optionalString("origin").map { text throws(LineError) -> CaseOrigin in
            guard let o = CaseOrigin(rawValue: text) else {
                throw LineError(
                    "wrong_type", "'origin' is one of \(CaseOrigin.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "origin")
            }
            return o
        }
        let request = CallRequest(
            category: category, territory: try m.optionalString("territory").map { TerritoryID($0) }, intent: intent,
            origin: origin ?? .public, major: try m.bool("major", default: false))
        if let t = request.territory, router.territories[t] == nil {
            throw LineError("refused", "no territory '\(t)' in the model", field: "territory")
        }
        let summary = try m.optionalString("summary") ?? ""
        guard summary.utf8.count <= 16_384 else {
            throw LineError("wrong_type", "'summary' has at most 16384 bytes", field: "summary")
        }
        let intake = Intake(
            caller: call.from, summary: summary, call: call.id, urgent: try m.bool("urgent", default: false))
        // The core decides, whatever the operator chose: an emergency category is escalated even when
        // the operator meant to answer it directly (Art. 10(6), 11).
        let decision = router.disposition(for: request, at: now)
        if case .unknownCategory(let code) = decision {
            throw LineError("refused", "no category '\(code)' in the category tree (Art. 4)", field: "category")
        }
        if let unit = try m.optionalString("unit").map({ UnitID($0) }), let named = responsibleUnit(of: decision),
            named != unit
        {
            throw LineError(
                "refused",
                "the directory names \(named) for \(request.category)\(request.territory.map { " in \($0)" } ?? ""), not \(unit) (Art. 7, 9)",
                field: "unit")
        }
        call.settled = true
        if case .conference(let r) = decision {
            startConference(
                call, request: request, responsibility: r, intake: intake, desk: peer, line: number, at: now)
            return
        }
        settle(call, decision: decision, request: request, intake: intake, desk: peer, line: number, at: now)
    }

    /// Art. 10(10): a call about an open case joins it (the unit hears of it); nothing new is opened.
    private func joinRepeatCall(_ call: Call, case id: CaseID, line: Int, desk: Peer, at now: Instant)
        throws(LineError)
    {
        guard cases[id] != nil else {
            throw LineError("unknown_call", "no open case '\(id)' to join the call to", field: "repeat_of")
        }
        call.settled = true
        let result = apply(.repeatCall, to: id, by: .centre, at: now) { [weak self, weak desk] stored in
            guard let self else { return }
            if case .success = stored {
                self.logContact(call, category: nil, decision: "repeat_call", case: id, at: now)
            }
            guard let desk else { return }
            switch stored {
            case .success:
                self.acknowledge("disposition", line: line, to: desk) { out in
                    out.add("call", call.id)
                    out.add("decision", "repeat_call")
                    out.add("article", Article(10, 10).description)
                    out.add("case", id.rawValue)
                }
            case .failure:
                call.settled = false
                self.reject(
                    LineError("refused", "the case store could not write it; the call is not joined"), line: line,
                    to: desk)
            }
        }
        if case .failure(let error) = result {
            call.settled = false
            throw LineError("refused", "\(error)", field: "repeat_of")
        }
    }

    private func responsibleUnit(of decision: CallDecision) -> UnitID? {
        switch decision {
        case .conference(let r): r.handler
        case .register(let order): order.responsibility.handler
        case .escalate(let e): e.order?.responsibility.handler
        default: nil
        }
    }

    /// Carries out a final decision: a case is opened and acknowledged once durable, or nothing is. The
    /// contact line, and the end of the three-party call `endsConference` names, go in the same write.
    func settle(
        _ call: Call, decision: CallDecision, request: CallRequest, intake: Intake, desk: Peer?, line: Int,
        at now: Instant, endsConference: String? = nil
    ) {
        let over: [StoreWrite] = endsConference.map { [.conferenceOver(key: $0)] } ?? []
        guard let opened = openCase(for: decision, of: request, at: now) else {
            logContact(
                call, category: request.category, decision: decisionName(decision), case: nil, at: now, alongside: over)
            if let desk {
                acknowledge("disposition", line: line, to: desk) { out in
                    out.add("call", call.id)
                    out.add("decision", decisionName(decision))
                    out.add("article", decision.article.description)
                    if case .settledByUnit(let u) = decision { out.add("unit", u.rawValue) }
                }
            }
            return
        }
        let contact = Contact(
            call: call.id, at: now, caller: call.from, category: request.category, decision: decisionName(decision),
            caseID: opened.id)
        register(
            opened, decision: decision, request: request, intake: intake, at: now, alongside: [.contact(contact)] + over
        ) { [weak self, weak desk] result in
            guard let self else { return }
            switch result {
            case .success(let stored):
                guard let desk else { return }
                self.acknowledge("disposition", line: line, to: desk) { out in
                    out.add("call", call.id)
                    out.add("decision", decisionName(decision))
                    out.add("article", decision.article.description)
                    out.add("case", stored.id.rawValue)
                    out.add("state", stored.state.rawValue)
                    out.add("unit", stored.order.responsibility.dispatchTo.rawValue)
                    out.add("reply_due", self.text(stored.deadlines.reply))
                }
            case .failure:
                // Nothing was registered: the operator may give the disposition again.
                call.settled = false
                if let desk {
                    self.reject(
                        LineError("refused", "the case store could not write the case; nothing was registered"),
                        line: line, to: desk)
                }
            }
        }
    }

    /// The operator hands the caller over (blind) to a unit's line or a number, e.g. an emergency
    /// service; the call leaves the centre once the adapter has done it.
    private func transfer(_ m: LineMessage, from peer: Peer, number: Int, at now: Instant) throws(LineError) {
        let agentID = try agentOf(m, at: peer)
        let callID = try m.string("call")
        guard let call = callOf(agentID, callID), call.stage == .talking else {
            throw LineError("out_of_order", "operator '\(agentID)' is not talking on call '\(callID)'", field: "call")
        }
        let target: String
        if let unit = try m.optionalString("unit") {
            guard router.directory.snapshot(at: now).contains(UnitID(unit)) else {
                throw LineError("refused", "no unit '\(unit)' in the directory", field: "unit")
            }
            target = "{\"unit\":\(OutputLine.quote(unit))}"
        } else {
            let to = try m.string("number")
            guard to.count <= 32, to.allSatisfy({ "0123456789+*#".contains($0) }) else {
                throw LineError("wrong_type", "'number' may hold only digits, +, * and # (at most 32)", field: "number")
            }
            target = "{\"number\":\(OutputLine.quote(to))}"
        }
        call.settled = true
        send(command: "transfer", .transfer, to: call, at: now) { out in
            out.add("to", raw: target)
            out.add("blind", true)
        }
        acknowledge("transfer", line: number, to: peer) { $0.add("call", callID) }
    }

    // MARK: Three-party calls (Art. 10(2))

    private func startConference(
        _ call: Call, request: CallRequest, responsibility r: Responsibility, intake: Intake, desk: Peer, line: Int,
        at now: Instant
    ) {
        let unit = r.dispatchTo
        guard hasFreeLine(unit, at: now) else {
            // Every duty line busy: registration and phone dispatch (Art. 10(3)).
            logDutyLineCall(unit, answered: false, purpose: "conference", at: now)
            let decision = router.decision(after: .lineBusy, of: request, with: r, at: now)
            return settle(call, decision: decision, request: request, intake: intake, desk: desk, line: line, at: now)
        }
        holdLine(unit, by: call)
        call.conference = (request, r)
        call.stage = .conference
        pendingConferences[call.key] = (intake, line)
        // Kept on disk until the outcome, before the operator hears "conference" and the line rings: a
        // server killed from then on registers the matter when it starts again.
        let pending = PendingConference(key: call.key, at: now, request: request, intake: intake)
        call.conferenceBeingKept = true
        submitWrite(.conferencePending(pending)) { [weak self, weak desk] result in
            guard let self else { return }
            call.conferenceBeingKept = false
            if case .failure(let error) = result {
                self.log("three-party call of call \(call.id) NOT kept on disk: \(error)")
            }
            if let desk {
                self.acknowledge("disposition", line: line, to: desk) { out in
                    out.add("call", call.id)
                    out.add("decision", "conference")
                    out.add("article", Article(10, 2).description)
                    out.add("unit", unit.rawValue)
                }
            }
            guard call.conference != nil else { return }
            guard call.stage == .conference else {
                // The caller hung up before the line rang: the unit was never heard (Art. 10(3)).
                return self.concludeConference(
                    call, request: request, responsibility: r, outcome: .noAnswer, at: self.clock())
            }
            self.dial(call, .unit(unit), mode: "conference", .conferenceDial(unit), at: now)
        }
    }

    /// The duty line answered (the unit is in the conference) or did not.
    func conferenceDialEnded(_ call: Call, unit: UnitID, status: CommandStatus, reason: String?, at now: Instant) {
        guard let (request, r) = call.conference else { return }
        if status != .hungup { logDutyLineCall(unit, answered: status == .ok, purpose: "conference", at: now) }
        if status == .ok {
            call.unitInBridge = true
            if let agentID = call.agent, let desk = agents[agentID]?.desk {
                var out = OutputLine("notice", "unit_joined")
                out.add("operator", agentID)
                out.add("call", call.id)
                out.add("unit", unit.rawValue)
                send(out, to: desk)
            }
            return
        }
        releaseLine(unit, of: call)
        if status == .hungup { return }
        // Art. 10(3): the unit did not answer (or its line was busy): register and dispatch by phone.
        let outcome: ConferenceOutcome = reason == "busy" ? .lineBusy : .noAnswer
        concludeConference(call, request: request, responsibility: r, outcome: outcome, at: now)
    }

    /// The operator reports how the three-party call went: settled on the spot, or not.
    private func conferenceOutcome(_ m: LineMessage, from peer: Peer, number: Int, at now: Instant) throws(LineError) {
        let agentID = try agentOf(m, at: peer)
        let callID = try m.string("call")
        guard let call = callOf(agentID, callID), call.conference != nil,
            call.stage == .conference || call.stage == .ended
        else {
            throw LineError("out_of_order", "call '\(callID)' has no three-party call under way", field: "call")
        }
        guard !call.dutyLineRinging, !call.conferenceBeingKept else {
            throw LineError(
                "out_of_order", "the unit's duty line is still ringing on call '\(callID)': no outcome yet",
                field: "call")
        }
        let outcome = try m.choice("outcome", ["answered_on_spot", "cannot_answer_on_spot"])
        guard let (request, r) = call.conference else { return }
        // A unit still in the bridge keeps its duty line busy (it may talk on with the caller) until
        // its leg leaves or the call ends.
        if let unit = call.heldLine, !call.unitInBridge { releaseLine(unit, of: call) }
        pendingConferences[call.key]?.line = number
        concludeConference(
            call, request: request, responsibility: r, outcome: ConferenceOutcome(rawValue: outcome)!, at: now)
    }

    private func concludeConference(
        _ call: Call, request: CallRequest, responsibility r: Responsibility, outcome: ConferenceOutcome,
        at now: Instant
    ) {
        call.conference = nil
        if call.stage != .ended { call.stage = .talking }
        let pending = pendingConferences.removeValue(forKey: call.key)
        let intake = pending?.intake
        let line = pending?.line ?? 0
        let decision = router.decision(after: outcome, of: request, with: r, at: now)
        let desk = call.agent.flatMap { agents[$0]?.desk }
        if let desk, outcome == .noAnswer || outcome == .lineBusy {
            var out = OutputLine("notice", "conference_failed")
            out.add("call", call.id)
            out.add("unit", r.dispatchTo.rawValue)
            out.add("outcome", outcome.rawValue)
            out.add("article", Article(10, 3).description)
            send(out, to: desk)
        }
        settle(
            call, decision: decision, request: request,
            intake: intake ?? Intake(caller: call.from, summary: "", call: call.id), desk: desk, line: line, at: now,
            endsConference: call.key)
        hangUpIfAlone(call, at: now)
    }

    /// At start-up: the three-party calls that were under way when the server stopped. Their callers
    /// are gone with the server's calls, and no outcome came, so each is registered as a matter the
    /// unit could not answer on the spot (Art. 10(2)-(3)), as at the end of a wrap-up without one, in
    /// the same write as the end of the entry. One that opens no case now (its category gone from the
    /// model) or does not decode is logged and left in the store for a person to see to.
    func takeUpPendingConferences() throws {
        let now = clock()
        let stored = try store.pendingConferences()
        for key in stored.unreadable {
            log(
                "a three-party call under way when the server stopped does not decode (entry \(OutputLine.quote(key)) of pending_conferences); left in the store, NOT registered"
            )
        }
        for p in stored.conferences {
            let at = max(now, p.at)
            let decision: CallDecision
            switch router.disposition(for: p.request, at: p.at) {
            case .conference(let r):
                decision = router.decision(after: .cannotAnswerOnSpot, of: p.request, with: r, at: at)
            case let other: decision = other
            }
            guard let opened = openCase(for: decision, of: p.request, at: at) else {
                log(
                    "call \(p.intake.call): a three-party call under way when the server stopped opens no case now (category \(p.request.category), \(decisionName(decision))); left in the store, NOT registered"
                )
                continue
            }
            let contact = Contact(
                call: p.intake.call, at: at, caller: p.intake.caller, category: p.request.category,
                decision: decisionName(decision), caseID: opened.id)
            register(
                opened, decision: decision, request: p.request, intake: p.intake, at: at,
                alongside: [.contact(contact), .conferenceOver(key: p.key)]
            ) { [weak self] result in
                guard case .success(let stored) = result else { return }
                self?.log(
                    "call \(p.intake.call): a three-party call under way when the server stopped is case \(stored.id) (Art. 10(3))"
                )
            }
        }
    }

    /// The unit's leg left the bridge of a caller's call: its duty line is free again, whether or not
    /// the operator has reported the outcome yet. While the line still rings, the dial's result
    /// decides; an outbound call to a duty line frees it when it ends.
    func unitLegLeft(_ call: Call, at now: Instant) {
        guard case .inbound = call.purpose, !call.dutyLineRinging else { return }
        if let unit = call.heldLine { releaseLine(unit, of: call) }
    }

    /// Whether a duty line of `unit` is free now (the directory in force says how many it keeps).
    func hasFreeLine(_ unit: UnitID, at now: Instant) -> Bool {
        linesBusy[unit, default: 0] < router.directory.snapshot(at: now)[unit]?.dutyLines?.count ?? 0
    }

    /// `call` takes one of `unit`'s duty lines until `releaseLine` (a call holds one line at most).
    func holdLine(_ unit: UnitID, by call: Call) {
        if let held = call.heldLine { releaseLine(held, of: call) }
        linesBusy[unit, default: 0] += 1
        call.heldLine = unit
    }

    func releaseLine(_ unit: UnitID, of call: Call) {
        guard call.heldLine == unit else { return }
        call.heldLine = nil
        linesBusy[unit, default: 1] -= 1
    }
}
