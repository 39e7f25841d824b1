package import HotlineCore

/// What to plan.
package struct StaffRequest: Sendable, Hashable {
    package var method: StaffingMethod
    package var target: ServiceTarget
    package var intervalMinutes: Int
    package var dayType: DayType
    /// The simulations of the iterative staffing algorithm.
    package var search: DayRunOptions
    /// The simulation every plan goes through before it is printed (other seeds, more days).
    package var verify: DayRunOptions
    /// Seconds the exact shift search may take.
    package var timeLimit: Double

    package init(
        method: StaffingMethod = .simulation, target: ServiceTarget, intervalMinutes: Int = 30,
        dayType: DayType = .working, search: DayRunOptions = DayRunOptions(),
        verify: DayRunOptions = DayRunOptions(days: 28, warmUpDays: 7, replications: 8, seed: 7919),
        timeLimit: Double = 10
    ) {
        self.method = method
        self.target = target
        self.intervalMinutes = intervalMinutes
        self.dayType = dayType
        self.search = search
        self.verify = verify
        self.timeLimit = timeLimit
    }
}

/// Why no plan could be made.
package enum StaffPlanError: Error, Sendable, CustomStringConvertible {
    case noDays(DayType, String)
    case noPatterns(String)
    case uncoverable(String)

    package var description: String {
        switch self {
        case .noDays(let t, let years): "the model has no \(t.rawValue) days in \(years)"
        case .noPatterns(let s): s
        case .uncoverable(let s): s
        }
    }
}

