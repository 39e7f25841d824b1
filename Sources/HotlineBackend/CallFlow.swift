internal import HotlineCore
internal import HotlineStore

/// Inbound calls: the greeting, the optional language menu, the queue with its announcements and
/// call-back offer, and the connection to an operator. Events from the PBX adapter land here.
extension Switchboard {
    // MARK: Events from the adapter

    func pbxEvent(_ event: String, _ m: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        let now = clock()
        switch event {
        case "offer":
            let id = try m.string("call")
            guard calls[id] == nil else {
                throw LineError("out_of_order", "call '\(id)' was offered already", field: "call")
            }
            let from = try m.optionalString("from") ?? "unknown"
            let call = Call(id: id, from: from, purpose: .inbound, peer: peer, stage: .answering)
            calls[id] = call
            counters.callsOffered += 1
            send(command: "answer", .answer, to: call, at: now)
        case "result", "played":
            let call = try knownCall(m)
            guard let call else { return }
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
            if let digits, !digits.allSatisfy({ "0123456789*#".contains($0) }) {
                throw LineError("wrong_type", "'digits' may hold only 0-9, * and #", field: "digits")
            }
            finish(commandID, of: call, status: status, digits: digits, reason: try m.optionalString("reason"), at: now)
        case "dtmf":
            guard try knownCall(m) != nil else { return }
            let digit = try m.string("digit")
            guard digit.count == 1, "0123456789*#ABCD".contains(digit) else {
                throw LineError("wrong_type", "'digit' must be one of 0-9, *, #, A-D", field: "digit")
            }
        // Digits are collected by the adapter (`collect`); a stray digit changes nothing.
        case "joined":
            guard try knownCall(m) != nil else { return }
            _ = try m.string("party")
        case "left":
            guard let call = try knownCall(m) else { return }
            if try m.string("party") == "unit", call.stage == .conference {
                conferenceLegEnded(call, at: now)
            }
        case "hangup":
            guard let call = try knownCall(m) else { return }
            callEnded(call, cause: try m.optionalString("cause") ?? "normal", at: now)
        case "answered":
            // The channel is up: the same as an `ok` result of the `answer` or `dial` that asked for it
            // (ARI and ESL report the state change rather than a command's result).
            guard let call = try knownCall(m) else { return }
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

    /// The call an event names; `nil` (and no error) for a call that ended moments ago.
    func knownCall(_ m: LineMessage) throws(LineError) -> Call? {
        let id = try m.string("call")
        if let call = calls[id] { return call }
        if ended.contains(id) { return nil }
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
        schedule(.commandDeadline(call: call.id, command: id), at: now + (timeout ?? options.commandTimeout))
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

    func collect(_ prompts: [String], max: Int, _ intent: PendingCommand.Intent, to call: Call, at now: Instant) {
        send(command: "collect", intent, to: call, at: now, timeout: 120) { line in
            line.add("prompts", prompts)
            line.add("max", max)
            line.add("terminators", "#")
            line.add("first_timeout_ms", 8000)
            line.add("inter_digit_timeout_ms", 3000)
            line.add("flush_before", true)
            line.add("lang", call.language)
        }
    }

    func hangUp(_ call: Call, cause: String, at now: Instant) {
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
                call.stage = .leaving
                callbackQueue.append(MissedCall(number: call.from, since: now))
                play(["callback-confirmed"], .farewell, to: call, at: now)
                hangUp(call, cause: "callback_offer_taken", at: now)
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

    /// The caller joins the queue, or goes straight to the longest-idle ready operator.
    func enqueue(_ call: Call, at now: Instant) {
        call.stage = .queued
        call.queuedAt = now
        tickets += 1
        call.ticket = tickets
        waiting.append(call.id)
        if dispatchWaitingCallers(at: now), call.stage != .queued { return }
        send(command: "queue", .hold, to: call, at: now, timeout: 86_400) { $0.add("queue", "12345") }
        announce(call, at: now)
    }

    /// Tells a waiting caller their position and expected wait; offers a call-back when the wait is long.
    func announce(_ call: Call, at now: Instant) {
        guard call.stage == .queued else { return }
        let position = position(of: call)
        let wait = expectedWait(position: position)
        if let after = model.ivr.callbackOfferAfter, wait > after, !call.callbackOffered {
            call.callbackOffered = true
            call.stage = .callbackOffer
            collect(
                ["queue-position", "number:\(position)", "expected-wait", "seconds:\(Int(wait))", "callback-offer"],
                max: 1, .callbackOffer, to: call, at: now)
            return
        }
        play(
            ["queue-position", "number:\(position)", "expected-wait", "seconds:\(Int(wait))"], .announcement, to: call,
            at: now)
        scheduleAnnouncement(call, at: now)
    }

    func scheduleAnnouncement(_ call: Call, at now: Instant) {
        call.announceGeneration += 1
        schedule(.announce(call: call.id, generation: call.announceGeneration), at: now + options.announceEvery)
    }

    /// 1 for the caller answered next.
    func position(of call: Call) -> Int {
        var p = 0
        for i in waitingHead..<waiting.count {
            guard let c = calls[waiting[i]], c.stage == .queued || c.stage == .callbackOffer else { continue }
            p += 1
            if c === call { break }
        }
        return max(1, p)
    }

    /// Expected wait of the caller at `position`: the mean handling time shared by the operators at work.
    func expectedWait(position: Int) -> Double {
        let working = agents.values.filter { $0.state != .notReady }.count
        return Double(position) * meanHandle / Double(max(1, working))
    }

    /// Offers waiting callers to ready operators, longest-idle first; true when someone was connected.
    @discardableResult
    func dispatchWaitingCallers(at now: Instant) -> Bool {
        var any = false
        while waitingHead < waiting.count {
            guard let call = calls[waiting[waitingHead]], call.stage == .queued || call.stage == .callbackOffer else {
                waitingHead += 1
                continue
            }
            guard let agentID = longestIdleAgent() else { break }
            waitingHead += 1
            connect(call, to: agentID, at: now)
            any = true
        }
        if waitingHead > 1024 && waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
        return any
    }

    func connect(_ call: Call, to agentID: String, at now: Instant) {
        call.stage = .connecting
        call.announceGeneration += 1
        call.agent = agentID
        agents[agentID]?.state = .reserved
        agents[agentID]?.call = call.id
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
                out.add("waited_s", (now - (call.queuedAt ?? now)).rounded())
                send(out, to: desk)
            }
        } else if status == .hungup {
            callEnded(call, cause: "caller", at: now)
        } else {
            // The operator's phone did not take the call: the caller goes back to the head of the queue.
            agent.state = .notReady
            agent.call = nil
            agents[agentID] = agent
            call.agent = nil
            call.stage = .queued
            waitingHead = max(0, waitingHead - 1)
            waiting[waitingHead] = call.id
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
        let wasWaiting = call.stage == .queued || call.stage == .callbackOffer
        call.stage = .ended
        call.pending.removeAll()
        calls[call.id] = nil
        _ = ended.insert(call.id)
        if let unit = call.heldLine { releaseLine(unit, of: call) }
        if let agentID = call.agent { startWrapUp(agentID, at: now) }
        switch call.purpose {
        case .inbound:
            if wasWaiting, cause != "callback_offer_taken", let share = model.callbacks?.missedCallShare, share > 0,
                call.from != "unknown"
            {
                // Art. 10: a caller who hung up in the queue is called back.
                callbackQueue.append(MissedCall(number: call.from, since: now))
                schedule(.missedCallback, at: now)
            }
        case .dispatch(let id, let attempt):
            if !call.settled { dispatchAttemptFailed(id, attempt: attempt, at: now) }
        case .notification(let id, let unit, let attempt):
            if !call.settled { notificationAttemptFailed(id, unit: unit, attempt: attempt, at: now) }
        case .satisfaction, .missedCallback:
            break
        }
    }

    /// After an adapter reconnects: its calls are taken up again, and their pending commands sent again.
    func resync(_ peer: Peer, calls ids: [String], line number: Int, at now: Instant) {
        var known: [String] = []
        var unknown: [String] = []
        for id in ids {
            guard let call = calls[id] else {
                unknown.append(id)
                continue
            }
            call.peer = peer
            call.owner = peer.name
            call.detachedAt = nil
            known.append(id)
            for (_, command) in call.pending.sorted(by: { $0.key < $1.key }) { send(command.line, to: peer) }
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
}
