internal import DequeModule
internal import HotlineCore
internal import HotlineStore

/// An outbound leg that waits for an adapter to carry it (after a restart, or while none is connected):
/// it is started when one says hello, without spending an attempt.
enum ParkedLeg {
    case dispatch(CaseID, attempt: Int)
    case notification(CaseID, UnitID, attempt: Int)
    case survey(CaseID)
    case callbacks
}

/// The centre's outbound legs: reading a case to a unit's duty line (Art. 10(3)), ringing assisting
/// units of an emergency (Art. 11), the satisfaction survey (Art. 10(10)) and call-backs of callers
/// who hung up in the queue. Their rules (`PhoneLegs`, `Callbacks.surveyTime`) are the simulator's too.
extension Switchboard {
    var legs: PhoneLegs { model.phoneLegs }

    // MARK: Phone dispatch (Art. 10(3))

    /// Rings the unit's duty line to read it the case; "1" signs for it. A line that is busy or does not
    /// answer is tried again; after the last attempt the case goes as a written work order (Art. 10(4)).
    func startPhoneDispatch(_ id: CaseID, attempt: Int, at now: Instant) {
        guard let live = cases[id], live.value.state == .registered || live.value.state == .escalated else { return }
        let unit = live.value.order.responsibility.dispatchTo
        if attempt > legs.dispatchAttempts {
            apply(.dispatch(live.value.order.responsibility, .workOrder), to: id, by: .centre, at: now)
            return
        }
        guard let adapter = outboundAdapter() else { return parked.append(.dispatch(id, attempt: attempt)) }
        guard hasFreeLine(unit, at: now) else {
            logDutyLineCall(unit, answered: false, purpose: "dispatch", at: now)
            return dispatchAttemptFailed(id, attempt: attempt, at: now)
        }
        let call = outboundCall(.dispatch(id, attempt: attempt), on: adapter)
        holdLine(unit, by: call)
        dial(call, .unit(unit), purpose: "dispatch", .outboundDial(unit), at: now)
    }

