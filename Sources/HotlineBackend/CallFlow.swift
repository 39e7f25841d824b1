internal import HotlineCore
internal import HotlineStore

/// Inbound calls: the greeting, the optional language menu, the queue with its announcements and
/// call-back offer, and the connection to an operator. Events from the PBX adapter land here.
extension Switchboard {
    // MARK: Events from the adapter

    func adapterEvent(_ event: String, _ m: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        let now = clock()
        switch event {
        case "offer":
            let id = try m.string("call")
            let key = Call.key(owner: peer.name, id: id)
            guard !id.hasPrefix("out-") else {
                throw LineError("wrong_type", "call ids beginning with 'out-' are the centre's own", field: "call")
            }
            guard calls[key] == nil else {
                throw LineError("out_of_order", "call '\(id)' was offered already", field: "call")
            }
            guard id.utf8.count <= 256 else {
                throw LineError("wrong_type", "a call id has at most 256 bytes", field: "call")
            }
            let from = try m.optionalString("from") ?? "unknown"
            guard from.utf8.count <= 64 else {
                throw LineError("wrong_type", "'from' has at most 64 bytes", field: "from")
            }
            let priority = try m.optionalString("priority").map { p throws(LineError) in
                guard p == "emergency" || p == "normal" else {
                    throw LineError("wrong_type", "'priority' is emergency or normal", field: "priority")
                }
                return p
            }
            let name = try m.optionalString("name")
            guard (name?.utf8.count ?? 0) <= 256 else {
                throw LineError("wrong_type", "'name' has at most 256 bytes", field: "name")
            }
            let call = Call(id: id, from: from, purpose: .inbound, peer: peer, stage: .answering)
            call.callerName = name
            call.emergency = priority == "emergency"
            calls[key] = call
            counters.callsOffered += 1
            // The caller called again: a call-back still waiting for them is not needed any more.
            if from != "unknown" { callbackQueue.removeAll { $0.number == from } }
            send(command: "answer", .answer, to: call, at: now)
        case "result", "played":
            guard let call = try knownCall(m, of: peer) else { return }
            let commandID = try m.string("command_id")
            guard call.pending[commandID] != nil else {
                throw LineError(
                    "out_of_order", "command '\(commandID)' of call '\(call.id)' is not pending (ended or never sent)",
                    field: "command_id")
            }
            let status: CommandStatus
            if event == "played" {
                status = try m.bool("completed", default: true) ? .ok : .hungup
            } else {
                status = CommandStatus(rawValue: try m.choice("status", CommandStatus.allCases.map(\.rawValue)))!
            }
            let digits = try m.optionalString("digits")
            if let digits, digits.count > 64 || !digits.allSatisfy({ "0123456789*#".contains($0) }) {
                throw LineError("wrong_type", "'digits' may hold only 0-9, * and # (at most 64)", field: "digits")
            }
            finish(commandID, of: call, status: status, digits: digits, reason: try m.optionalString("reason"), at: now)
        case "dtmf":
            guard try knownCall(m, of: peer) != nil else { return }
            let digit = try m.string("digit")
            guard digit.count == 1, "0123456789*#ABCD".contains(digit) else {
                throw LineError("wrong_type", "'digit' must be one of 0-9, *, #, A-D", field: "digit")
            }
        // Digits are collected by the adapter (`collect`); a stray digit changes nothing.
        case "joined":
            guard let call = try knownCall(m, of: peer) else { return }
            // The unit is in the bridge once its dial says so (a `joined` while it rings changes nothing).
            if try m.string("party") == "unit", !call.dutyLineRinging { call.unitInBridge = true }
        case "left":
            guard let call = try knownCall(m, of: peer) else { return }
            switch try m.string("party") {
            case "unit":
                call.unitInBridge = false
                unitLegLeft(call, at: now)
            case "agent": call.operatorLeft = true
            default: break
            }
            hangUpIfAlone(call, at: now)
        case "hangup":
            guard let call = try knownCall(m, of: peer) else { return }
            callEnded(call, cause: try m.optionalString("cause") ?? "normal", at: now)
        case "answered":
            // The channel is up: the same as an `ok` result of the `answer` or `dial` that asked for it
            // (ARI and ESL report the state change rather than a command's result).
            guard let call = try knownCall(m, of: peer) else { return }
            if let (id, _) = call.pending.first(where: { $0.value.intent.isAnswering }) {
                finish(id, of: call, status: .ok, digits: nil, reason: nil, at: now)
            }
        case "resync":
            let ids = try m.strings("calls")
            resync(peer, calls: ids, line: number, at: now)
        default:
            throw LineError("unknown_event", "unknown event '\(event)' from a PBX adapter", field: "event")
        }
    }

