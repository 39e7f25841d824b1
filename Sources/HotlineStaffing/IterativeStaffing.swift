package import HotlineCore

/// One round of the iterative staffing algorithm.
package struct StaffingIteration: Sendable, Hashable, Codable {
    package var iteration: Int
    /// Operator-hours of the staffing simulated in this round.
    package var operatorHours: Double
    /// Intervals below target in this round's simulation.
    package var intervalsUnderTarget: Int
    package var raised: Int
    package var lowered: Int
}

/// The iterative staffing algorithm (Feldman, Mandelbaum, Massey and Whitt, *Management Science*
/// 54(2), 2008), with a service-level target.
///
/// Each round simulates the whole time-varying model (patience, retrials, call-backs, three-party
/// calls that hold operators, callbacks on working days) with the current staff of every interval,
/// then sets each interval's staff for the next round from what happened in it: an interval below
/// target is raised to the least staff that meets the target by Erlang A corrected by that interval's
/// own simulated shortfall (at least one more); an interval whose corrected Erlang A still meets the
/// target with one operator fewer, by a margin, is lowered by one, but never to a staff at which it
/// has been seen failing. The rounds stop when no interval changes (converged) or after
/// `maxIterations`; then rounds that only raise go on until no interval is below target.
///
/// "Meets" is judged on the simulated service level less `z` standard errors, so that a plan does
/// not meet its target by the luck of its own random numbers.
package struct IterativeStaffing: Sendable {
    package var target: ServiceTarget
    package var intervalMinutes: Int
    /// Least staff per interval (the planning floors).
    package var floors: [Int]
    package var loads: [IntervalLoad]
    package var run: DayRunOptions
    package var maxIterations = 20
    /// Standard errors the simulated service level must clear the target by.
    package var z = 1.0
    /// Extra margin a lowered interval's corrected Erlang A must keep.
    package var lowerMargin = 0.0

    package init(
        target: ServiceTarget, intervalMinutes: Int, floors: [Int], loads: [IntervalLoad], run: DayRunOptions
    ) {
        self.target = target
        self.intervalMinutes = intervalMinutes
        self.floors = floors
        self.loads = loads
        self.run = run
    }

    /// The result: staff per interval, the last simulation of it, and every round.
    package struct Result: Sendable {
        package var staff: [Int]
        package var last: DayRun
        package var iterations: [StaffingIteration]
        package var converged: Bool
    }

    /// Calls an interval's simulation must hold before its service level is trusted over Erlang A.
    package static let fewCalls = 30

    /// Whether interval `i`, with `staff` on the phones, meets the target in a simulation: its
    /// service level less `z` standard errors (never more than half the target's slack) reaches the
    /// target. With fewer than `fewCalls` calls the simulation cannot tell, and Erlang A at that
    /// staff decides.
    package func meets(_ o: IntervalOutcome, at i: Int, staff: Int) -> Bool {
        if o.calls == 0 { return true }
        if o.calls < Self.fewCalls { return serviceLevel(i, staff) >= target.serviceLevel }
        let margin = min(z * o.standardError, (1 - target.serviceLevel) / 2)
        return o.serviceLevel - margin >= target.serviceLevel
    }

    /// Runs the rounds from `start` (Erlang A's staff is a good start).
    package func solve(
        model: CityModel, day: DesignDay, start: [Int], dutyLines: [UnitID: Int] = [:],
        progress: (@Sendable (Int) -> Void)? = nil
    ) async -> Result {
        var staff = zip(start, floors).map { max($0, $1) }
        var failedAt = [Int](repeating: -1, count: staff.count)
        var iterations: [StaffingIteration] = []
        var converged = false
        var round = 0
        var raiseOnly = false
        let hoursPerInterval = Double(intervalMinutes) / 60
        while true {
            round += 1
            progress?(round)
            var options = run
            options.seed = run.seed &+ UInt64(round) &* 1_000_003
            let result = await day.simulate(
                model, staffing: .perInterval(staff, intervalMinutes: intervalMinutes), dutyLines: dutyLines,
                intervalMinutes: intervalMinutes, options: options)
            var next = staff
            var raised = 0
            var lowered = 0
            var under = 0
            for i in staff.indices {
                let o = result.intervals[i]
                let pass = meets(o, at: i, staff: staff[i])
                if !pass {
                    under += 1
                    failedAt[i] = max(failedAt[i], staff[i])
                }
                // Erlang A at this staff against the simulation: the model's own shortfall here.
                let predicted = serviceLevel(i, staff[i])
                let shortfall = o.calls > 0 ? predicted - o.serviceLevel : 0
                if !pass {
                    var s = staff[i] + 1
                    while s < staff[i] + 4 && serviceLevel(i, s) - shortfall < target.serviceLevel + lowerMargin {
                        s += 1
                    }
                    next[i] = s
                    raised += 1
                } else if !raiseOnly && staff[i] - 1 > failedAt[i] && staff[i] - 1 >= floors[i]
                    && serviceLevel(i, staff[i] - 1) - shortfall >= target.serviceLevel + lowerMargin
                {
                    next[i] = staff[i] - 1
                    lowered += 1
                }
            }
            iterations.append(
                StaffingIteration(
                    iteration: round, operatorHours: Double(staff.reduce(0, +)) * hoursPerInterval,
                    intervalsUnderTarget: under, raised: raised, lowered: lowered))
            if raised == 0 && lowered == 0 {
                converged = !raiseOnly || converged
                return Result(staff: staff, last: result, iterations: iterations, converged: converged)
            }
            if raised == 0 && raiseOnly {
                return Result(staff: staff, last: result, iterations: iterations, converged: converged)
            }
            if round >= maxIterations && !raiseOnly {
                raiseOnly = true
            }
            if round >= maxIterations + 10 {
                // Still short after the raising rounds: give what there is; the caller verifies it.
                return Result(staff: next, last: result, iterations: iterations, converged: false)
            }
            staff = next
        }
    }

    /// Erlang A's service level of interval `i` with `servers` operators (Erlang C without patience).
    func serviceLevel(_ i: Int, _ servers: Int) -> Double {
        let load = loads[i]
        guard load.callsPerHour > 0 else { return 1 }
        guard servers > 0 else { return 0 }
        return load.queue(servers, patience: true).figures(threshold: target.thresholdS)?.serviceLevel ?? 0
    }
}
