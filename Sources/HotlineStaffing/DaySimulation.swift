package import HotlineCore
internal import HotlineSimulation

/// How a design day is simulated: days after a warm-up, in independent replications.
package struct DayRunOptions: Sendable, Hashable {
    /// Days tallied in each replication.
    package var days: Int
    /// Days run first and left out (queues and the case pipeline, with its next-day callbacks, fill up).
    package var warmUpDays: Int
    package var replications: Int
    package var seed: UInt64
    package var threads: Int?

    package init(days: Int = 14, warmUpDays: Int = 7, replications: Int = 4, seed: UInt64 = 1, threads: Int? = nil) {
        self.days = days
        self.warmUpDays = warmUpDays
        self.replications = replications
        self.seed = seed
        self.threads = threads
    }
}

/// What a simulated design day gave in one interval, over every tallied day and replication.
package struct IntervalOutcome: Sendable, Hashable {
    /// Calls offered, in all.
    package var calls: Int
    package var answeredInTime: Int
    package var abandoned: Int
    /// Mean operators on the phones.
    package var staffed: Double
    /// Busy over staffed time.
    package var occupancy: Double

    /// Answered in time over offered (1 when no call came).
    package var serviceLevel: Double { calls > 0 ? Double(answeredInTime) / Double(calls) : 1 }
    package var abandonRate: Double { calls > 0 ? Double(abandoned) / Double(calls) : 0 }
    /// The standard error of `serviceLevel` (calls taken as independent).
    package var standardError: Double {
        guard calls > 0 else { return 0 }
        let p = serviceLevel
        return (max(p * (1 - p), 0.25 / Double(calls)) / Double(calls)).squareRoot()
    }
}

/// A unit's duty lines over the simulated days.
package struct DutyLineOutcome: Sendable, Hashable {
    package var unit: UnitID
    package var lines: Int
    /// Calls to the lines (three-party calls, dispatch readings, Art. 11 notifications, retries too).
    package var attempts: Int
    /// Attempts that found every line busy.
    package var blocked: Int
    /// Line-seconds in calls.
    package var busySeconds: Double

    package var blocking: Double { attempts > 0 ? Double(blocked) / Double(attempts) : 0 }
}

/// One simulated design day.
package struct DayRun: Sendable {
    package var intervals: [IntervalOutcome]
    package var dutyLines: [DutyLineOutcome]
    /// Calls offered per day, and the day's service level, abandonment and call-backs taken per day.
    package var callsPerDay: Double
    package var serviceLevel: Double
    package var abandonRate: Double
    package var callbacksPerDay: Double
    /// Simulated days in all (tallied days × replications).
    package var daysSimulated: Int
    /// Calls the engine simulated, warm-up included.
    package var callsSimulated: Int
    /// Days the duty-line counts cover (warm-up included) × replications.
    package var lineDays: Int

    /// Intervals whose service level falls below `target`.
    package func under(_ target: Double) -> [Int] {
        intervals.indices.filter { intervals[$0].calls > 0 && intervals[$0].serviceLevel < target }
    }
}

extension DesignDay {
    /// Simulates the model on this day, every day, with `staffing`.
    package func simulate(
        _ model: CityModel, staffing: Staffing, dutyLines: [UnitID: Int] = [:], intervalMinutes: Int,
        options: DayRunOptions
    ) async -> DayRun {
        let total = options.days + options.warmUpDays
        let m = self.model(model, staffing: staffing, dutyLines: dutyLines, days: total)
        let sim = Simulation(
            model: m,
            options: SimulationOptions(
                days: total, seed: options.seed, replications: options.replications, start: date,
                intervalMinutes: intervalMinutes, warmUpDays: options.warmUpDays))
        let report = await sim.run(threads: options.threads)
        let k = 1440 / intervalMinutes
        var intervals: [IntervalOutcome] = []
        let tallied = Double(options.days * options.replications)
        for i in 0..<k {
            let t = report.results.map { $0.intervals[i] }
            let staffed = t.reduce(0) { $0 + $1.staffed }
            let busy = t.reduce(0) { $0 + $1.busy }
            intervals.append(
                IntervalOutcome(
                    calls: t.reduce(0) { $0 + $1.offered }, answeredInTime: t.reduce(0) { $0 + $1.answeredInTime },
                    abandoned: t.reduce(0) { $0 + $1.abandoned },
                    staffed: staffed / Double(intervalMinutes * 60) / tallied,
                    occupancy: staffed > 0 ? busy / staffed : 0))
        }
        let base = m.router.directory.base
        var lines: [DutyLineOutcome] = []
        for (u, id) in sim.plan.units.enumerated() {
            guard let n = base[id]?.dutyLines?.count else { continue }
            let t = report.results.map { $0.units[u] }
            lines.append(
                DutyLineOutcome(
                    unit: id, lines: n,
                    attempts: t.reduce(0) { $0 + $1.conferenceAttempts + $1.dispatchCalls + $1.notifications },
                    blocked: t.reduce(0) { $0 + $1.conferenceLineBusy + $1.dispatchLineBusy + $1.notificationLineBusy },
                    busySeconds: t.reduce(0) { $0 + $1.lineBusy }))
        }
        let calls = intervals.reduce(0) { $0 + $1.calls }
        let inTime = intervals.reduce(0) { $0 + $1.answeredInTime }
        let abandoned = intervals.reduce(0) { $0 + $1.abandoned }
        let runs = Double(report.results.count)
        return DayRun(
            intervals: intervals, dutyLines: lines, callsPerDay: Double(calls) / tallied,
            serviceLevel: calls > 0 ? Double(inTime) / Double(calls) : 1,
            abandonRate: calls > 0 ? Double(abandoned) / Double(calls) : 0,
            callbacksPerDay: Double(report.results.reduce(0) { $0 + $1.callbackOffersTaken }) / runs / Double(total),
            daysSimulated: options.days * options.replications,
            callsSimulated: report.results.reduce(0) { $0 + $1.offered }, lineDays: total * report.results.count)
    }
}
