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
    /// The duty line a phone dispatch holds (its unit), and since when; -1 for none.
    var lineHeld: Int32 = -1
    var lineSince = 0.0
}

extension ReplicationRun {
    /// Whether `slot` still holds the case with this serial number.
    func isCurrent(_ slot: Int32, _ serial: UInt32) -> Bool {
        Int(slot) < cases.count && cases[Int(slot)].live && cases[Int(slot)].serial == serial
    }

    /// The serial number of the case in a slot.
    func serial(_ slot: Int32) -> UInt32 { cases[Int(slot)].serial }

    /// Opens the case a call's decision asks for (Art. 10(3)–(6), 8, 11), as the operator gives the
    /// disposition; its slot, or nil for none. What follows is the centre's as in the live backend: a
    /// written work order goes at once, a phone dispatch rings the unit's duty line, an emergency rings
    /// the lead unit and every assisting unit.
    @discardableResult
    mutating func openCase(decision: CallDecision, request: CallRequest, call: Int32) -> Int32? {
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
        tell(.caseOpened(case: Int(sim.serial), call: Int(call)))
        switch decision {
        case .register(let order) where order.channel == .workOrder:
            dispatched(slot: slot, channel: .workOrder)
        case .register:
            dispatchByPhone(slot, attempt: 1)
        case .refer:
            // The body acknowledges the referral within a working day.
            schedule(slot, .acknowledgeReferral, at: deadline(.workingDays(1)) - 3600)
        case .escalate(let e):
            for (k, report) in e.reports.enumerated() {
                // Reported upward in time (a uniform point before its due time).
                let due = plan.time(report.due)
                schedule(slot, .reportUpward, argument: k, at: now + rUnits.nextUnit() * max(0, due - now), main: false)
            }
            // Art. 11: the lead unit is read the case, every assisting unit is rung at once.
            dispatchByPhone(slot, attempt: 1)
            for unit in cases[Int(slot)].c.jointUnits {
                if let u = plan.unitIndex[unit] { notify(slot, unit: u, attempt: 1) }
            }
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

    /// Schedules a case action; a main-line action supersedes the previous one. A unit's action falls
    /// within the horizon (the world stops there); the centre's own telephone legs go on while callers
    /// are still in the system (`beyondHorizon`), as the live centre's timers do.
    mutating func schedule(
        _ slot: Int32, _ action: CaseAction, argument: Int = 0, at time: Double, main: Bool = true,
        beyondHorizon: Bool = false
    ) {
        let i = Int(slot)
        guard time < plan.horizon || beyondHorizon, cases[i].live else { return }
        if main { cases[i].generation &+= 1 }
        let event = Event.caseAction(
            slot: slot, serial: cases[i].serial, generation: main ? cases[i].generation : 0, action: action,
            argument: Int16(argument))
        queue.schedule(event, at: max(now, time))
    }

    /// Applies an event through the routing core and carries out its effects; tells a watcher of the
    /// steps units and the centre take (`told`).
    @discardableResult
    mutating func apply(_ slot: Int32, _ event: CaseEvent, by actor: CaseActor, told: Bool = true) -> Bool {
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
        if told, actor != .timer { tell(.caseEvent(case: Int(cases[i].serial), event: event, actor: actor)) }
        if !effects.isEmpty { carryOut(effects, slot: slot) }
        return true
    }

    mutating func carryOut(_ effects: [CaseEffect], slot: Int32) {
        for effect in effects {
            switch effect {
            case .armTimer(let timer, let at):
                let t = plan.time(at)
                if t < now {
                    // Armed for a deadline already past (a dispatch that came late): it passes now, for
                    // the deadline it was armed for (the event's own time would make it stale).
                    caseTimer(slot: slot, timer: timer, due: t)
                } else {
                    // Deadlines keep running past the horizon while callers are still in the system.
                    queue.schedule(.caseTimer(slot: slot, serial: serial(slot), timer: timer), at: t)
                }
            case .scheduleCallback(let notBefore, _):
                scheduleSurvey(slot: slot, notBefore: plan.time(notBefore))
            case .supervise(let unit, _):
                result.cases.supervisions += 1
                if let u = plan.unitIndex[unit] { result.units[u].supervisions += 1 }
            case .reportForAccountability(let unit):
                result.cases.accountability += 1
                if let u = plan.unitIndex[unit] { result.units[u].accountability += 1 }
            case .missed(let timer, let unit):
                if timer == .signFor { result.cases.missedSignFor += 1 }
                if timer == .reply, let u = plan.unitIndex[unit] { result.units[u].casesOverdue += 1 }
            case .notify, .answerThroughMedia:
                break
            }
        }
    }

    // MARK: The centre's telephone legs (the live backend's rules, `PhoneLegs`)

    /// Art. 10(3): rings the dispatch unit's duty line to read it the case. A busy line or one that rings
    /// out is tried again; after the last attempt the case goes as a written work order (Art. 10(4)).
    mutating func dispatchByPhone(_ slot: Int32, attempt: Int) {
        let i = Int(slot)
        guard cases[i].live, cases[i].c.state == .registered || cases[i].c.state == .escalated else { return }
        let legs = plan.model.phoneLegs
        if attempt > legs.dispatchAttempts {
            dispatched(slot: slot, channel: .workOrder, told: false)
            return
        }
        guard let u = plan.unitIndex[cases[i].c.order.responsibility.dispatchTo] else { return }
        guard linesBusy[u] < plan.capacity[version][u] else {
            result.units[u].dispatchLineBusy += 1
            schedule(
                slot, .dispatchAttempt, argument: attempt + 1, at: now + legs.dispatchRetry, main: false,
                beyondHorizon: true)
            return
        }
        result.units[u].dispatchCalls += 1
        linesBusy[u] += 1
        cases[i].lineHeld = Int32(u)
        cases[i].lineSince = now
        let conference = plan.model.conference
        let ring = plan.ring.sample(&rConference, ziggurat)
        let answers = rConference.nextUnit() <= conference.answerProbability && ring < conference.ringTimeout
        schedule(
            slot, answers ? .dispatchAnswered : .dispatchRangOut, argument: attempt,
            at: now + (answers ? ring : conference.ringTimeout), main: false, beyondHorizon: true)
    }

    /// The phone dispatch's duty line is free again.
    mutating func releaseDispatchLine(_ slot: Int32) {
        let i = Int(slot)
        guard cases[i].lineHeld >= 0 else { return }
        release(line: Int(cases[i].lineHeld), since: cases[i].lineSince)
        cases[i].lineHeld = -1
    }

    /// Art. 11: rings an assisting unit's duty line and tells it of the emergency; a busy line is rung
    /// again a minute later.
    mutating func notify(_ slot: Int32, unit u: Int, attempt: Int) {
        let legs = plan.model.phoneLegs
        guard cases[Int(slot)].live, attempt <= legs.notificationAttempts else { return }
        guard linesBusy[u] < plan.capacity[version][u] else {
            result.units[u].notificationLineBusy += 1
            schedule(
                slot, .notifyAttempt, argument: u * 8 + attempt + 1, at: now + legs.notificationRetry,
                main: false, beyondHorizon: true)
            return
        }
        result.units[u].notifications += 1
        linesBusy[u] += 1
        tell(.notified(case: Int(serial(slot)), unit: plan.units[u], ended: false))
        let end = now + plan.notifyTalk.sample(&rUnits, ziggurat)
        result.units[u].lineBusy += max(0, min(end, plan.horizon) - now)
        queue.schedule(.notificationEnd(unit: Int32(u), serial: serial(slot)), at: end)
    }

    /// The case reached the unit (Art. 7). A written work order is signed for in the unit's own time
    /// (or handed on); a phone dispatch is signed for on the line, at the end of the reading.
    mutating func dispatched(slot: Int32, channel: DispatchChannel, told: Bool = false) {
        let i = Int(slot)
        guard cases[i].live else { return }
        let responsibility = cases[i].c.order.responsibility
        if cases[i].c.state == .registered || cases[i].c.state == .escalated {
            guard apply(slot, .dispatch(responsibility, channel), by: .centre, told: told) else { return }
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
        if channel == .workOrder { scheduleSignFor(slot) }
    }

    /// The unit signs for the case in its case system, or hands it on first (Art. 7).
    mutating func scheduleSignFor(_ slot: Int32) {
        let handOn = cases[Int(slot)].c.order.responsibility.isHandedOn
        schedule(slot, handOn ? .handOn : .signFor, at: now + plan.signFor.sample(&rUnits, ziggurat))
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
            callback(slot: slot, bySurvey: false)
        case .attend:
            apply(slot, .attend(plan.units[argument]), by: .unit(plan.units[argument]))
        case .reportUpward:
            let reports = cases[i].c.escalationReports
            if argument < reports.count, apply(slot, .reportUpward(to: reports[argument].to), by: .centre) {
                result.cases.upwardReports += 1
            }
        case .dispatchAttempt:
            dispatchByPhone(slot, attempt: argument)
        case .dispatchAnswered:
            // The duty line answered: the case is read to it, which is its dispatch (Art. 10(3)).
            tell(.dispatchRang(case: Int(cases[i].serial), answered: true))
            dispatched(slot: slot, channel: .phone)
            let reading = plan.dispatchTalk.sample(&rUnits, ziggurat)
            let limit = plan.model.phoneLegs.readingLimit
            schedule(
                slot, .readingEnd, argument: reading <= limit ? 1 : 0, at: now + min(reading, limit), main: false,
                beyondHorizon: true)
        case .dispatchRangOut:
            releaseDispatchLine(slot)
            tell(.dispatchRang(case: Int(cases[i].serial), answered: false))
            schedule(
                slot, .dispatchAttempt, argument: argument + 1, at: now + plan.model.phoneLegs.dispatchRetry,
                main: false, beyondHorizon: true)
        case .readingEnd:
            releaseDispatchLine(slot)
            let signed = argument == 1
            tell(.dispatchRead(case: Int(cases[i].serial), signed: signed))
            guard signed else {
                // The line let the limit pass: the unit signs in its case system later.
                scheduleSignFor(slot)
                return
            }
            // "1": the duty line signs for the case on the call; a tier-2 unit then hands it on.
            guard apply(slot, .signFor, by: holder, told: false) else { return }
            if cases[i].c.order.responsibility.isHandedOn {
                schedule(slot, .handOn, at: now + plan.signFor.sample(&rUnits, ziggurat))
            } else {
                schedule(slot, .contact, at: now + plan.contact.sample(&rUnits, ziggurat))
            }
        case .notifyAttempt:
            notify(slot, unit: argument / 8, attempt: argument % 8)
        case .survey:
            survey(slot)
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

    // MARK: Satisfaction (Art. 10(10))

    /// The satisfaction survey rings on the next working day at the reply's time of day within the
    /// callback hours (`Callbacks.surveyTime`, the live backend's rule).
    mutating func scheduleSurvey(slot: Int32, notBefore: Double) {
        guard let callbacks = plan.model.callbacks else {
            // No survey calls: the verdict comes by SMS on the next working day.
            schedule(slot, .surveyVerdict, at: notBefore + 9 * 3600 + rCallbacks.nextUnit() * 8 * 3600, main: false)
            return
        }
        let at = callbacks.surveyTime(repliedAt: plan.instant(now), notBefore: plan.instant(notBefore))
        schedule(slot, .survey, at: plan.time(at), main: false)
    }

    /// The survey call: a share of callers answer it (`callbacks.share`); the others give their verdict
    /// by SMS later that day.
    mutating func survey(_ slot: Int32) {
        let i = Int(slot)
        guard cases[i].live, cases[i].c.state == .replied, let callbacks = plan.model.callbacks else { return }
        if rCallbacks.nextUnit() <= callbacks.share {
            result.satisfactionCallbacks += 1
            callback(slot: slot, bySurvey: true)
            return
        }
        tell(.surveyed(case: Int(cases[i].serial), verdict: nil))
        let hours = callbacks.hours
        let left = Double((hours.end.seconds - Int(plan.instant(now).secondsIntoDay) + 86_400) % 86_400)
        schedule(slot, .surveyVerdict, at: now + rCallbacks.nextUnit() * max(60, left), main: false)
    }

    /// The caller's verdict, by the survey call or by SMS, and what the unit does about it.
    mutating func callback(slot: Int32, bySurvey: Bool) {
        guard cases[Int(slot)].live else { return }
        let verdict = plan.satisfactions[plan.satisfactionAlias.sample(&rCallbacks)]
        if bySurvey { tell(.surveyed(case: Int(serial(slot)), verdict: verdict)) }
        guard apply(slot, .callback(verdict), by: .centre, told: !bySurvey) else { return }
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
        // The centre sends the decided case to its unit as a written work order at once.
        dispatched(slot: slot, channel: .workOrder)
    }

    mutating func close(_ slot: Int32) {
        tell(.caseState(case: Int(serial(slot)), value: cases[Int(slot)].c))
        cases[Int(slot)].live = false
        freeCaseSlots.append(slot)
        openCases -= 1
        result.cases.closed += 1
    }
}
