internal import HotlineCore
internal import HotlineEngine

/// An event of the call-centre model: a small value, no closures, no per-event allocation.
enum Event {
    /// A caller who hung up calls again.
    case retrial(category: Int32, territory: Int32, person: Int32)
    /// A caller has heard the greeting and joins the queue.
    case enterQueue(caller: Int32)
    /// A waiting caller's patience runs out (only when abandonment sets off later work).
    case patience(caller: Int32, generation: UInt32)
    /// An operator's current phase of work ends.
    case operatorStep(op: Int32, generation: UInt32)
    /// An Art. 11 notification (of the case with this serial) is over and frees the unit's duty line.
    case notificationEnd(unit: Int32, serial: UInt32)
    /// A day's shifts are laid out.
    case dayStart(day: Int32)
    /// A shift instance logs in, goes on a break, comes back or logs out.
    case roster(instance: Int32, change: RosterChange)
    /// A version of the directory takes effect (Art. 9).
    case directoryVersion(Int32)
    /// A day of the case warm-up (before the start): its calls that open cases are drawn.
    case backlogDay(day: Int32)
    /// A call of the case warm-up: only its case is simulated (the operators' day has not begun).
    case backlogCall(category: Int32, territory: Int32)
    /// A case timer fires; it was armed for the deadline at the event's own time. Case events carry
    /// the case's serial number, since a closed case's slot is reused.
    case caseTimer(slot: Int32, serial: UInt32, timer: CaseTimer)
    /// A unit's (or the centre's) next action on a case; `argument` is a unit or report index.
    case caseAction(slot: Int32, serial: UInt32, generation: UInt32, action: CaseAction, argument: Int16)
}

enum RosterChange {
    case login
    case breakStart
    case breakEnd
    case logout
}

/// What a unit or the centre does next on a case; the simulator draws when.
enum CaseAction: UInt8 {
    case handOn, signFor, contact, reply, closureReport, acknowledgeReferral, governmentDecision
    /// The unit returns the case (退单), and the centre sends it again.
    case returnCase, redispatch
    /// Art. 10(8): the unit applies for its extension; the centre decides.
    case requestExtension, extensionDecision
    /// Art. 12: the lead unit reports what it found.
    case reportInformation
    /// The satisfaction verdict of a caller the survey did not reach (SMS or online survey).
    case surveyVerdict
    /// An Art. 11 unit arrives on site (argument: the unit).
    case attend
    /// The centre reports upward (argument: the level of the chain).
    case reportUpward
    /// The centre rings the unit's duty line to read the case (argument: the attempt), Art. 10(3).
    case dispatchAttempt
    /// The duty line answers (argument: the attempt), or rings out.
    case dispatchAnswered, dispatchRangOut
    /// The reading is over (argument: 1 when the line pressed "1").
    case readingEnd
    /// Art. 11: the centre rings an assisting unit (argument: unit × 8 + attempt).
    case notifyAttempt
    /// The satisfaction survey rings the caller (Art. 10(10)).
    case survey
}

/// Work an operator does that is not an inbound call: calling a caller back.
enum OutboundTask {
    /// Calling back a caller who hung up in the queue.
    case missedCall(person: Int32)
    /// Calling back a caller who took the call-back offer; the matter is then handled as a call.
    case offeredCallback(category: Int32, territory: Int32, person: Int32)
}

/// A caller in the system (greeting or waiting), in a slot reused through a free list.
struct Caller {
    /// When the caller joined the queue.
    var entry = 0.0
    /// When the caller's patience runs out.
    var deadline = Double.infinity
    var category: Int32 = -1
    var territory: Int32 = -1
    var generation: UInt32 = 0
    var waiting = false
    /// The call's number in the run, and the caller's (the same across their retrials).
    var call: Int32 = 0
    var person: Int32 = 0
    /// The next free slot while this one is free.
    var nextFree: Int32 = -1
}