    /// The call an event names, which must be this adapter's; `nil` (and no error) for one of its calls
    /// that ended moments ago. Another adapter's call does not exist for it.
    func knownCall(_ m: LineMessage, of peer: Peer) throws(LineError) -> Call? {
        let id = try m.string("call")
        let key = Call.key(owner: peer.name, id: id)
        if let call = calls[key] {
            // A call still waiting for its adapter's resync is taken up by the first event about it.
            if call.peer == nil { attach(call, to: peer) }
            return call
        }
        if ended.contains(key) { return nil }
        throw LineError("unknown_call", "no call '\(id)' (offer it first)", field: "call")
    }

    // MARK: Commands

    /// Sends a command for `call`; it ends in exactly one result (from the adapter, or `timeout` here).
    @discardableResult
    func send(
        command name: String, _ intent: PendingCommand.Intent, to call: Call, at now: Instant, timeout: Double? = nil,
        _ fill: (inout OutputLine) -> Void = { _ in }
    ) -> String {
        nextCommand += 1
        let id = "c\(nextCommand)"
        var line = OutputLine("command", name)
        line.add("id", id)
        line.add("call", call.id)
        fill(&line)
        call.pending[id] = PendingCommand(name: name, line: line, intent: intent)
        schedule(.commandDeadline(key: call.key, command: id), at: now + (timeout ?? options.commandTimeout))
        counters.commands += 1
        if let peer = call.peer { send(line, to: peer) }
        return id
    }

    func play(_ prompts: [String], _ intent: PendingCommand.Intent, to call: Call, at now: Instant) {
        send(command: "play", intent, to: call, at: now, timeout: 120) { line in
            line.add("prompts", prompts)
            line.add("barge_in", false)
            line.add("lang", call.language)
        }
    }

    func collect(
        _ prompts: [String], max: Int, _ intent: PendingCommand.Intent, to call: Call, at now: Instant,
        timeout: Double = 120
    ) {
        send(command: "collect", intent, to: call, at: now, timeout: timeout) { line in
            line.add("prompts", prompts)
            line.add("max", max)
            line.add("terminators", "#")
            line.add("first_timeout_ms", 8000)
            line.add("inter_digit_timeout_ms", 3000)
            line.add("flush_before", true)
            line.add("lang", call.language)
        }
    }

    /// The operator hung up and no duty line is in the bridge (nor ringing for it): the caller would
    /// hold alone, so the call ends, as any ACD ends a call its operator hangs up. A caller with a
    /// unit's duty line stays with it until one of them leaves.
    func hangUpIfAlone(_ call: Call, at now: Instant) {
        guard call.operatorLeft, !call.unitInBridge, call.stage == .talking || call.stage == .conference,
            !call.pending.values.contains(where: { $0.name == "dial" })
        else { return }
        hangUp(call, cause: "operator_left", at: now)
    }

    func hangUp(_ call: Call, cause: String, at now: Instant) {
        if call.isWaiting { waitingLine.left() }
        call.stage = .leaving
        send(command: "hangup", .hangup, to: call, at: now) { $0.add("cause", cause) }
    }

