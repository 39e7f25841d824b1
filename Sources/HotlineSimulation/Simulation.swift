internal import Foundation
package import HotlineCore
internal import HotlineEngine

/// What to simulate.
package struct SimulationOptions: Sendable, Hashable {
    package var days: Int
    package var seed: UInt64
    package var replications: Int
    /// The first day; `nil` for the first Monday of the first year the model's calendar covers
    /// (2026 when it covers none).
    package var start: CivilDate?
    /// The length of the intervals of the day the run is tallied by, in minutes (a divisor of 1440).
    package var intervalMinutes: Int
    /// Days at the start left out of the interval tallies (not of the totals), fewer than `days`.
    package var warmUpDays: Int
    /// Days before the start whose cases are simulated, so that the run meets a realistic backlog of
    /// open cases on its first day (none are counted in its figures).
    package var caseWarmUpDays: Int

    package init(
        days: Int = 1, seed: UInt64 = 1, replications: Int = 1, start: CivilDate? = nil, intervalMinutes: Int = 30,
        warmUpDays: Int = 0, caseWarmUpDays: Int = 0
    ) {
        self.days = days
        self.seed = seed
        self.replications = replications
        self.start = start
        self.intervalMinutes = intervalMinutes
        self.warmUpDays = warmUpDays
        self.caseWarmUpDays = caseWarmUpDays
    }
}

/// Simulates a model: independent replications, in parallel, each with its own random streams.
///
/// The result depends on the model, the options and nothing else: replications are combined in their
/// own order whatever the number of threads that ran them.
package struct Simulation: Sendable {
    package let plan: SimulationPlan
    package let options: SimulationOptions

    package init(model: CityModel, options: SimulationOptions) {
        let start = options.start ?? Self.defaultStart(for: model)
        self.plan = SimulationPlan(
            model: model, start: start, days: options.days, intervalMinutes: options.intervalMinutes,
            warmUpDays: min(options.warmUpDays, options.days - 1), caseWarmUpDays: options.caseWarmUpDays)
        self.options = options
    }

    /// The first Monday of the first year the calendar covers, or of 2026.
    package static func defaultStart(for model: CityModel) -> CivilDate {
        let year = model.router.calendar.years.keys.min() ?? 2026
        var d = CivilDate(year: year, month: 1, day: 1)!
        while d.weekday != .monday { d = d.adding(days: 1) }
        return d
    }

    /// The routing core's first decision on every routed call of the first replication, in order: what
    /// the live backend must decide for the same calls (a test replays them through it).
    package func decisions() -> [TracedDecision] {
        var run = ReplicationRun(plan: plan, streams: RandomStreams(seed: options.seed, replication: 0))
        run.trace = []
        _ = run.run()
        return run.trace ?? []
    }

    /// Runs the first replication on this thread with `observer` watching every step (`hotline drive`).
    /// Its figures are those `run` gives the first replication: watching draws no random number.
    package func drive(
        _ observer: any CentreObserver, progress: ((Double) -> Void)? = nil
    ) -> SimulationReport {
        let clock = ContinuousClock()
        let started = clock.now
        var run = ReplicationRun(plan: plan, streams: RandomStreams(seed: options.seed, replication: 0))
        run.observer = observer
        let result = run.run(progress: progress)
        let elapsed = clock.now - started
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var single = options
        single.replications = 1
        return SimulationReport(plan: plan, options: single, results: [result], wallSeconds: wall)
    }

    /// The first simulated moment, as the centre's local time.
    package var firstMoment: Instant { Instant(plan.start) }

    /// Runs every replication.
    /// - Parameters:
    ///   - threads: replications run at once (default: the active processors).
    ///   - progress: called now and then with the fraction of the work done, from any thread.
    /// - Parameter caseSink: hears every case of the first replication as it ends (closed, or open at
    ///   the end), e.g. to write them to a case store; it changes nothing in the run.
    package func run(
        threads: Int? = nil, progress: (@Sendable (Double) -> Void)? = nil, caseSink: (any CaseSink)? = nil
    ) async -> SimulationReport {
        let clock = ContinuousClock()
        let started = clock.now
        let plan = self.plan
        let seed = options.seed
        let count = options.replications
        let width = max(1, min(count, threads ?? ProcessInfo.processInfo.activeProcessorCount))
        let tracker = ProgressTracker(replications: count, report: progress)
        var results = [ReplicationResult?](repeating: nil, count: count)
        await withTaskGroup(of: (Int, ReplicationResult).self) { group in
            var next = 0
            func launch() {
                let r = next
                next += 1
                group.addTask {
                    var run = ReplicationRun(plan: plan, streams: RandomStreams(seed: seed, replication: r))
                    if r == 0 { run.caseSink = caseSink }
                    return (r, run.run(progress: { tracker.update(replication: r, fraction: $0) }))
                }
            }
            while next < width { launch() }
            while let (r, result) = await group.next() {
                results[r] = result
                tracker.update(replication: r, fraction: 1)
                if next < count { launch() }
            }
        }
        let elapsed = clock.now - started
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return SimulationReport(plan: plan, options: options, results: results.map { $0! }, wallSeconds: wall)
    }
}

/// Adds up the progress of replications running on several threads.
final class ProgressTracker: @unchecked Sendable {
    // `lock` protects `fractions`.
    private let lock = NSLock()
    private var fractions: [Double]
    private let report: (@Sendable (Double) -> Void)?

    init(replications: Int, report: (@Sendable (Double) -> Void)?) {
        fractions = Array(repeating: 0, count: replications)
        self.report = report
    }

    func update(replication: Int, fraction: Double) {
        guard let report else { return }
        lock.lock()
        fractions[replication] = fraction
        let total = fractions.reduce(0, +) / Double(fractions.count)
        lock.unlock()
        report(total)
    }
}

/// The replications of a run, ready to be summarised.
package struct SimulationReport: Sendable {
    package let plan: SimulationPlan
    package let options: SimulationOptions
    package let results: [ReplicationResult]
    package let wallSeconds: Double
}

/// A call the simulator put to the routing core, and what the core decided.
package struct TracedDecision: Sendable, Hashable {
    package var request: CallRequest
    package var at: Instant
    package var decision: CallDecision
}

/// Hears every case of a replication as it ends; see `Simulation.run(threads:progress:caseSink:)`.
package protocol CaseSink: AnyObject, Sendable {
    /// A case closed, or was still open at the end of the run (`open`); called on the replication's thread.
    func caseEnded(_ c: Case, open: Bool)
    /// A call to a unit's duty line, answered or not (Art. 13(1)).
    func dutyLineCall(_ unit: UnitID, at: Instant, answered: Bool)
    /// The replication is over: nothing more comes.
    func finish()
}