/// One replication of the call-centre model: callers, operators, duty lines and cases over the
/// horizon, then a drain of the callers still in the system. Every rule is the routing core's.
struct ReplicationRun {
    let plan: SimulationPlan
    var queue = EventQueue<Event>()
    var now = 0.0
    var result: ReplicationResult

    // Independent random streams, one per source of randomness.
    var rArrivals: Xoshiro256StarStar
    var rMix: Xoshiro256StarStar
    var rTalk: Xoshiro256StarStar
    var rAfterCall: Xoshiro256StarStar
    var rPatience: Xoshiro256StarStar
    var rRetrial: Xoshiro256StarStar
    var rIVR: Xoshiro256StarStar
    var rConference: Xoshiro256StarStar
    var rUnits: Xoshiro256StarStar
    var rCallbacks: Xoshiro256StarStar
    /// Intake facts (leader-assigned, major, repeat calls) and the case warm-up, apart from the calls' own.
    var rIntake: Xoshiro256StarStar
    /// The exponential sampler's tables, held here so that a draw does not look up the shared static.
    let ziggurat = Ziggurat.shared

    // Callers, in slots reused through a free list.
    var callers = Slab<Caller>(capacity: 256)
    /// Free caller slots, linked through `Caller.nextFree` (last freed first), or -1.
    var freeCaller: Int32 = -1
    /// Waiting callers of emergency classes, answered first, and everybody else; each FIFO.
    /// Entries are a caller's slot and its generation (`ticket`): a slot freed by a caller who hung up
    /// and taken by a new caller must not bring the new one forward to the old one's place.
    var waitingEmergency = Ring<UInt64>(capacity: 64)
    var waitingNormal = Ring<UInt64>(capacity: 256)
    /// Callers greeting or waiting.
    var callersInSystem = 0
    var waitingCount = 0

    // Operators.
    var operators = Slab<Operator>(capacity: 64)
    /// The routing core's request and decision of each operator's current call, if routed.
    var routing: [Routing?] = []
    var freeOperators: [Int32] = []
    var idleHead: Int32 = -1
    var idleTail: Int32 = -1
    var idleCount = 0
    var onDuty = 0
    var instances: [ShiftInstance] = []
    var outbound = Ring<OutboundTask>(capacity: 64)

    /// Half-hour tallies, written in place on every call (no copy-on-write checks); copied into
    /// `result` and freed at the end of the run.
    let intervals: UnsafeMutablePointer<IntervalTally>
    /// Calls by outcome, in place like `intervals`.
    let outcomes: UnsafeMutablePointer<Int>
    var staffedCount = 0
    var busyCount = 0
    var accruedUntil = 0.0
    var busySlot = 0
    var busySlotStart = 0.0
    var accrualSlot = 0
    var accrualSlotEnd: Double

    // Units' duty lines.
    var linesBusy: [Int]
    var version = 0

    // Cases.
    /// Cases by slot; a closed case's slot is marked not live and reused through `freeCaseSlots`.
    var cases: [SimCase] = []
    var freeCaseSlots: [Int32] = []
    var openCases = 0
    var caseNumber = 0
    /// The routing core's first decision on each routed call, when asked for (`Simulation.decisions`).
    var trace: [TracedDecision]?
    /// Calls and callers numbered so far.
    var callCount: Int32 = 0
    var personCount: Int32 = 0
    /// Hears every case as it ends (`Simulation.run(caseSink:)`).
    var caseSink: (any CaseSink)?
    /// Watches every step, when the run drives a live server (`Simulation.drive`).
    var observer: (any CentreObserver)? {
        didSet { eagerAbandonment = eagerAbandonment || observer != nil }
    }
    /// Whether each waiting caller gets an abandonment event of their own (`SimulationPlan`); always
    /// when watched, so that a hang-up is told at its own moment.
    var eagerAbandonment: Bool

