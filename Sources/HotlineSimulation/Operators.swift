internal import HotlineCore
internal import HotlineEngine

/// An operator of the centre.
struct Operator {
    enum State { case off, idle, busy, onBreak }
    var state = State.off
    /// Bumped whenever the operator's pending step is superseded, so stale steps are ignored.
    var generation: UInt32 = 0
    /// Where to go when the current task ends: a break or the end of the shift.
    var leaveAfterTask: Operator.State? = nil
    /// Neighbours in the list of idle operators (longest idle first), or -1.
    var previousIdle: Int32 = -1
    var nextIdle: Int32 = -1
    var job = Job()
}

/// The task an operator is on.
struct Job {
    enum Phase { case talk, ring, bridged, afterCall, outboundTalk }
    var phase = Phase.talk
    var category: Int32 = -1
    /// Whether the routing core decides this call (the model has categories); its request and
    /// decision are kept in `ReplicationRun.routing`, so that a job stays a plain value.
    var routed = false
    var outcome: Outcome = .direct
    var intent: Disposition = .directAnswer
    /// The unit whose duty line the operator holds, or -1.
    var unitHeld: Int32 = -1
    var lineSince = 0.0
    /// The conference outcome drawn when the line answered.
    var conferenceOutcome: ConferenceOutcome? = nil
    var outbound: OutboundTask? = nil
    /// The call's number in the run.
    var call: Int32 = 0
}

/// A call the routing core decides: what the operator asked it, and what it decided.
struct Routing {
    var request: CallRequest
    var decision: CallDecision
}

/// One day's occurrence of a shift of the table.
struct ShiftInstance {
    var operators: [Int32] = []
}

extension ReplicationRun {
    // MARK: Roster

    /// Lays out the shifts that start on `day` (day −1 only for those running past midnight into day 0).
    mutating func layOutShifts(day: Int) {
        guard case .shifts(let shifts) = plan.model.staffing else { return }
        if day >= 0 && day < plan.days { queue.schedule(.dayStart(day: Int32(day + 1)), at: Double(day + 1) * 86_400) }
        let rosterDay = plan.rosterDay(day)
        for shift in shifts where shift.starts(on: rosterDay) {
            let start = Double(day) * 86_400 + Double(shift.start.seconds)
            let end = start + Double(shift.length)
            guard end > 0 else { continue }
            let instance = Int32(instances.count)
            instances.append(ShiftInstance(operators: Array(repeating: -1, count: shift.count)))
            queue.schedule(.roster(instance: instance, change: .login), at: max(start, now))
            for b in shift.breaks {
                let a = start + Double(b.offset)
                if a + Double(b.length) <= max(start, 0) { continue }
                queue.schedule(.roster(instance: instance, change: .breakStart), at: max(a, now))
                queue.schedule(.roster(instance: instance, change: .breakEnd), at: max(a + Double(b.length), now))
            }
            queue.schedule(.roster(instance: instance, change: .logout), at: end)
        }
    }

    mutating func roster(instance i: Int, change: RosterChange) {
        switch change {
        case .login:
            for k in instances[i].operators.indices { instances[i].operators[k] = login(instance: Int32(i)) }
        case .breakStart, .logout:
            let target: Operator.State = change == .logout ? .off : .onBreak
            for op in instances[i].operators where op >= 0 {
                if operators[Int(op)].state != .off { tell(.away(op: Int(op), shiftEnd: change == .logout)) }
                leave(op, to: target)
            }
        case .breakEnd:
            for op in instances[i].operators where op >= 0 && operators[Int(op)].state == .onBreak {
                operators[Int(op)].state = .idle
                changeStaffing(staffed: 1, busy: 0)
                onDuty += 1
                tell(.back(op: Int(op)))
                becomeFree(op)
            }
            for op in instances[i].operators where op >= 0 && operators[Int(op)].leaveAfterTask == .onBreak {
                operators[Int(op)].leaveAfterTask = nil
                tell(.back(op: Int(op)))
            }
        }
        if change == .logout { instances[i].operators = [] }
    }

    /// A new operator logs in and takes work.
    @discardableResult
    mutating func login(instance: Int32) -> Int32 {
        let op: Int32
        if let free = freeOperators.popLast() {
            op = free
        } else {
            op = Int32(operators.count)
            operators.append(Operator())
            routing.append(nil)
        }
        operators[Int(op)].state = .idle
        changeStaffing(staffed: 1, busy: 0)
        operators[Int(op)].leaveAfterTask = nil
        onDuty += 1
        tell(.loggedIn(op: Int(op)))
        becomeFree(op)
        return op
    }