    /// Art. 11: rings an assisting unit's duty line to tell it of the emergency case it joins.
    func startNotification(_ id: CaseID, unit: UnitID, attempt: Int, at now: Instant) {
        guard cases[id] != nil else { return }
        guard attempt <= legs.notificationAttempts else {
            log("case \(id): assisting unit \(unit) not reached by phone after \(attempt - 1) attempts (Art. 11)")
            return
        }
        guard let adapter = outboundAdapter() else {
            return parked.append(.notification(id, unit, attempt: attempt))
        }
        guard hasFreeLine(unit, at: now) else {
            logDutyLineCall(unit, answered: false, purpose: "notification", at: now)
            return notificationAttemptFailed(id, unit: unit, attempt: attempt, at: now)
        }
        let call = outboundCall(.notification(id, unit, attempt: attempt), on: adapter)
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
        let caseID: CaseID? =
            switch call.purpose {
            case .dispatch(let id, _), .notification(let id, _, _), .satisfaction(let id): id
            default: nil
            }
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
            out.add("case", caseID?.rawValue)
            if mode == "conference" || target.isUnit { out.add("ring_timeout_s", Int(ring)) }
        }
    }

    /// The duty line was busy or did not answer: ring again later.
    func dispatchAttemptFailed(_ id: CaseID, attempt: Int, at now: Instant) {
        schedule(.dispatchRetry(id, attempt: attempt + 1), at: now + legs.dispatchRetry)
    }

    func notificationAttemptFailed(_ id: CaseID, unit: UnitID, attempt: Int, at now: Instant) {
        schedule(.notificationRetry(id, unit, attempt: attempt + 1), at: now + legs.notificationRetry)
    }

    /// The adapter that carries the centre's outbound calls: the first connected, by name.
    func outboundAdapter() -> Peer? {
        adapters.values.min { $0.name < $1.name }
    }

    /// A new outbound call on `adapter`.
    func outboundCall(_ purpose: Call.Purpose, number: String = "", on adapter: Peer) -> Call {
        nextOutbound += 1
        let call = Call(id: "out-\(nextOutbound)", from: number, purpose: purpose, peer: adapter, stage: .dialing)
        calls[call.key] = call
        return call
    }

    /// An adapter said hello: the legs that waited for one start now, without spending an attempt.
    func resumeParkedLegs(at now: Instant) {
        let waiting = parked
        parked = []
        for leg in waiting {
            switch leg {
            case .dispatch(let id, let attempt): startPhoneDispatch(id, attempt: attempt, at: now)
            case .notification(let id, let unit, let attempt):
                startNotification(id, unit: unit, attempt: attempt, at: now)
            case .survey(let id): startSatisfactionCallback(id, at: now)
            case .callbacks: offerOutboundWork(at: now)
            }
        }
    }

    /// The dialled party answered, or not.
    func outboundAnswered(_ call: Call, unit: UnitID?, status: CommandStatus, reason: String?, at now: Instant) {
        if let unit, status != .hungup {
            switch call.purpose {
            case .dispatch: logDutyLineCall(unit, answered: status == .ok, purpose: "dispatch", at: now)
            case .notification: logDutyLineCall(unit, answered: status == .ok, purpose: "notification", at: now)
            default: break
            }
        }
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
                apply(.dispatch(live.value.order.responsibility, .phone), to: id, by: .centre, at: now)
            }
            collect(
                ["case-dispatch", "case:\(id.rawValue)", "press-1-to-sign"], max: 1, .readCase, to: call, at: now,
                timeout: legs.readingLimit)
        case .satisfaction:
            collect(["satisfaction-survey"], max: 1, .survey, to: call, at: now)
        case .notification(let id, _, _):
            call.settled = true
            play(["case-joint-handling", "case:\(id.rawValue)", "attend-at-once"], .farewell, to: call, at: now)
            hangUp(call, cause: "normal", at: now)
        case .missedCallback:
            // The caller is back on the line: they join the queue ahead of new callers.
            callbackDials -= 1
            enqueueFront(call, at: now)
        case .inbound:
            break
        }
    }

    func readCaseEnded(_ call: Call, status: CommandStatus, digits: String?, at now: Instant) {
        guard case .dispatch(let id, _) = call.purpose else { return }
        if status == .ok, digits == "1", let holder = cases[id]?.value.holder {
            apply(.signFor, to: id, by: .unit(holder), at: now)
            play(["case-signed"], .farewell, to: call, at: now)
        }
        hangUp(call, cause: "normal", at: now)
    }

    // MARK: Satisfaction surveys (Art. 10(10))

    /// Books the survey of a replied case for the next working day (`Callbacks.surveyTime`).
    func scheduleSurvey(_ id: CaseID, repliedAt: Instant, notBefore: Instant) {
        // A model without callbacks makes no survey calls: verdicts come by SMS, recorded by the centre.
        guard let callbacks = model.callbacks else { return }
        schedule(.satisfactionCallback(id), at: callbacks.surveyTime(repliedAt: repliedAt, notBefore: notBefore))
    }

    /// Rings the caller for their verdict. One attempt: a caller who does not answer gives it by SMS or
    /// an online survey, which the centre records (`case` action `callback`).
    func startSatisfactionCallback(_ id: CaseID, at now: Instant) {
        guard let live = cases[id], live.value.state == .replied else { return }
        guard live.intake.caller != "unknown", !live.intake.caller.isEmpty else { return }
        guard let adapter = outboundAdapter() else { return parked.append(.survey(id)) }
        let call = outboundCall(.satisfaction(id), number: live.intake.caller, on: adapter)
        dial(call, .number(live.intake.caller), purpose: "satisfaction", .outboundDial(nil), at: now)
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
            apply(.callback(verdict), to: id, by: .centre, at: now, callbackDone: true)
            play(["thank-you"], .farewell, to: call, at: now)
        }
        hangUp(call, cause: "normal", at: now)
    }

    // MARK: Call-backs of missed calls

    /// Free operators (nobody waiting) call back callers who hung up in the queue or took the offer, one
    /// call-back per free operator, first come first served. A caller not reached is not tried again.
    func offerOutboundWork(at now: Instant) {
        guard !callbackQueue.isEmpty, waitingLine.count == 0 else { return }
        let free = agents.values.count { $0.state == .ready }
        guard free > callbackDials else { return }
        guard let adapter = outboundAdapter() else {
            if !parked.contains(where: { if case .callbacks = $0 { true } else { false } }) {
                parked.append(.callbacks)
            }
            return
        }
        for _ in callbackDials..<free {
            guard let missed = callbackQueue.popFirst() else { break }
            let call = outboundCall(.missedCallback(missed), number: missed.number, on: adapter)
            callbackDials += 1
            dial(call, .number(missed.number), purpose: "callback", .outboundDial(nil), at: now)
        }
    }

    /// A called-back caller goes to the head of the queue.
    func enqueueFront(_ call: Call, at now: Instant) {
        call.stage = .queued
        call.queuedAt = now
        waitingLine.prepend(call.key, emergency: false)
        if !dispatchWaitingCallers(at: now) {
            send(command: "queue", .hold, to: call, at: now, timeout: 86_400) { $0.add("queue", "12345") }
        }
    }
}

extension Switchboard.DialTarget {
    var isUnit: Bool {
        if case .unit = self { return true }
        return false
    }
}
