internal import HotlineCore
internal import HotlineEngine

/// A case in the simulation: the routing core's `Case`, and the bookkeeping of the simulated units.
struct SimCase {
    var c: Case
    /// Bumped when the unit's next main-line action is superseded (a re-handle, a new reply time).
    var generation: UInt32 = 0
    var request: CallRequest
    var unit: Int32
    var candidates: [UnitID] = []
    /// Unique for the run: events name it, so that none reaches a later case in the same slot.
    var serial: UInt32 = 0
    /// False once the case is closed and its slot free.
    var live = true
}

extension ReplicationRun {
    /// Whether `slot` still holds the case with this serial number.
    func isCurrent(_ slot: Int32, _ serial: UInt32) -> Bool {
        Int(slot) < cases.count && cases[Int(slot)].live && cases[Int(slot)].serial == serial
    }

    /// The serial number of the case in a slot.
    func serial(_ slot: Int32) -> UInt32 { cases[Int(slot)].serial }

    /// Opens the case a call's decision asks for (Art. 10(3)–(6), 8, 11); its slot, or nil for none.
    mutating func openCase(decision: CallDecision, request: CallRequest) -> Int32? {
        switch decision {
        case .register, .refer, .escalate, .proposeToGovernment: break
        default: return nil
        }
        caseNumber += 1
        let at = plan.instant(now)
        // The routing core opens the case, as it does for the live backend.
        guard
            let opened = plan.model.router.openCase(
                id: CaseID("C\(caseNumber)"), for: decision, of: request, at: at)
        else { return nil }
        var sim: SimCase
        switch decision {
        case .register(let order):
            sim = SimCase(c: opened, request: request, unit: unit(order))
            result.cases.registered += 1
            if order.channel == .phone { result.cases.phoneDispatched += 1 } else { result.cases.workOrders += 1 }
        case .refer:
            sim = SimCase(c: opened, request: request, unit: -1)
            result.cases.referred += 1
        case .escalate:
            result.cases.escalated += 1
            sim = SimCase(c: opened, request: request, unit: unit(opened.order))
        case .proposeToGovernment(let candidates, _):
            sim = SimCase(c: opened, request: request, unit: -1, candidates: candidates)
            result.cases.government += 1
        default:
            return nil
        }
        sim.serial = UInt32(truncatingIfNeeded: caseNumber)
        let slot = freeCaseSlots.popLast() ?? Int32(cases.count)
        if Int(slot) == cases.count { cases.append(sim) } else { cases[Int(slot)] = sim }
        openCases += 1
        switch decision {
        case .register(let order) where order.channel == .workOrder:
            dispatched(slot: slot, channel: .workOrder)
        case .refer:
            // The body acknowledges the referral within a working day.
            schedule(slot, .acknowledgeReferral, at: deadline(.workingDays(1)) - 3600)
        case .escalate(let e):
            for (k, report) in e.reports.enumerated() {
                // Reported upward in time (a uniform point before its due time).
                let due = plan.time(report.due)
                schedule(slot, .reportUpward, argument: k, at: now + rUnits.nextUnit() * max(0, due - now), main: false)
            }
            dispatched(slot: slot, channel: .phone)
        case .proposeToGovernment(_, let due):
            schedule(slot, .governmentDecision, at: plan.time(due) - 3600)
        default:
            break
        }
        return slot
    }

    func unit(_ order: CaseOrder) -> Int32 { Int32(plan.unitIndex[order.responsibility.dispatchTo] ?? -1) }

    func deadline(_ limit: TimeLimit) -> Double {
        plan.time(plan.model.router.calendar.deadline(from: plan.instant(now), limit: limit).at)
    }

    /// Schedules a case action; a main-line action supersedes the previous one.
    mutating func schedule(_ slot: Int32, _ action: CaseAction, argument: Int = 0, at time: Double, main: Bool = true) {
        let i = Int(slot)
        guard time < plan.horizon, cases[i].live else { return }
        if main { cases[i].generation &+= 1 }
        let event = Event.caseAction(
            slot: slot, serial: cases[i].serial, generation: main ? cases[i].generation : 0, action: action,
            argument: Int16(argument))
        queue.schedule(event, at: max(now, time))
    }

    /// Applies an event through the routing core and carries out its effects.
    @discardableResult
    mutating func apply(_ slot: Int32, _ event: CaseEvent, by actor: CaseActor) -> Bool {
        let i = Int(slot)
        guard cases[i].live else { return false }
        let effects: [CaseEffect]
        do {
            // In place: the routing core's transition, no copy of the case.
            effects = try cases[i].c.apply(
                event, at: plan.instant(now), by: actor, policy: plan.model.router.policy,
                calendar: plan.model.router.calendar)
        } catch {
            result.cases.refused += 1
            return false
        }
        if !effects.isEmpty { carryOut(effects, slot: slot) }
        return true
    }