    /// The operator goes on a break or off shift, after the task at hand.
    mutating func leave(_ op: Int32, to target: Operator.State) {
        let i = Int(op)
        switch operators[i].state {
        case .busy:
            if operators[i].leaveAfterTask != .off { operators[i].leaveAfterTask = target }
        case .idle:
            unlinkIdle(op)
            stopWork(op, to: target)
        case .onBreak:
            if target == .off {
                operators[i].state = .off
                freeOperators.append(op)
            }
        case .off:
            break
        }
    }

    mutating func stopWork(_ op: Int32, to target: Operator.State) {
        let i = Int(op)
        changeStaffing(staffed: -1, busy: 0)
        onDuty -= 1
        operators[i].state = target
        operators[i].leaveAfterTask = nil
        if target == .off { freeOperators.append(op) }
    }

    /// The longest-idle operator, if any (ACD).
    mutating func takeIdleOperator() -> Int32? {
        let op = idleHead
        guard op >= 0 else { return nil }
        unlinkIdle(op)
        return op
    }

    /// Idle operators form a doubly linked list through `operators`, longest idle at the head, so an
    /// operator leaving while idle is taken out at once.
    mutating func appendIdle(_ op: Int32) {
        operators[Int(op)].previousIdle = idleTail
        operators[Int(op)].nextIdle = -1
        if idleTail >= 0 { operators[Int(idleTail)].nextIdle = op } else { idleHead = op }
        idleTail = op
        idleCount += 1
    }

    mutating func unlinkIdle(_ op: Int32) {
        let previous = operators[Int(op)].previousIdle
        let next = operators[Int(op)].nextIdle
        if previous >= 0 { operators[Int(previous)].nextIdle = next } else { idleHead = next }
        if next >= 0 { operators[Int(next)].previousIdle = previous } else { idleTail = previous }
        operators[Int(op)].previousIdle = -1
        operators[Int(op)].nextIdle = -1
        idleCount -= 1
    }

    /// A free operator takes the next waiting caller, else outbound work, else waits idle.
    mutating func becomeFree(_ op: Int32) {
        let i = Int(op)
        if let target = operators[i].leaveAfterTask {
            operators[i].state = .idle
            stopWork(op, to: target)
            return
        }
        operators[i].state = .idle
        if let c = nextWaitingCaller() {
            answer(c, by: op)
        } else if now < plan.horizon, let task = outbound.popFirst() {
            startOutbound(task, by: op)
        } else {
            appendIdle(op)
        }
    }

    // MARK: Calls

    /// The operator answers a waiting caller (or one who just arrived to an idle centre).
    mutating func answer(_ c: Int32, by op: Int32) {
        let i = Int(c)
        let wait = now - callers[i].entry
        result.answered += 1
        result.waitAll += wait
        result.waitAnswered += wait
        let s = slot(callers[i].entry)
        intervals[s].answered += 1
        intervals[s].waitSum += wait
        if wait <= plan.threshold {
            result.answeredInTime += 1
            intervals[s].answeredInTime += 1
        }
        if callers[i].waiting { waitingCount -= 1 }
        let category = callers[i].category
        let territory = callers[i].territory
        let call = callers[i].call
        tell(.answered(call: Int(call), op: Int(op)))
        releaseCaller(c)
        startCall(by: op, category: category, territory: territory, call: call)
    }

    /// The operator talks with a caller about their matter; the routing core decides what follows.
    mutating func startCall(by op: Int32, category: Int32, territory: Int32, call: Int32) {
        var job = Job()
        job.category = category
        job.call = call
        if category >= 0 {
            let k = Int(category)
            job.intent = plan.dispositionLists[k][plan.dispositionAliases[k].sample(&rMix)]
            var request = CallRequest(
                category: plan.categories[k].code, territory: territory >= 0 ? plan.territories[Int(territory)] : nil,
                intent: job.intent)
            drawIntake(&request, category: k)
            job.routed = true
            // The routing core decides when the operator gives the disposition, at the end of the talk.
            routing[Int(op)] = Routing(request: request, decision: .answerDirectly)
        } else {
            let choices = plan.handlingDispositions
            job.intent = choices.count == 1 ? choices[0] : choices[plan.handlingAlias.sample(&rMix)]
        }
        job.phase = .talk
        startBusy(op, job: job, for: plan.talk[job.intent.index].sample(&rTalk, ziggurat))
    }

    mutating func startBusy(_ op: Int32, job: Job, for duration: Double) {
        let i = Int(op)
        operators[i].state = .busy
        operators[i].job = job
        continueBusy(op, for: duration)
    }

    /// The operator's next phase of work lasts `duration`; its busy time is counted now, since a phase
    /// always runs to its end.
    mutating func continueBusy(_ op: Int32, for duration: Double) {
        let end = now + max(0, duration)
        accrueBusy(from: now, to: end)
        operators[Int(op)].generation &+= 1
        queue.schedule(.operatorStep(op: op, generation: operators[Int(op)].generation), at: end)
    }

