internal import HotlineCore
internal import HotlineEngine

/// A case in the simulation: the routing core's `Case`, and the bookkeeping of the simulated units.
struct SimCase {
    var c: Case
    /// Bumped when the unit's next main-line action is superseded (a re-handle, a new reply time).
    var generation: UInt32 = 0
    var request: CallRequest
    var candidates: [UnitID] = []
    /// Unique for the run: events name it, so that none reaches a later case in the same slot.
    var serial: UInt32 = 0
    /// False once the case is closed and its slot free.
    var live = true
    /// The duty line a phone dispatch holds (its unit), and since when; -1 for none.
    var lineHeld: Int32 = -1
    var lineSince = 0.0
    /// The unit a written work order went to by mistake (it returns the case), or nil.
    var misroutedTo: UnitID?
    /// The holder's index among the plan's units (−1 for none) and the case's deadline class index:
    /// kept here so that drawing a unit's conduct looks nothing up.
    var holderIndex: Int32 = -1
    var classIndex: Int32 = 0
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
    /// the lead unit and every assisting unit. A case opened during the case warm-up (before the start)
    /// goes in writing: its telephone legs would fall before the centre's simulated day begins.
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
                id: CaseID("SIM-\(caseNumber)"), for: decision, of: request, at: at)
        else { return nil }
        var sim = SimCase(c: opened, request: request)
        sim.classIndex = Int32(plan.classIndex[opened.order.deadlineClass] ?? 0)
        if case .proposeToGovernment(let candidates, _) = decision { sim.candidates = candidates }
        sim.serial = UInt32(truncatingIfNeeded: caseNumber)
        let slot = freeCaseSlots.popLast() ?? Int32(cases.count)
        if Int(slot) == cases.count { cases.append(sim) } else { cases[Int(slot)] = sim }
        openCases += 1
        if now >= 0 { result.cases.opened += 1 }
        tell(.caseOpened(case: Int(sim.serial), call: Int(call)))
        carryOut(opened.openingEffects, slot: slot)
        let backlog = now < 0
        switch decision {
        case .register(let order) where order.channel == .workOrder || backlog:
            let cases = plan.model.cases
            if cases.misrouted > 0, rUnits.nextUnit() < cases.misrouted, let wrong = wrongUnit(for: order) {
                self.cases[Int(slot)].misroutedTo = wrong
            }
            dispatched(slot: slot, channel: .workOrder)
        case .register:
            dispatchByPhone(slot, attempt: 1)
        case .refer:
            // The body acknowledges the referral within a working day.
            schedule(slot, .acknowledgeReferral, at: deadline(.workingDays(1)) - 3600)
        case .escalate:
            // Art. 10(6): level by level, the first level at once.
            scheduleUpwardReport(slot, level: 0)
            if backlog {
                dispatched(slot: slot, channel: .workOrder)
            } else {
                // Art. 11: the lead unit is read the case, every assisting unit is rung at once.
                dispatchByPhone(slot, attempt: 1)
                for unit in cases[Int(slot)].c.jointUnits {
                    if let u = plan.unitIndex[unit] { notify(slot, unit: u, attempt: 1) }
                }
            }
        case .proposeToGovernment(_, let due):
            // Art. 8: the government decides, mostly within its limit (the decision timer counts it if not).
            let limit = plan.time(due)
            let at = rUnits.nextUnit() < 0.95 ? now + rUnits.nextUnit() * max(0, limit - now) : limit + 86_400
            schedule(slot, .governmentDecision, at: at)
        default:
            break
        }
        return slot
    }

    /// A unit a written work order goes to by mistake: another tier-2 unit with duty lines.
    mutating func wrongUnit(for order: CaseOrder) -> UnitID? {
        let candidates = plan.misrouteCandidates
        guard candidates.count > 1 else { return nil }
        for _ in 0..<4 {
            let u = candidates[Int(rUnits.nextUnit() * Double(candidates.count)) % candidates.count]
            if u != order.responsibility.dispatchTo && u != order.responsibility.handler { return u }
        }
        return nil
    }

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
            effects = try cases[i].c.apply(event, at: plan.instant(now), by: actor, rules: plan.caseRules)
        } catch {
            result.cases.refused += 1
            return false
        }
        switch event {
        case .dispatch, .handOn, .returnCase, .governmentDecided:
            cases[i].holderIndex = cases[i].c.holder.flatMap { plan.unitIndex[$0] }.map(Int32.init) ?? -1
            cases[i].classIndex = Int32(plan.classIndex[cases[i].c.order.deadlineClass] ?? 0)
        default:
            break
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
            case .missed(let timer, nil):
                // The centre's own steps (Art. 8, 10(6)): counted for the centre.
                if now >= 0 {
                    if timer == .decision { result.cases.decisionsLate += 1 }
                    if timer == .upwardReport { result.cases.upwardReportsLate += 1 }
                }
            case .notify, .answerThroughMedia, .supervise, .reportForAccountability, .tellAuthority, .missed:
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
            dutyLineCall(u, answered: false)
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
        dutyLineCall(u, answered: answers)
        schedule(
            slot, answers ? .dispatchAnswered : .dispatchRangOut, argument: attempt,
            at: now + (answers ? ring : conference.ringTimeout), main: false, beyondHorizon: true)
    }

    /// A call to a unit's duty line, for Art. 13(1) (the staffing of its duty).
    mutating func dutyLineCall(_ u: Int, answered: Bool) {
        guard now >= 0, now < plan.horizon else { return }
        result.ledger.dutyLineCall(plan.units[u], at: plan.instant(now), answered: answered)
        caseSink?.dutyLineCall(plan.units[u], at: plan.instant(now), answered: answered)
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
            dutyLineCall(u, answered: false)
            schedule(
                slot, .notifyAttempt, argument: u * 8 + attempt + 1, at: now + legs.notificationRetry,
                main: false, beyondHorizon: true)
            return
        }
        result.units[u].notifications += 1
        dutyLineCall(u, answered: true)
        linesBusy[u] += 1
        tell(.notified(case: Int(serial(slot)), unit: plan.units[u], ended: false))
        let end = now + plan.notifyTalk.sample(&rUnits, ziggurat)
        result.units[u].lineBusy += max(0, min(end, plan.horizon) - now)
        queue.schedule(.notificationEnd(unit: Int32(u), serial: serial(slot)), at: end)
    }

    // MARK: Units on their cases (the model's conduct per unit and deadline class)

    /// How the unit holding the case (or `unit`) handles a case of its class.
    func conduct(_ slot: Int32, unit: UnitID? = nil) -> UnitDraws {
        let i = Int(slot)
        let u = unit.map { plan.unitIndex[$0] ?? -1 } ?? Int(cases[i].holderIndex)
        return plan.draws(unit: u, classIndex: Int(cases[i].classIndex))
    }

    /// When a step is done: within its limit (evenly up to it) for the share on time, else after it.
    mutating func when(_ step: StepDraw, due: Instant) -> Double {
        let limit = plan.time(due)
        if limit > now, rUnits.nextUnit() < step.onTime { return now + rUnits.nextUnit() * (limit - now) }
        return max(now, limit) + step.lateBy.sample(&rUnits, ziggurat)
    }

    /// The case reached the unit (Art. 7). A written work order is signed for in the unit's own time
    /// (or handed on, or returned); a phone dispatch is signed for on the line, at the end of the reading.
    mutating func dispatched(slot: Int32, channel: DispatchChannel, told: Bool = false) {
        let i = Int(slot)
        guard cases[i].live else { return }
        var responsibility = cases[i].c.order.responsibility
        if let wrong = cases[i].misroutedTo { responsibility = Responsibility(dispatchTo: wrong, handler: wrong) }
        if cases[i].c.state == .registered || cases[i].c.state == .escalated {
            guard apply(slot, .dispatch(responsibility, channel), by: .centre, told: told) else { return }
        }
        if let due = cases[i].c.attendanceDue, cases[i].c.attendance.isEmpty {
            // Art. 11: the lead and assisting units arrive, each in its own time.
            let lead = cases[i].c.order.responsibility.handler
            for unit in [lead] + cases[i].c.jointUnits {
                guard let u = plan.unitIndex[unit] else { continue }
                let at = when(conduct(slot, unit: unit).attendance, due: due)
                schedule(slot, .attend, argument: u, at: max(at, now + plan.notifyTalk.mean), main: false)
            }
            if let due = cases[i].c.informationDue, cases[i].c.informationReportedAt == nil {
                // Art. 12: the lead unit reports what it found.
                let at = when(conduct(slot, unit: lead).information, due: due)
                schedule(slot, .reportInformation, at: at, main: false)
            }
        }
        if channel == .workOrder { scheduleReceipt(slot) }
    }

    /// What the holder does first with a case it received in writing: sign for it, hand it on to the
    /// sub-unit or enterprise that handles it (Art. 7), or return it (退单) — because it was sent to the
    /// wrong unit, or to evade it (推诿).
    mutating func scheduleReceipt(_ slot: Int32) {
        let i = Int(slot)
        guard let holder = cases[i].c.holder else { return }
        let draws = conduct(slot)
        let policy = plan.model.router.policy
        let responsibility = cases[i].c.order.responsibility
        let canReturn = !cases[i].c.designated && cases[i].c.returnedBy.count < policy.maxReturns
        let evasive = holder == responsibility.handler && canReturn && draws.evasiveReturn > 0
        if (cases[i].misroutedTo == holder && canReturn) || (evasive && rUnits.nextUnit() < draws.evasiveReturn) {
            let within = policy.classes[cases[i].c.order.deadlineClass]?.returnWithin ?? .workingDays(1)
            let from = cases[i].c.receivedAt ?? plan.instant(now)
            let limit = plan.time(plan.model.router.calendar.deadline(from: from, limit: within).at)
            schedule(slot, .returnCase, at: now + rUnits.nextUnit() * max(0, limit - now))
            return
        }
        let handOn = responsibility.isHandedOn && holder == responsibility.dispatchTo
        schedule(slot, handOn ? .handOn : .signFor, at: when(draws.signFor, due: cases[i].c.deadlines.signFor))
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
            scheduleReceipt(slot)
        case .signFor:
            guard apply(slot, .signFor, by: holder) else { return }
            scheduleContact(slot)
        case .returnCase:
            guard apply(slot, .returnCase, by: holder) else { return }
            cases[i].misroutedTo = nil
            // The centre finds the right unit and sends the case again within a few hours.
            schedule(slot, .redispatch, at: now + rUnits.nextUnit() * 4 * 3600)
        case .redispatch:
            dispatched(slot: slot, channel: .workOrder, told: true)
        case .contact:
            guard apply(slot, .contactCaller, by: holder) else { return }
            planReply(slot)
        case .requestExtension:
            guard apply(slot, .requestExtension, by: holder) else {
                planReply(slot, late: true)
                return
            }
            // The centre decides within a few hours, before the deadline.
            let limit = plan.time(cases[i].c.deadlines.reply)
            schedule(slot, .extensionDecision, at: now + rUnits.nextUnit() * max(0, min(4 * 3600, limit - now - 1)))
        case .extensionDecision:
            let grant = rUnits.nextUnit() < plan.model.cases.extensionGranted
            guard apply(slot, grant ? .grantExtension : .refuseExtension, by: .centre), grant else {
                planReply(slot, late: true)
                return
            }
            planReply(slot)
        case .reply:
            let draws = conduct(slot)
            let media = cases[i].c.commonMatter && rUnits.nextUnit() < draws.mediaReply
            apply(slot, .reply(media ? .media : .phone), by: holder)
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
        case .reportInformation:
            apply(slot, .reportInformation, by: .unit(cases[i].c.order.responsibility.handler))
        case .reportUpward:
            let reports = cases[i].c.escalationReports
            if argument < reports.count, apply(slot, .reportUpward(to: reports[argument].to), by: .centre) {
                if now >= 0 { result.cases.upwardReports += 1 }
                scheduleUpwardReport(slot, level: argument + 1)
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
                scheduleReceipt(slot)
                return
            }
            // "1": the duty line signs for the case on the call; a tier-2 unit then hands it on.
            guard apply(slot, .signFor, by: holder, told: false) else { return }
            if cases[i].c.order.responsibility.isHandedOn {
                let draws = conduct(slot)
                schedule(slot, .handOn, at: when(draws.signFor, due: cases[i].c.deadlines.signFor))
            } else {
                scheduleContact(slot)
            }
        case .notifyAttempt:
            notify(slot, unit: argument / 8, attempt: argument % 8)
        case .survey:
            survey(slot)
        }
    }

    /// Art. 10(7): the unit contacts the caller, in its own time against the first-contact limit.
    mutating func scheduleContact(_ slot: Int32) {
        let due = cases[Int(slot)].c.deadlines.firstContact
        schedule(slot, .contact, at: when(conduct(slot).firstContact, due: due))
    }

    /// Art. 10(3): reports a major or urgent matter to the next level of the chain, in time.
    mutating func scheduleUpwardReport(_ slot: Int32, level: Int) {
        guard level < cases[Int(slot)].c.escalationReports.count else { return }
        let due = plan.time(cases[Int(slot)].c.escalationReports[level].due)
        schedule(
            slot, .reportUpward, argument: level, at: now + rUnits.nextUnit() * max(0, due - now), main: false,
            beyondHorizon: true)
    }

    /// Art. 10(8): when the unit replies. A unit that sees it will be late applies for its one extension
    /// first (before the deadline), as often as its conduct says; `late` after a refusal.
    mutating func planReply(_ slot: Int32, late: Bool = false) {
        let i = Int(slot)
        guard cases[i].live else { return }
        let draws = conduct(slot)
        let due = cases[i].c.deadlines.reply
        if late {
            schedule(slot, .reply, at: max(now, plan.time(due)) + draws.reply.lateBy.sample(&rUnits, ziggurat))
            return
        }
        let at = when(draws.reply, due: due)
        let limit = plan.time(due)
        if at > limit, limit > now, cases[i].c.extensionRequestedAt == nil,
            !cases[i].c.lapses.contains(where: { $0.step == .reply }), rUnits.nextUnit() < draws.asksExtension
        {
            schedule(slot, .requestExtension, at: now + rUnits.nextUnit() * (limit - now))
            return
        }
        schedule(slot, .reply, at: at)
    }

    // MARK: Satisfaction (Art. 10(10))

    /// The satisfaction survey rings on the next working day at the reply's time of day within the
    /// callback hours (`Callbacks.surveyTime`, the live backend's rule).
    mutating func scheduleSurvey(slot: Int32, notBefore: Double) {
        guard let callbacks = plan.model.callbacks, notBefore >= 0 else {
            // No survey calls (or a case of the warm-up): the verdict comes by SMS on the next working day.
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
        let verdict: Satisfaction
        if let shares = conduct(slot).satisfaction {
            let u = rCallbacks.nextUnit()
            verdict = u < shares.0 ? .satisfied : u < shares.0 + shares.1 ? .basicallySatisfied : .dissatisfied
        } else {
            verdict = plan.satisfactions[plan.satisfactionAlias.sample(&rCallbacks)]
        }
        if bySurvey { tell(.surveyed(case: Int(serial(slot)), verdict: verdict)) }
        guard apply(slot, .callback(verdict), by: .centre, told: !bySurvey) else { return }
        let i = Int(slot)
        guard cases[i].live else { return }
        if cases[i].c.state == .dissatisfied, let holder = cases[i].c.holder {
            let followUp = plan.followUps.isEmpty ? .explain : plan.followUps[plan.followUpAlias.sample(&rUnits)]
            guard apply(slot, .followUp(followUp), by: .unit(holder)) else { return }
            if followUp == .reHandle {
                planReply(slot)
                return
            }
        }
        scheduleClosureReport(slot)
    }

    /// Art. 10(11): the closure report once the result stands, against its limit.
    mutating func scheduleClosureReport(_ slot: Int32) {
        guard cases[Int(slot)].c.state == .accepted, let due = cases[Int(slot)].c.closureReportDue else { return }
        schedule(slot, .closureReport, at: when(conduct(slot).closureReport, due: due))
    }

    /// Art. 8: the city government names a unit: one of the units whose functions overlap, else a unit
    /// competent for the category anywhere in the city. With none, the case waits (its timer counts it).
    mutating func governmentDecides(_ slot: Int32) {
        guard cases[Int(slot)].live else { return }
        let sim = cases[Int(slot)]
        let router = plan.model.router
        var chosen: UnitID?
        if !sim.candidates.isEmpty {
            chosen = sim.candidates[Int(rUnits.nextUnit() * Double(sim.candidates.count)) % sim.candidates.count]
        } else {
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
        // The centre sends the decided case to its unit as a written work order at once.
        dispatched(slot: slot, channel: .workOrder)
    }

    /// Art. 10(10): a call from a caller whose case is still open joins it; false when no open case
    /// waiting for its reply was found to join.
    mutating func joinRepeatCall(call: Int32, op: Int32) -> Bool {
        guard openCases > 0, !cases.isEmpty else { return false }
        for _ in 0..<8 {
            let k = Int(rIntake.nextUnit() * Double(cases.count)) % cases.count
            let state = cases[k].c.state
            guard cases[k].live, state.awaitsReply || state == .dissatisfied, state != .escalated else { continue }
            if apply(Int32(k), .repeatCall, by: .centre, told: false) {
                tell(.repeatCall(call: Int(call), op: Int(op), case: Int(cases[k].serial)))
                return true
            }
        }
        return false
    }

    mutating func close(_ slot: Int32) {
        tell(.caseState(case: Int(serial(slot)), value: cases[Int(slot)].c))
        result.ledger.record(cases[Int(slot)].c)
        caseSink?.caseEnded(cases[Int(slot)].c, open: false)
        cases[Int(slot)].live = false
        freeCaseSlots.append(slot)
        openCases -= 1
    }
}