    init(plan: SimulationPlan, streams: RandomStreams) {
        self.plan = plan
        result = ReplicationResult(
            units: plan.units.count,
            ledger: CaseLedger(calendar: plan.model.router.calendar, from: plan.instant(0)))
        // One bin per interval of the day, and a last one for the warm-up (counted, then dropped).
        intervals = .allocate(capacity: plan.intervalCount + 1)
        intervals.initialize(repeating: IntervalTally(), count: plan.intervalCount + 1)
        accrualSlot = plan.bin(ofInterval: 0)
        accrualSlotEnd = plan.intervalLength
        outcomes = .allocate(capacity: Outcome.allCases.count)
        outcomes.initialize(repeating: 0, count: Outcome.allCases.count)
        linesBusy = [Int](repeating: 0, count: plan.units.count)
        rArrivals = streams.stream("arrivals")
        rMix = streams.stream("mix")
        rTalk = streams.stream("talk")
        rAfterCall = streams.stream("after-call")
        rPatience = streams.stream("patience")
        rRetrial = streams.stream("retrial")
        rIVR = streams.stream("ivr")
        rConference = streams.stream("conference")
        rUnits = streams.stream("units")
        rCallbacks = streams.stream("callbacks")
        rIntake = streams.stream("intake")
        version = plan.versionStarts.lastIndex { $0 <= 0 } ?? 0
        eagerAbandonment = plan.eagerAbandonment
    }

    // MARK: The loop

    /// Runs the replication and returns its counts.
    /// - Parameter progress: called about once per simulated day with the fraction done.
    mutating func run(progress: ((Double) -> Void)? = nil) -> ReplicationResult {
        // The arrival process keeps its next arrival beside the heap, not in it: half the heap work.
        // On a tie the heap's event goes first. A greeting of fixed length only shifts every caller's
        // entry into the queue by the same time, so it needs no event of its own.
        let shift = plan.fixedGreeting ?? 0
        var nextArrival = plan.arrivals.nextArrival(after: 0, &rArrivals).map { $0 + shift } ?? .infinity
        switch plan.model.staffing {
        case .flat(let n):
            for _ in 0..<n { login(instance: -1) }
        case .shifts:
            queue.schedule(.dayStart(day: -1), at: 0)
            queue.schedule(.dayStart(day: 0), at: 0)
        }
        // The case warm-up: the weeks before the start fill the units' desks with a realistic backlog.
        for day in stride(from: -plan.caseWarmUpDays, to: 0, by: 1) {
            queue.schedule(.backlogDay(day: Int32(day)), at: Double(day) * 86_400)
        }
        for (i, start) in plan.versionStarts.enumerated() where start > 0 && start < plan.horizon {
            queue.schedule(.directoryVersion(Int32(i)), at: start)
        }
        let horizon = plan.horizon
        var nextProgress = 86_400.0
        while true {
            let heapTime = queue.nextTime ?? .infinity
            let time = min(nextArrival, heapTime)
            // After the horizon the run ends once nobody is in the system, but never in the middle of a
            // moment: what is due at the moment of the last event happens too (as on a live centre).
            if time == .infinity || (time >= horizon && callersInSystem == 0 && nextArrival == .infinity && time > now)
            {
                break
            }
            now = time
            result.events += 1
            if let progress, time >= nextProgress {
                progress(min(1, time / horizon))
                nextProgress += 86_400
            }
            if nextArrival < heapTime {
                nextArrival = plan.arrivals.nextArrival(after: now - shift, &rArrivals).map { $0 + shift } ?? .infinity
                let (category, territory) = drawMatter()
                arrive(category: category, territory: territory)
            } else {
                handle(queue.popNext()!.event)
            }
        }
        finish()
        return result
    }

    /// Tells the observer of a step, if one watches.
    @inline(__always) func tell(_ step: @autoclosure () -> CentreStep) {
        if let observer { observer.step(step(), at: plan.instant(now)) }
    }