    /// The operator's current phase has ended.
    mutating func step(_ op: Int32) {
        let i = Int(op)
        var job = operators[i].job
        switch job.phase {
        case .talk:
            // Art. 10(10): a caller whose case is still open calls about it; the call joins the case.
            if job.routed, job.intent != .directAnswer, plan.model.cases.repeatCalls > 0,
                rIntake.nextUnit() < plan.model.cases.repeatCalls, joinRepeatCall(call: job.call, op: op)
            {
                routing[i] = nil
                job.outcome = .repeatCall
                tell(.hungUp(call: Int(job.call)))
                afterCall(op, job: job, disposition: .directAnswer)
                return
            }
            if job.routed, let request = routing[i]?.request {
                let decision = plan.model.router.disposition(for: request, at: plan.instant(now))
                routing[i]?.decision = decision
                if trace != nil {
                    trace!.append(TracedDecision(request: request, at: plan.instant(now), decision: decision))
                }
            }
            guard job.routed, let route = routing[i] else {
                // No categories: the operator settles the call alone with the drawn disposition's handling.
                job.outcome = outcomeWithoutNetwork(job.intent)
                tell(.disposition(call: Int(job.call), op: Int(op), request: nil, decision: .answerDirectly))
                tell(.hungUp(call: Int(job.call)))
                afterCall(op, job: job, disposition: job.intent)
                return
            }
            if case .conference(let r) = route.decision {
                startConference(op, job: job, responsibility: r)
            } else {
                tell(.disposition(call: Int(job.call), op: Int(op), request: route.request, decision: route.decision))
                settle(op, job: job, decision: route.decision)
            }
        case .ring:
            // Rang out, or the unit answered: bridged talk, or the fallback of Art. 10(3).
            tell(.unitRang(call: Int(job.call), answered: job.conferenceOutcome != .noAnswer))
            if job.conferenceOutcome == .noAnswer {
                releaseHeldLine(op, job: &job)
                conferenceEnded(op, job: job, outcome: .noAnswer)
            } else {
                job.phase = .bridged
                operators[i].job = job
                continueBusy(op, for: plan.bridged.sample(&rConference, ziggurat))
            }
        case .bridged:
            releaseHeldLine(op, job: &job)
            conferenceEnded(op, job: job, outcome: job.conferenceOutcome ?? .cannotAnswerOnSpot)
        case .afterCall:
            finishTask(op, job: job)
        case .outboundTalk:
            finishOutbound(op, job: job)
        }
    }

    mutating func outcomeWithoutNetwork(_ d: Disposition) -> Outcome {
        switch d {
        case .directAnswer: .direct
        case .threePartyCall: .threePartySettled
        case .phoneDispatch: .phoneDispatch
        case .workOrder: .workOrder
        case .referral: .referral
        case .escalation: .escalation
        }
    }

    /// Art. 10(2): ring the unit's duty line if one is free; the operator holds the caller meanwhile.
    mutating func startConference(_ op: Int32, job: Job, responsibility r: Responsibility) {
        var job = job
        guard let u = plan.unitIndex[r.dispatchTo] else {
            conferenceEnded(op, job: job, outcome: .lineBusy)
            return
        }
        result.units[u].conferenceAttempts += 1
        guard linesBusy[u] < plan.capacity[version][u] else {
            result.units[u].conferenceLineBusy += 1
            conferenceEnded(op, job: job, outcome: .lineBusy)
            return
        }
        if observer != nil, let route = routing[Int(op)] {
            tell(.disposition(call: Int(job.call), op: Int(op), request: route.request, decision: route.decision))
        }
        seize(line: u, job: &job)
        let conference = plan.model.conference
        let ring = plan.ring.sample(&rConference, ziggurat)
        let answers = rConference.nextUnit() <= conference.answerProbability && ring < conference.ringTimeout
        if answers {
            let onSpot = rConference.nextUnit() <= conference.onSpotProbability
            job.conferenceOutcome = onSpot ? .answeredOnSpot : .cannotAnswerOnSpot
        } else {
            job.conferenceOutcome = .noAnswer
        }
        job.phase = .ring
        operators[Int(op)].job = job
        continueBusy(op, for: answers ? ring : conference.ringTimeout)
    }