    /// A command ended: carry on with the call.
    func finish(
        _ commandID: String, of call: Call, status: CommandStatus, digits: String?, reason: String?, at now: Instant
    ) {
        guard let command = call.pending.removeValue(forKey: commandID) else { return }
        switch command.intent {
        case .answer:
            if status == .ok {
                call.stage = .greeting
                play(["greeting"], .greeting, to: call, at: now)
            } else {
                hangUp(call, cause: "answer_failed", at: now)
            }
        case .greeting:
            guard status == .ok else { return hangUpUnlessGone(call, status, at: now) }
            if options.languages.count > 1 {
                call.stage = .language
                collect(["language-menu"], max: 1, .languageMenu, to: call, at: now)
            } else {
                call.language = options.languages.first
                enqueue(call, at: now)
            }
        case .languageMenu:
            guard status == .ok || status == .timeout else { return hangUpUnlessGone(call, status, at: now) }
            let choice = digits.flatMap { Int($0) }.map { $0 - 1 } ?? 0
            call.language =
                options.languages.indices.contains(choice) ? options.languages[choice] : options.languages[0]
            enqueue(call, at: now)
        case .hold, .announcement, .farewell:
            if status == .hungup { callEnded(call, cause: "caller", at: now) }
        case .callbackOffer:
            guard call.stage == .callbackOffer else { return }
            if status == .ok, digits == "1" {
                // The caller takes the offer: they leave the queue and are called back.
                waitingLine.left()
                call.stage = .leaving
                callbackQueue.append(MissedCall(number: call.from, since: now))
                play(["callback-confirmed"], .farewell, to: call, at: now)
                send(command: "hangup", .hangup, to: call, at: now) { $0.add("cause", "callback_offer_taken") }
                schedule(.missedCallback, at: now)
            } else if status == .hungup {
                callEnded(call, cause: "caller", at: now)
            } else {
                call.stage = .queued
                scheduleAnnouncement(call, at: now)
            }
        case .connectAgent(let agentID):
            connected(call, agent: agentID, status: status, at: now)
        case .conferenceDial(let unit):
            conferenceDialEnded(call, unit: unit, status: status, reason: reason, at: now)
        case .outboundDial(let unit):
            outboundAnswered(call, unit: unit, status: status, reason: reason, at: now)
        case .readCase:
            readCaseEnded(call, status: status, digits: digits, at: now)
        case .survey:
            surveyEnded(call, status: status, digits: digits, at: now)
        case .hangup:
            callEnded(call, cause: "backend", at: now)
        case .transfer:
            if status == .ok || status == .hungup {
                callEnded(call, cause: "transferred", at: now)
            } else if let agentID = call.agent, let desk = agents[agentID]?.desk {
                // The transfer failed: the caller is still with the operator.
                var out = OutputLine("notice", "transfer_failed")
                out.add("operator", agentID)
                out.add("call", call.id)
                out.add("status", status.rawValue)
                send(out, to: desk)
            }
        }
    }

    private func hangUpUnlessGone(_ call: Call, _ status: CommandStatus, at now: Instant) {
        if status == .hungup {
            callEnded(call, cause: "caller", at: now)
        } else {
            hangUp(call, cause: "ivr_failed", at: now)
        }
    }

    // MARK: The queue

    /// The caller joins the queue, or goes straight to the longest-idle ready operator. Joining, they
    /// hear their position and expected wait, and are offered a call-back when the wait is long.
    func enqueue(_ call: Call, at now: Instant) {
        call.stage = .queued
        call.queuedAt = now
        waitingLine.append(call.key, emergency: call.emergency)
        if dispatchWaitingCallers(at: now), call.stage != .queued { return }
        send(command: "queue", .hold, to: call, at: now, timeout: 86_400) { $0.add("queue", "12345") }
        let onDuty = agents.values.count { $0.onDuty }
        if model.ivr.offersCallback(waiting: waitingLine.count, onDuty: onDuty, meanHandle: meanHandle) {
            call.callbackOffered = true
            call.stage = .callbackOffer
            let (position, wait) = expectedWait(of: call, onDuty: onDuty)
            collect(
                ["queue-position", "number:\(position)", "expected-wait", "seconds:\(Int(wait))", "callback-offer"],
                max: 1, .callbackOffer, to: call, at: now)
            return
        }
        announce(call, at: now)
    }

    /// Tells a waiting caller their position and expected wait.
    func announce(_ call: Call, at now: Instant) {
        guard call.stage == .queued else { return }
        let (position, wait) = expectedWait(of: call, onDuty: agents.values.count { $0.onDuty })
        play(
            ["queue-position", "number:\(position)", "expected-wait", "seconds:\(Int(wait))"], .announcement, to: call,
            at: now)
        scheduleAnnouncement(call, at: now)
    }

    func scheduleAnnouncement(_ call: Call, at now: Instant) {
        call.announceGeneration += 1
        schedule(.announce(key: call.key, generation: call.announceGeneration), at: now + options.announceEvery)
    }

    /// A waiting caller's position (1 for the next answered) and expected wait: the mean handling time
    /// shared by the operators on duty.
    func expectedWait(of call: Call, onDuty: Int) -> (position: Int, seconds: Double) {
        let position = waitingLine.position(of: call.key, emergency: call.emergency) { [calls] in
            calls[$0]?.isWaiting ?? false
        }
        return (position, Double(position) * meanHandle / Double(max(1, onDuty)))
    }

    /// Offers waiting callers to ready operators, longest-idle first; true when someone was connected.
    @discardableResult
    func dispatchWaitingCallers(at now: Instant) -> Bool {
        var any = false
        while waitingLine.count > 0, let agentID = longestIdleAgent() {
            guard let key = waitingLine.popFirst(isWaiting: { [calls] in calls[$0]?.isWaiting ?? false }),
                let call = calls[key]
            else { break }
            connect(call, to: agentID, at: now)
            any = true
        }
        return any
    }