    mutating func handle(_ event: Event) {
        switch event {
        case .retrial(let category, let territory, let person):
            if now < plan.horizon { arrive(category: category, territory: territory, person: person) }
        case .enterQueue(let caller):
            enterQueue(caller)
        case .patience(let caller, let generation):
            if callers[Int(caller)].generation == generation && callers[Int(caller)].waiting {
                abandon(caller, at: now)
            }
        case .operatorStep(let op, let generation):
            if operators[Int(op)].generation == generation { step(op) }
        case .notificationEnd(let unit, let serial):
            linesBusy[Int(unit)] -= 1
            if observer != nil, let slot = cases.firstIndex(where: { $0.live && $0.serial == serial }) {
                tell(.notified(case: Int(cases[slot].serial), unit: plan.units[Int(unit)], ended: true))
            }
        case .dayStart(let day):
            layOutShifts(day: Int(day))
        case .roster(let instance, let change):
            roster(instance: Int(instance), change: change)
        case .directoryVersion(let v):
            version = Int(v)
        case .backlogDay(let day):
            backlogDay(Int(day))
        case .backlogCall(let category, let territory):
            backlogCall(category: category, territory: territory)
        case .caseTimer(let slot, let serial, let timer):
            if isCurrent(slot, serial) { caseTimer(slot: slot, timer: timer, due: now) }
        case .caseAction(let slot, let serial, let generation, let action, let argument):
            if isCurrent(slot, serial) {
                caseAction(slot: slot, action: action, argument: Int(argument), generation: generation)
            }
        }
    }

    // MARK: Callers

    /// Draws the caller's matter: a category (with surges) and a territory; -1 when the model has none.
    mutating func drawMatter() -> (Int32, Int32) {
        var category: Int32 = -1
        if let alias = plan.categoryAlias {
            let day = min(plan.days - 1, Int(now / 86_400))
            if plan.surgeShare[day] > 0, let surge = plan.surgeAlias[day], rMix.nextUnit() <= plan.surgeShare[day] {
                category = Int32(surge.sample(&rMix))
            } else {
                category = Int32(alias.sample(&rMix))
            }
        }
        let territory = plan.territoryAlias.map { Int32($0.sample(&rMix)) } ?? -1
        return (category, territory)
    }

    mutating func arrive(category: Int32, territory: Int32, person: Int32 = -1) {
        let c: Int32
        if freeCaller >= 0 {
            c = freeCaller
            freeCaller = callers[Int(c)].nextFree
            callers[Int(c)].generation &+= 1
        } else {
            c = Int32(callers.count)
            callers.append(Caller())
        }
        callers[Int(c)].category = category
        callers[Int(c)].territory = territory
        callCount += 1
        callers[Int(c)].call = callCount
        if person >= 0 {
            callers[Int(c)].person = person
        } else {
            personCount += 1
            callers[Int(c)].person = personCount
        }
        callersInSystem += 1
        tell(
            .arrived(
                call: Int(callCount), person: Int(callers[Int(c)].person),
                emergency: category >= 0 && plan.emergencyCategory[Int(category)]))
        if let greeting = plan.greeting, plan.fixedGreeting == nil {
            queue.schedule(.enterQueue(caller: c), at: now + greeting.sample(&rIVR, ziggurat))
        } else {
            enterQueue(c)
        }
    }