    mutating func carryOut(_ effects: [CaseEffect], slot: Int32) {
        for effect in effects {
            switch effect {
            case .armTimer(let timer, let at):
                let t = plan.time(at)
                if t < plan.horizon {
                    queue.schedule(.caseTimer(slot: slot, serial: serial(slot), timer: timer), at: max(now, t))
                }
            case .notify(let unit, let article):
                if article == Article(11), let u = plan.unitIndex[unit] { notify(unit: u) }
            case .scheduleCallback(let notBefore, let by):
                scheduleCallback(slot: slot, notBefore: plan.time(notBefore), by: plan.time(by))
            case .supervise(let unit, _):
                result.cases.supervisions += 1
                if let u = plan.unitIndex[unit] { result.units[u].supervisions += 1 }
            case .reportForAccountability(let unit):
                result.cases.accountability += 1
                if let u = plan.unitIndex[unit] { result.units[u].accountability += 1 }
            case .missed(let timer, let unit):
                if timer == .signFor { result.cases.missedSignFor += 1 }
                if timer == .reply, let u = plan.unitIndex[unit] { result.units[u].casesOverdue += 1 }
            case .answerThroughMedia:
                break
            }
        }
    }

    /// Art. 11: a notification call holds the unit's duty line for a while, when one is free.
    mutating func notify(unit u: Int) {
        guard linesBusy[u] < plan.capacity[version][u] else {
            result.units[u].notificationLineBusy += 1
            return
        }
        result.units[u].notifications += 1
        linesBusy[u] += 1
        let end = now + plan.notifyTalk.sample(&rUnits, ziggurat)
        result.units[u].lineBusy += max(0, min(end, plan.horizon) - now)
        queue.schedule(.lineRelease(unit: Int32(u)), at: end)
    }

    /// The case reached the unit (Art. 7): it signs for it (or hands it on) in its own time.
    mutating func dispatched(slot: Int32, channel: DispatchChannel) {
        let i = Int(slot)
        guard cases[i].live else { return }
        let responsibility = cases[i].c.order.responsibility
        if cases[i].c.state == .registered || cases[i].c.state == .escalated {
            guard apply(slot, .dispatch(responsibility, channel), by: .centre) else { return }
        }
        if cases[i].unit >= 0 { result.units[Int(cases[i].unit)].casesReceived += 1 }
        if !cases[i].c.jointUnits.isEmpty {
            let joint = cases[i].c.jointUnits
            for unit in joint {
                guard let u = plan.unitIndex[unit] else { continue }
                let arrival = now + plan.notifyTalk.mean + plan.signFor.sample(&rUnits, ziggurat)
                schedule(slot, .attend, argument: u, at: arrival, main: false)
            }
        }
        schedule(slot, responsibility.isHandedOn ? .handOn : .signFor, at: now + plan.signFor.sample(&rUnits, ziggurat))
    }

    mutating func caseTimer(slot: Int32, timer: CaseTimer, due: Double) {
        guard cases[Int(slot)].live else { return }
        apply(slot, .deadlinePassed(timer, due: plan.instant(due)), by: .timer)
    }

    /// The next action of a unit (or the centre) on a case.
    mutating func caseAction(slot: Int32, action: CaseAction, argument: Int, generation: UInt32) {
        let i = Int(slot)
        guard cases[i].live, generation == 0 || generation == cases[i].generation else { return }
        let holder = cases[i].c.holder.map { CaseActor.unit($0) } ?? .centre
        switch action {
        case .handOn:
            guard apply(slot, .handOn(to: cases[i].c.order.responsibility.handler), by: holder) else { return }
            schedule(slot, .signFor, at: now + plan.signFor.sample(&rUnits, ziggurat))
        case .signFor:
            guard apply(slot, .signFor, by: holder) else { return }
            schedule(slot, .contact, at: now + plan.contact.sample(&rUnits, ziggurat))
        case .contact:
            guard apply(slot, .contactCaller, by: holder) else { return }
            if rUnits.nextUnit() <= plan.model.cases.extensionShare, apply(slot, .grantExtension, by: .centre) {
                result.cases.extensions += 1
            }
            scheduleReply(slot)
        case .reply:
            let channel: ReplyChannel = cases[i].c.commonMatter ? .media : .phone
            // Late when the reply deadline passed at any time (supervision then set a new one).
            let onTime = !cases[i].c.missed.contains(.reply) && plan.instant(now) <= cases[i].c.deadlines.reply
            guard apply(slot, .reply(channel), by: holder) else { return }
            if onTime { result.cases.repliedOnTime += 1 } else { result.cases.repliedLate += 1 }
        case .closureReport:
            guard apply(slot, .fileClosureReport, by: holder), apply(slot, .close, by: .centre) else { return }
            close(slot)
        case .acknowledgeReferral:
            guard apply(slot, .referralAcknowledged, by: .centre) else { return }
            close(slot)
        case .governmentDecision:
            governmentDecides(slot)
        case .surveyVerdict:
            callback(slot: slot)
        case .attend:
            apply(slot, .attend(plan.units[argument]), by: .unit(plan.units[argument]))
        case .reportUpward:
            let reports = cases[i].c.escalationReports
            if argument < reports.count, apply(slot, .reportUpward(to: reports[argument].to), by: .centre) {
                result.cases.upwardReports += 1
            }
        }
    }