    func connect(_ call: Call, to agentID: String, at now: Instant) {
        call.stage = .connecting
        call.announceGeneration += 1
        call.agent = agentID
        agents[agentID]?.state = .reserved
        agents[agentID]?.call = call.key
        send(command: "bridge", .connectAgent(agentID), to: call, at: now) { line in
            line.add("to", raw: "{\"agent\":\(OutputLine.quote(agentID))}")
            line.add("mode", "two_way")
        }
    }

    private func connected(_ call: Call, agent agentID: String, status: CommandStatus, at now: Instant) {
        guard var agent = agents[agentID] else { return }
        if status == .ok {
            call.stage = .talking
            agent.state = .talking
            agents[agentID] = agent
            if let desk = agent.desk {
                var out = OutputLine("notice", "call")
                out.add("operator", agentID)
                out.add("call", call.id)
                out.add("caller", Confidential.number(call.from))
                // The name the PBX reports (the operator greets the caller by it); never logged.
                out.add("caller_name", call.callerName)
                out.add("waited_s", (now - (call.queuedAt ?? now)).rounded())
                if case .missedCallback = call.purpose { out.add("callback", true) }
                send(out, to: desk)
            }
        } else if status == .hungup {
            callEnded(call, cause: "caller", at: now)
        } else {
            // The operator's phone did not take the call: the operator is set not ready, and the caller
            // goes back to the head of the queue.
            agent.state = .notReady
            agent.call = nil
            agent.generation += 1
            agents[agentID] = agent
            call.agent = nil
            call.stage = .queued
            waitingLine.prepend(call.key, emergency: call.emergency)
            if let desk = agent.desk {
                var out = OutputLine("notice", "missed_offer")
                out.add("operator", agentID)
                out.add("call", call.id)
                send(out, to: desk)
            }
            dispatchWaitingCallers(at: now)
        }
    }

    // MARK: The end of a call

    /// The call is over (hangup from the adapter, a hangup command done, or the adapter never came back):
    /// every pending command ends as `hungup`, the operator goes to wrap-up, a held duty line is freed.
    func callEnded(_ call: Call, cause: String, at now: Instant) {
        guard call.stage != .ended else { return }
        let wasWaiting = call.isWaiting
        let wasDialing = call.stage == .dialing
        if wasWaiting { waitingLine.left() }
        call.stage = .ended
        call.pending.removeAll()
        calls[call.key] = nil
        _ = ended.insert(call.key)
        if let unit = call.heldLine { releaseLine(unit, of: call) }
        if let agentID = call.agent, agents[agentID]?.call == call.key { startWrapUp(agentID, after: call, at: now) }
        switch call.purpose {
        case .inbound:
            if wasWaiting, let share = model.callbacks?.missedCallShare, share > 0, call.from != "unknown" {
                // A caller who hung up in the queue is called back (2025 State Council opinion on 12345).
                callbackQueue.append(MissedCall(number: call.from, since: now))
                schedule(.missedCallback, at: now)
            }
        case .dispatch(let id, let attempt):
            if !call.settled { dispatchAttemptFailed(id, attempt: attempt, at: now) }
        case .notification(let id, let unit, let attempt):
            if !call.settled { notificationAttemptFailed(id, unit: unit, attempt: attempt, at: now) }
        case .missedCallback:
            // Not reached: the next caller to call back, if an operator is free.
            if wasDialing {
                callbackDials -= 1
                offerOutboundWork(at: now)
            }
        case .satisfaction:
            break
        }
    }

    /// After an adapter reconnects: its calls are taken up again, and their pending commands sent again.
    func resync(_ peer: Peer, calls ids: [String], line number: Int, at now: Instant) {
        var known: [String] = []
        var unknown: [String] = []
        for id in ids {
            // Only this adapter's own calls: another adapter's do not exist for it.
            guard let call = calls[Call.key(owner: peer.name, id: id)] else {
                unknown.append(id)
                continue
            }
            attach(call, to: peer)
            known.append(id)
        }
        // Calls of this adapter it did not name are gone on its side.
        for call in calls.values where call.owner == peer.name && call.peer == nil {
            callEnded(call, cause: "lost", at: now)
        }
        acknowledge("resync", line: number, to: peer) { out in
            out.add("resumed", known)
            out.add("unknown", unknown)
        }
    }

    /// A detached call is carried by `peer` again: its pending commands are sent again.
    private func attach(_ call: Call, to peer: Peer) {
        call.peer = peer
        call.detachedAt = nil
        for (_, command) in call.pending.sorted(by: { $0.key < $1.key }) { send(command.line, to: peer) }
    }
}