    mutating func conferenceEnded(_ op: Int32, job: Job, outcome: ConferenceOutcome) {
        guard let route = routing[Int(op)], case .conference(let r) = route.decision,
            let u = plan.unitIndex[r.dispatchTo]
        else {
            return
        }
        switch outcome {
        case .noAnswer: result.units[u].conferenceNoAnswer += 1
        case .answeredOnSpot: result.units[u].conferenceOnSpot += 1
        case .cannotAnswerOnSpot: result.units[u].conferenceCannotAnswer += 1
        case .lineBusy: break
        }
        // Art. 6, 13(1): the duty line answered or not (as the live backend logs it).
        dutyLineCall(u, answered: outcome == .answeredOnSpot || outcome == .cannotAnswerOnSpot)
        let decision = plan.model.router.decision(after: outcome, of: route.request, with: r, at: plan.instant(now))
        if outcome == .lineBusy {
            // Every duty line busy: the operator's disposition is registered at once (Art. 10(3)).
            tell(.disposition(call: Int(job.call), op: Int(op), request: route.request, decision: decision))
        } else {
            tell(.conferenceOutcome(call: Int(job.call), op: Int(op), outcome: outcome, decision: decision))
        }
        settle(op, job: job, decision: decision)
    }

    /// The call's final decision: the case it opens (at once, as the live centre registers it when the
    /// operator gives the disposition), the caller's leaving, and the after-call work that follows.
    mutating func settle(_ op: Int32, job: Job, decision: CallDecision) {
        var job = job
        routing[Int(op)]?.decision = decision
        if let request = routing[Int(op)]?.request {
            openCase(decision: decision, request: request, call: job.call)
        }
        routing[Int(op)] = nil
        tell(.hungUp(call: Int(job.call)))
        let disposition: Disposition
        switch decision {
        case .answerDirectly, .unknownCategory, .conference:
            job.outcome = .direct
            disposition = .directAnswer
        case .settledByUnit:
            job.outcome = .threePartySettled
            disposition = .threePartyCall
        case .register(let order):
            job.outcome = order.channel == .phone ? .phoneDispatch : .workOrder
            disposition = order.channel == .phone ? .phoneDispatch : .workOrder
        case .refer:
            job.outcome = .referral
            disposition = .referral
        case .escalate:
            job.outcome = .escalation
            disposition = .escalation
        case .proposeToGovernment:
            job.outcome = .government
            disposition = .workOrder
        }
        afterCall(op, job: job, disposition: disposition)
    }

    mutating func afterCall(_ op: Int32, job: Job, disposition: Disposition) {
        outcomes[job.outcome.index] += 1
        if plan.hasAfterCall[disposition.index] {
            var job = job
            job.phase = .afterCall
            operators[Int(op)].job = job
            continueBusy(op, for: plan.afterCall[disposition.index].sample(&rAfterCall, ziggurat))
        } else {
            finishTask(op, job: job)
        }
    }

    /// After-call work done: the operator is free.
    mutating func finishTask(_ op: Int32, job: Job) {
        tell(.wrappedUp(op: Int(op)))
        endBusy(op)
    }

    mutating func endBusy(_ op: Int32) {
        let i = Int(op)
        operators[i].job = Job()
        becomeFree(op)
    }

    // MARK: Duty lines

    mutating func seize(line u: Int, job: inout Job) {
        linesBusy[u] += 1
        job.unitHeld = Int32(u)
        job.lineSince = now
    }

    mutating func releaseHeldLine(_ op: Int32, job: inout Job) {
        guard job.unitHeld >= 0 else { return }
        release(line: Int(job.unitHeld), since: job.lineSince)
        job.unitHeld = -1
    }

    mutating func release(line u: Int, since: Double) {
        linesBusy[u] -= 1
        let from = max(0, since)
        let to = min(now, plan.horizon)
        if to > from { result.units[u].lineBusy += to - from }
    }

    // MARK: Outbound work

    /// Outbound work waits for a free operator; inbound callers always come first.
    mutating func offerOutbound(_ task: OutboundTask) {
        if waitingCount == 0, let op = takeIdleOperator() {
            startOutbound(task, by: op)
        } else {
            outbound.append(task)
        }
    }

    mutating func startOutbound(_ task: OutboundTask, by op: Int32) {
        callCount += 1
        switch task {
        case .offeredCallback(let category, let territory, let person):
            tell(.calledBack(call: Int(callCount), person: Int(person), op: Int(op), missed: false))
            startCall(by: op, category: category, territory: territory, call: callCount)
        case .missedCall(let person):
            tell(.calledBack(call: Int(callCount), person: Int(person), op: Int(op), missed: true))
            var job = Job()
            job.phase = .outboundTalk
            job.outbound = task
            job.call = callCount
            startBusy(op, job: job, for: plan.missedCallTalk.sample(&rCallbacks, ziggurat))
        }
    }

    mutating func finishOutbound(_ op: Int32, job: Job) {
        result.missedCallCallbacks += 1
        tell(.hungUp(call: Int(job.call)))
        tell(.wrappedUp(op: Int(op)))
        endBusy(op)
    }
}