    /// Art. 10(8): most units reply by the deadline, the others after it (and are supervised, Art. 10(9)).
    mutating func scheduleReply(_ slot: Int32) {
        guard cases[Int(slot)].live else { return }
        let deadline = cases[Int(slot)].c.deadlines.reply
        let due = plan.time(deadline)
        let at: Double
        if rUnits.nextUnit() <= plan.model.cases.onTime {
            at = now + rUnits.nextUnit() * max(0, due - now)
        } else {
            at = max(now, due) + plan.lateBy.sample(&rUnits, ziggurat)
        }
        schedule(slot, .reply, at: at)
    }

    /// Art. 10(10): the satisfaction callback on the next working day. A share is an operator's call;
    /// the rest of the verdicts arrive without one (SMS or online survey) and cost no operator time.
    mutating func scheduleCallback(slot: Int32, notBefore: Double, by: Double) {
        let hours = plan.model.callbacks?.hours ?? DailyCover(start: TimeOfDay(hour: 9), end: TimeOfDay(hour: 17))
        let open = Double(hours.start.seconds)
        let length = Double((hours.end.seconds - hours.start.seconds + 86_400) % 86_400)
        let at = notBefore + open + rCallbacks.nextUnit() * (length > 0 ? length : 86_400)
        guard at < plan.horizon else { return }
        if rCallbacks.nextUnit() <= (plan.model.callbacks?.share ?? 0) {
            queue.schedule(.outboundReady(.satisfaction(slot: slot, serial: serial(slot))), at: at)
        } else {
            queue.schedule(
                .caseAction(slot: slot, serial: serial(slot), generation: 0, action: .surveyVerdict, argument: 0),
                at: at)
        }
    }

    /// The caller's verdict at the callback, and what the unit does about it.
    mutating func callback(slot: Int32) {
        guard cases[Int(slot)].live else { return }
        let verdict = plan.satisfactions[plan.satisfactionAlias.sample(&rCallbacks)]
        guard apply(slot, .callback(verdict), by: .centre) else { return }
        result.cases.callbacks += 1
        switch verdict {
        case .satisfied: result.cases.satisfied += 1
        case .basicallySatisfied: result.cases.basicallySatisfied += 1
        case .dissatisfied: result.cases.dissatisfied += 1
        }
        let i = Int(slot)
        guard cases[i].live else { return }
        if cases[i].c.state == .dissatisfied, let holder = cases[i].c.holder {
            let followUp = plan.followUps.isEmpty ? .explain : plan.followUps[plan.followUpAlias.sample(&rUnits)]
            guard apply(slot, .followUp(followUp), by: .unit(holder)) else { return }
            if followUp == .reHandle {
                scheduleReply(slot)
                return
            }
        }
        schedule(slot, .closureReport, at: now + plan.closureReport.sample(&rUnits, ziggurat))
    }

    /// Art. 8: the city government names a unit: the first candidate, else a unit competent for the
    /// category anywhere in the city.
    mutating func governmentDecides(_ slot: Int32) {
        guard cases[Int(slot)].live else { return }
        let sim = cases[Int(slot)]
        let router = plan.model.router
        var chosen = sim.candidates.first
        if chosen == nil {
            let snapshot = router.directory.snapshot(at: plan.instant(now))
            chosen =
                snapshot.sortedUnits.first { u in
                    u.kind != .centre && (u.dutyLines?.count ?? 0) > 0
                        && u.competence.categories.contains { $0.isPrefix(of: sim.request.category) }
                }?.id
        }
        guard let chosenUnit = chosen,
            let order = router.orderAfterGovernmentDecision(for: sim.request, unit: chosenUnit, at: plan.instant(now)),
            apply(slot, .governmentDecided(order), by: .centre)
        else { return }
        let u = unit(order)
        cases[Int(slot)].unit = u
        dispatched(slot: slot, channel: .workOrder)
    }

    mutating func close(_ slot: Int32) {
        cases[Int(slot)].live = false
        freeCaseSlots.append(slot)
        openCases -= 1
        result.cases.closed += 1
    }
}