    mutating func enterQueue(_ c: Int32) {
        let i = Int(c)
        result.offered += 1
        intervals[slot(now)].offered += 1
        callers[i].entry = now
        // An idle operator exists only when nobody waits: answer at once.
        if let op = takeIdleOperator() {
            tell(.queued(call: Int(callers[i].call), tookOffer: nil))
            answer(c, by: op)
            return
        }
        // Queue announcements: a caller told of a long wait may take the call-back offer (the rule the
        // live backend follows too).
        var offer: Bool?
        if plan.model.ivr.offersCallback(waiting: waitingCount + 1, onDuty: onDuty, meanHandle: plan.meanHandleTime) {
            offer = rIVR.nextUnit() <= plan.model.ivr.callbackAcceptance
        }
        tell(.queued(call: Int(callers[i].call), tookOffer: offer))
        if offer == true {
            result.callbackOffersTaken += 1
            let task = OutboundTask.offeredCallback(
                category: callers[i].category, territory: callers[i].territory, person: callers[i].person)
            releaseCaller(c)
            offerOutbound(task)
            return
        }
        callers[i].deadline = plan.hasPatience ? now + plan.patienceSampler.sample(&rPatience, ziggurat) : .infinity
        callers[i].waiting = true
        waitingCount += 1
        let emergency = callers[i].category >= 0 && plan.emergencyCategory[Int(callers[i].category)]
        let ticket = UInt64(callers[i].generation) << 32 | UInt64(UInt32(bitPattern: c))
        if emergency { waitingEmergency.append(ticket) } else { waitingNormal.append(ticket) }
        if eagerAbandonment && callers[i].deadline.isFinite {
            queue.schedule(.patience(caller: c, generation: callers[i].generation), at: callers[i].deadline)
        }
    }

    /// A waiting caller hangs up at `time` (their patience ran out).
    mutating func abandon(_ c: Int32, at time: Double) {
        let i = Int(c)
        callers[i].waiting = false
        waitingCount -= 1
        let wait = time - callers[i].entry
        result.abandoned += 1
        result.waitAll += wait
        let s = slot(callers[i].entry)
        intervals[s].abandoned += 1
        intervals[s].waitSum += wait
        let category = callers[i].category
        let territory = callers[i].territory
        let person = callers[i].person
        // A watched run finds abandonment eagerly, so that `time` is now.
        tell(.abandoned(call: Int(callers[i].call)))
        releaseCaller(c)
        if plan.retrialShare > 0, rRetrial.nextUnit() <= plan.retrialShare, let delay = plan.retrialDelay {
            result.retrials += 1
            let again = time + delay.sample(&rRetrial, ziggurat)
            queue.schedule(.retrial(category: category, territory: territory, person: person), at: again)
        } else if let share = plan.model.callbacks?.missedCallShare, share > 0, rCallbacks.nextUnit() <= share {
            offerOutbound(.missedCall(person: person))
        }
    }

    mutating func releaseCaller(_ c: Int32) {
        callers[Int(c)].waiting = false
        callersInSystem -= 1
        callers[Int(c)].nextFree = freeCaller
        freeCaller = c
    }

    /// The next caller to answer: emergencies first, FIFO within a class. Callers whose patience ran
    /// out while waiting are removed here, at their own hang-up time.
    mutating func nextWaitingCaller() -> Int32? {
        while let t = waitingEmergency.popFirst() {
            if let answerable = stillWaiting(t) { return answerable }
        }
        while let t = waitingNormal.popFirst() {
            if let answerable = stillWaiting(t) { return answerable }
        }
        return nil
    }

    /// The caller of a queue ticket, if still waiting; one whose patience ran out hangs up here, at
    /// their own hang-up time.
    mutating func stillWaiting(_ ticket: UInt64) -> Int32? {
        let c = Int32(bitPattern: UInt32(truncatingIfNeeded: ticket))
        let i = Int(c)
        // Already gone (eager abandonment), its slot perhaps another caller's since.
        guard callers[i].waiting, callers[i].generation == UInt32(ticket >> 32) else { return nil }
        if callers[i].deadline <= now {
            abandon(c, at: callers[i].deadline)
            return nil
        }
        return c
    }

    /// The tally bin of a simulated time: its interval of the day, or the warm-up bin.
    @inline(__always) func slot(_ t: Double) -> Int { plan.bin(ofInterval: Int(t * plan.intervalScale)) }

    // MARK: Accounting