/// Plans the operators and duty lines of one type of day: requirements per interval by the method
/// asked for, the cheapest shifts that cover them (exact search), duty lines by Erlang B, every plan
/// simulated before it is returned, and the per-interval Erlang C plan beside it.
package struct StaffPlanner: Sendable {
    package let model: CityModel
    package let request: StaffRequest
    /// Told what the planner is doing, now and then.
    package var progress: (@Sendable (String) -> Void)?

    package init(model: CityModel, request: StaffRequest) {
        self.model = model
        self.request = request
    }

    var step: Int { request.intervalMinutes * 60 }
    var intervals: Int { 1440 / request.intervalMinutes }

    /// The shift patterns of the model's templates on this plan's intervals.
    func patterns() throws(StaffPlanError) -> [ShiftPattern] {
        var planning = model.planning
        planning.intervalMinutes = request.intervalMinutes
        var seen = Set<[Int]>()
        var all: [ShiftPattern] = []
        for p in planning.patterns() {
            guard p.start % step == 0, p.length % step == 0,
                p.breaks.allSatisfy({ $0.offset % step == 0 && $0.length % step == 0 })
            else { continue }
            // Two patterns on the phones in the same intervals for the same pay are one choice.
            if seen.insert(p.covers.sorted() + [p.length]).inserted { all.append(p) }
        }
        guard !all.isEmpty else {
            throw .noPatterns(
                "no shift template of the model starts, ends and breaks on \(request.intervalMinutes)-minute intervals")
        }
        guard all.count <= Self.maximumPatterns else {
            throw .noPatterns(
                "the templates allow \(all.count) ways to work a shift (starts × break places), more than the \(Self.maximumPatterns) the exact search takes: narrow the starts or the break windows"
            )
        }
        return all
    }

    /// The most patterns the exact search is given (its tableau grows with them).
    static let maximumPatterns = 6000

    /// A covered day: requirements, the cheapest shifts over them and how they were verified.
    struct Covered {
        /// Where the covered requirement came from.
        var source: String
        var required: [Int]
        var counts: [Int]
        var scheduled: [Int]
        var solution: CoverSolution
        var shifts: [Shift]
        var iterations: [StaffingIteration]?
        var converged: Bool?
        var verification: DayRun
        var corrections: Int
        var dutyLines: [DutyLineNeed]
        /// Seconds in the iterative staffing algorithm.
        var searchSeconds: Double
        /// The seed of the printed verification.
        var verificationSeed: UInt64
    }

    package func plan() async throws(StaffPlanError) -> StaffPlan {
        let started = ContinuousClock.now
        let type = request.dayType
        guard let day = DesignDay.busiest(type, in: model) else {
            let years = model.router.calendar.years.keys.sorted().map(String.init).joined(separator: ", ")
            throw .noDays(type, years.isEmpty ? "2026" : years)
        }
        let patterns = try patterns()
        var base: Covered?
        if type == .surge, let working = DesignDay.busiest(.working, in: model) {
            progress?("working day (the surge's base roster)")
            base = try await cover(working, patterns: patterns, base: nil)
        }
        progress?("\(type.rawValue) day")
        let covered = try await cover(day, patterns: patterns, base: base)
        let tablesStarted = ContinuousClock.now
        let loads = day.loads(model, intervalMinutes: request.intervalMinutes)
        let tables = floors().enumerated().map { i, floor in
            (
                max(floor, loads[i].required(request.target, patience: false)),
                max(floor, loads[i].required(request.target, patience: true))
            )
        }
        let tablesTime = Self.seconds(since: tablesStarted)
        let lines = Dictionary(uniqueKeysWithValues: covered.dutyLines.map { ($0.unit, $0.lines) })

        // The per-interval Erlang C plan beside it, simulated the same way.
        progress?("the Erlang C plan beside it")
        let erlangC = tables.map(\.0)
        let cPlan = try solveCover(erlangC, patterns: patterns, base: base?.scheduled)
        let cStaffing = Staffing.shifts(
            (base?.shifts ?? []) + shifts(cPlan.counts, patterns: patterns, overtime: false))
        let cRun = await day.simulate(
            model, staffing: cStaffing, dutyLines: lines, intervalMinutes: request.intervalMinutes,
            options: request.verify)

        var surge: StaffPlan.SurgeOptions?
        if let base {
            progress?("the working roster alone on the surge day")
            var callbacks = request.verify
            callbacks.seed &+= 17
            let alone = await day.simulate(
                model, staffing: .shifts(base.shifts), dutyLines: lines, intervalMinutes: request.intervalMinutes,
                options: callbacks)
            let overtime = covered.solution.cost
            surge = StaffPlan.SurgeOptions(
                workingHours: base.solution.cost, overtimeHours: overtime,
                overtimeCost: overtime * model.planning.overtimePremium,
                workingRosterServiceLevel: alone.serviceLevel, workingRosterAbandonRate: alone.abandonRate,
                workingRosterIntervalsUnderTarget: alone.under(request.target.serviceLevel).count,
                callbacksTaken: alone.callbacksPerDay)
        }
        var plan = document(
            day: day, loads: loads, covered: covered, base: base, patterns: patterns,
            erlangC: StaffPlan.ComparedPlan(
                operatorHours: cPlan.cost + (base?.solution.cost ?? 0),
                intervalsUnderTarget: cRun.under(request.target.serviceLevel).count, required: erlangC,
                serviceLevel: cRun.serviceLevel),
            surge: surge)
        plan.timing = StaffPlan.Timing(
            erlangTablesS: tablesTime, iterativeStaffingS: covered.searchSeconds + (base?.searchSeconds ?? 0),
            shiftSearchS: covered.solution.wallSeconds + cPlan.wallSeconds + (base?.solution.wallSeconds ?? 0),
            totalS: Self.seconds(since: started))
        return plan
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The least staff of each interval (the planning floors).
    func floors() -> [Int] { (0..<intervals).map { model.planning.floor(secondsIntoDay: $0 * step) } }

    /// Requirements by the method, the cheapest cover, duty lines and the verification (raising the
    /// requirement where the verification falls short, for the simulation method).
    func cover(_ day: DesignDay, patterns: [ShiftPattern], base: Covered?) async throws(StaffPlanError) -> Covered {
        let loads = day.loads(model, intervalMinutes: request.intervalMinutes)
        let floors = floors()
        var required: [Int]
        var iterations: [StaffingIteration]?
        var converged: Bool?
        var searchSeconds = 0.0
        let erlangA = floors.enumerated().map { max($1, loads[$0].required(request.target, patience: true)) }
        switch request.method {
        case .erlangC:
            required = floors.enumerated().map { max($1, loads[$0].required(request.target, patience: false)) }
        case .erlangA:
            required = erlangA
        case .simulation:
            var isa = IterativeStaffing(
                target: request.target, intervalMinutes: request.intervalMinutes, floors: floors, loads: loads,
                run: request.search)
            isa.maxIterations = 15
            let progress = self.progress
            let name = day.type.rawValue
            let searchStarted = ContinuousClock.now
            let result = await isa.solve(model: model, day: day, start: erlangA) { round in
                progress?("\(name) day: iterative staffing, round \(round)")
            }
            searchSeconds = Self.seconds(since: searchStarted)
            required = result.staff
            iterations = result.iterations
            converged = result.converged
        }
        var solution = try solveCover(required, patterns: patterns, base: base?.scheduled)
        let overtime = base != nil
        progress?("\(day.type.rawValue) day: the duty lines")
        var run = await day.simulate(
            model,
            staffing: .shifts((base?.shifts ?? []) + shifts(solution.counts, patterns: patterns, overtime: overtime)),
            intervalMinutes: request.intervalMinutes, options: request.verify)
        let rates = day.ratesPerHour(model, intervalMinutes: request.intervalMinutes)
        let mean = rates.reduce(0, +) / Double(max(1, rates.count))
        let needs = DutyLineNeed.from(
            run, peakOverMean: mean > 0 ? (rates.max() ?? 0) / mean : 1, blocking: model.planning.dutyLineBlocking)
        let lines = Dictionary(uniqueKeysWithValues: needs.map { ($0.unit, $0.lines) })
        var corrections = 0
        let judge = IterativeStaffing(
            target: request.target, intervalMinutes: request.intervalMinutes, floors: floors, loads: loads,
            run: request.verify)
        func staffing(for counts: [Int]) -> Staffing {
            .shifts((base?.shifts ?? []) + shifts(counts, patterns: patterns, overtime: overtime))
        }
        /// Intervals of `run` that fall short with the staff `counts` put on.
        func short(_ run: DayRun, _ counts: [Int]) -> [Int] {
            let now = scheduled(counts, patterns: patterns, base: base?.scheduled)
            return run.intervals.indices.filter { !judge.meets(run.intervals[$0], at: $0, staff: now[$0]) }
        }
        /// Simulates the current cover from `options`; for the simulation method, raises the short
        /// intervals and covers again (a new seed each time) until none is short or `corrections`
        /// reaches `limit`. Returns the seed of the last run.
        func verify(from options: DayRunOptions, limit: Int, note: String) async throws(StaffPlanError) -> UInt64 {
            var options = options
            while true {
                progress?(note)
                run = await day.simulate(
                    model, staffing: staffing(for: solution.counts), dutyLines: lines,
                    intervalMinutes: request.intervalMinutes, options: options)
                guard request.method == .simulation, corrections < limit else { return options.seed }
                let now = scheduled(solution.counts, patterns: patterns, base: base?.scheduled)
                let missing = short(run, solution.counts)
                if missing.isEmpty { return options.seed }
                corrections += 1
                progress?("\(day.type.rawValue) day: \(missing.count) intervals short in verification, raising them")
                for i in missing { required[i] = max(required[i], now[i]) + 1 }
                solution = try solveCover(required, patterns: patterns, base: base?.scheduled)
                options.seed &+= 101
            }
        }
        var printedSeed = try await verify(
            from: request.verify, limit: 4, note: "\(day.type.rawValue) day: verifying the shifts")
        var source = request.method == .simulation ? "iterative staffing" : request.method.rawValue
        if request.method == .simulation {
            // A cover of a per-interval Erlang requirement may cost less and still hold in the whole
            // model: take the cheapest that verifies in every interval, then verify it anew.
            let erlangC = floors.enumerated().map { max($1, loads[$0].required(request.target, patience: false)) }
            for (name, vector) in [("erlang-c", erlangC), ("erlang-a", erlangA)] {
                let trial = try solveCover(vector, patterns: patterns, base: base?.scheduled)
                guard trial.cost < solution.cost - 1e-9 else { continue }
                progress?("\(day.type.rawValue) day: trying the cheaper \(name) cover in simulation")
                let tried = await day.simulate(
                    model, staffing: staffing(for: trial.counts), dutyLines: lines,
                    intervalMinutes: request.intervalMinutes, options: request.verify)
                if short(tried, trial.counts).isEmpty {
                    required = vector
                    solution = trial
                    source = name + " requirement, verified by simulation"
                }
            }
            // The printed verification, on a fresh seed: a cover taken because it passed one run must
            // pass another, or its short intervals are raised and it is covered again.
            var fresh = request.verify
            fresh.seed &+= 1_000_003
            printedSeed = try await verify(
                from: fresh, limit: 8, note: "\(day.type.rawValue) day: the printed verification")
        }
        return Covered(
            source: source,
            required: required, counts: solution.counts,
            scheduled: scheduled(solution.counts, patterns: patterns, base: base?.scheduled), solution: solution,
            shifts: (base?.shifts ?? []) + shifts(solution.counts, patterns: patterns, overtime: overtime),
            iterations: iterations, converged: converged, verification: run, corrections: corrections,
            dutyLines: needs, searchSeconds: searchSeconds, verificationSeed: printedSeed)
    }

    /// The cheapest cover of `required` (less what `base` already covers).
    func solveCover(_ required: [Int], patterns: [ShiftPattern], base: [Int]?) throws(StaffPlanError) -> CoverSolution {
        let demand = required.enumerated().map { max(0, $1 - (base?[$0] ?? 0)) }
        let problem = CoverProblem(columns: patterns.map(\.covers), costs: patterns.map(\.hours), demand: demand)
        let solution = CoverSolver.solve(problem, timeLimit: min(request.timeLimit, model.planning.solverTimeLimit))
        guard solution.cost.isFinite, problem.covers(solution.counts) else {
            let i = demand.indices.first { d in demand[d] > 0 && !patterns.contains { $0.covers.contains(d) } } ?? 0
            throw .uncoverable(
                "no shift template covers \(TimeOfDay(seconds: i * step)): give a template that can start earlier or later"
            )
        }
        return solution
    }

    /// Operators on the phones in each interval.
    func scheduled(_ counts: [Int], patterns: [ShiftPattern], base: [Int]?) -> [Int] {
        var s = base ?? [Int](repeating: 0, count: intervals)
        for (j, n) in counts.enumerated() where n > 0 { for i in patterns[j].covers { s[i] += n } }
        return s
    }

    /// The shifts of a cover, named by template, start and breaks (`full-0800-b1200`).
    func shifts(_ counts: [Int], patterns: [ShiftPattern], overtime: Bool) -> [Shift] {
        func hhmm(_ seconds: Int) -> String {
            String(TimeOfDay(seconds: seconds % 86_400).description.filter { $0 != ":" })
        }
        return counts.enumerated().filter { $0.element > 0 }.map { j, n in
            let p = patterns[j]
            let breaks = p.breaks.map { hhmm(p.start + $0.offset) }
            let name =
                p.name + "-" + hhmm(p.start) + (breaks.isEmpty ? "" : "-b" + breaks.joined(separator: "-"))
                + (overtime ? "-overtime" : "")
            return p.shift(count: n, dayTypes: [], name: name)
        }
    }
}

extension StaffPlanner {
    /// The printed plan.
    func document(
        day: DesignDay, loads: [IntervalLoad], covered: Covered, base: Covered?, patterns: [ShiftPattern],
        erlangC: StaffPlan.ComparedPlan, surge: StaffPlan.SurgeOptions?
    ) -> StaffPlan {
        let target = request.target
        let run = covered.verification
        let hours = Double(request.intervalMinutes) / 60
        let rows = (0..<intervals).map { i -> StaffPlan.IntervalRow in
            let o = run.intervals[i]
            return StaffPlan.IntervalRow(
                start: TimeOfDay(seconds: i * step).description, offered: loads[i].callsPerHour * hours,
                offeredErlangs: loads[i].erlangs, required: covered.required[i], scheduled: covered.scheduled[i],
                serviceLevel: o.serviceLevel, abandonRate: o.abandonRate, occupancy: o.occupancy,
                meetsTarget: o.calls == 0 || o.serviceLevel >= target.serviceLevel)
        }
        let baseCount = base?.shifts.count ?? 0
        let shiftRows = covered.shifts.enumerated().map { k, s in
            StaffPlan.ShiftRow(
                name: s.name, start: s.start.description, hours: Double(s.length) / 3600,
                breaks: s.breaks.map {
                    StaffPlan.BreakRow(
                        start: TimeOfDay(seconds: (s.start.seconds + $0.offset) % 86_400).description,
                        minutes: $0.length / 60)
                }, count: s.count, overtime: k >= baseCount && base != nil)
        }
        let weekdays: [Weekday] =
            switch day.type {
            case .working: [.monday, .tuesday, .wednesday, .thursday, .friday]
            case .weekend: [.saturday, .sunday]
            case .holiday: Weekday.allCases
            case .surge: []
            }
        let shrinkage = model.planning.totalShrinkage
        var rota: Rota?
        if !weekdays.isEmpty {
            let duties = weekdays.flatMap { d in
                covered.shifts.flatMap { s in
                    Array(
                        repeating: Rota.Duty(day: d, name: s.name, start: s.start.seconds, length: s.length),
                        count: s.count)
                }
            }
            rota = Rota.layOut(
                duties, daysPerWeek: model.planning.daysPerWeek, rest: model.planning.restBetweenShifts,
                shrinkage: shrinkage)
        }
        let seats = covered.shifts.reduce(0) { $0 + $1.count }
        let names = model.router.directory.base
        let simulated = Dictionary(uniqueKeysWithValues: run.dutyLines.map { ($0.unit, $0.blocking) })
        var warnings: [String] = []
        let under = run.under(target.serviceLevel)
        if !under.isEmpty {
            warnings.append(
                "\(under.count) interval\(under.count == 1 ? "" : "s") below target in simulation ("
                    + under.prefix(6).map { TimeOfDay(seconds: $0 * step).description }.joined(separator: ", ")
                    + (under.count > 6 ? ", …" : "") + ")"
                    + (request.method == .simulation ? "" : ": --method simulation plans for the whole model"))
        }
        if covered.converged == false {
            warnings.append("the iterative staffing algorithm stopped before it converged; the verification decides")
        }
        if !covered.solution.optimal {
            warnings.append(
                "the shift search stopped at its time limit before proving the optimum (gap "
                    + String(Int((covered.solution.gap * 1000).rounded()) / 10) + " %)")
        }
        return StaffPlan(
            model: model.name, method: request.method, requirementSource: covered.source, dayType: day.type.rawValue,
            designDate: day.date.description,
            designCalls: day.calls(model), datesOfType: day.dates, target: target,
            intervalMinutes: request.intervalMinutes, intervals: rows,
            operatorHours: covered.solution.cost + (base?.solution.cost ?? 0), shifts: shiftRows, shrinkage: shrinkage,
            seats: seats,
            headcount: rota?.headcount ?? Int((Double(seats) / (1 - shrinkage) - 1e-9).rounded(.up)),
            dutyLines: covered.dutyLines.map {
                StaffPlan.DutyLineRow(
                    unit: $0.unit.rawValue, name: names[$0.unit]?.nameEn ?? "", current: $0.current, lines: $0.lines,
                    blocking: $0.blocking, offeredErlangs: $0.offeredErlangs, simulatedBlocking: simulated[$0.unit] ?? 0
                )
            },
            erlangCPlan: erlangC,
            solver: StaffPlan.SolverRow(
                optimal: covered.solution.optimal, gap: covered.solution.gap, wallS: covered.solution.wallSeconds,
                nodes: covered.solution.nodes, patterns: patterns.count, bound: covered.solution.bound),
            iterations: covered.iterations, converged: covered.converged,
            verification: StaffPlan.Verification(
                seed: covered.verificationSeed,
                replications: request.verify.replications,
                daysPerReplication: request.verify.days, warmUpDays: request.verify.warmUpDays,
                callsSimulated: run.callsSimulated, serviceLevel: run.serviceLevel, abandonRate: run.abandonRate,
                intervalsUnderTarget: under.count, corrections: covered.corrections),
            surge: surge, rota: rota, weekRota: nil, warnings: warnings,
            timing: StaffPlan.Timing(erlangTablesS: 0, iterativeStaffingS: 0, shiftSearchS: 0, totalS: 0))
    }
}