    /// Adds busy time `[from, to)`, split by half-hour, within the horizon.
    mutating func accrueBusy(from: Double, to end: Double) {
        var a = from
        let b = min(end, plan.horizon)
        guard b > a else { return }
        result.busy += b - a
        let length = plan.intervalLength
        if a >= busySlotStart && b <= busySlotStart + length {
            // Within the half-hour of the last accrual: the common case.
            intervals[busySlot].busy += b - a
            return
        }
        busySlotStart = (a * plan.intervalScale).rounded(.down) * length
        busySlot = plan.bin(ofInterval: Int(busySlotStart * plan.intervalScale))
        while a < b {
            let k = Int(a * plan.intervalScale)
            let slotEnd = min(b, Double(k + 1) * length)
            intervals[plan.bin(ofInterval: k)].busy += slotEnd - a
            a = slotEnd
        }
    }

    /// Changes the number of operators staffed (logged in, not on a break) or busy, after adding the
    /// time since the last change to the staffed and busy integrals, split by half-hour, within the horizon.
    mutating func changeStaffing(staffed: Int, busy: Int) {
        let to = min(now, plan.horizon)
        var a = accruedUntil
        if to > a && (staffedCount > 0 || busyCount > 0) {
            let s = Double(staffedCount)
            let b = Double(busyCount)
            result.staffed += s * (to - a)
            result.busy += b * (to - a)
            if to <= accrualSlotEnd {
                // Still in the same half-hour: the common case.
                intervals[accrualSlot].staffed += s * (to - a)
                intervals[accrualSlot].busy += b * (to - a)
                a = to
            }
            while a < to {
                let k = Int(a * plan.intervalScale)
                let end = min(to, Double(k + 1) * plan.intervalLength)
                let bin = plan.bin(ofInterval: k)
                intervals[bin].staffed += s * (end - a)
                intervals[bin].busy += b * (end - a)
                accrualSlot = bin
                accrualSlotEnd = Double(k + 1) * plan.intervalLength
                a = end
            }
        }
        accruedUntil = max(accruedUntil, to)
        staffedCount += staffed
        busyCount += busy
    }

    mutating func finish() {
        // The open cases as they stand at the last moment simulated (not at the horizon, which may
        // lie after it: nothing happened there).
        if observer != nil {
            for c in cases where c.live { tell(.caseState(case: Int(c.serial), value: c.c)) }
        }
        // Callers still waiting when nobody is left to answer: those with patience hang up in time.
        while let t = waitingEmergency.popFirst() ?? waitingNormal.popFirst() {
            let c = Int32(bitPattern: UInt32(truncatingIfNeeded: t))
            guard callers[Int(c)].generation == UInt32(t >> 32) else { continue }
            if callers[Int(c)].waiting && callers[Int(c)].deadline.isFinite { abandon(c, at: callers[Int(c)].deadline) }
        }
        now = max(now, plan.horizon)
        changeStaffing(staffed: 0, busy: 0)
        result.intervals = (0..<plan.intervalCount).map { intervals[$0] }
        intervals.deallocate()
        for k in 0..<Outcome.allCases.count { result.outcomes[k] = outcomes[k] }
        outcomes.deallocate()
        callers.free()
        operators.free()
        // Duty-line capacity in force over the horizon, by directory version.
        for (v, start) in plan.versionStarts.enumerated() {
            let from = max(0, start)
            let to = min(plan.horizon, v + 1 < plan.versionStarts.count ? plan.versionStarts[v + 1] : plan.horizon)
            guard to > from else { continue }
            for u in plan.units.indices { result.units[u].lineCapacity += Double(plan.capacity[v][u]) * (to - from) }
        }
        // The cases still open count as they stand at the end.
        for c in cases where c.live {
            result.ledger.record(c.c)
            caseSink?.caseEnded(c.c, open: true)
        }
        caseSink?.finish()
    }
}
