package import HotlineCore

/// How many duty lines a unit needs (Art. 6): the least lines that leave a three-party call, a
/// dispatch reading or an Art. 11 notification a free line with the target probability, by Erlang B
/// on the unit's offered load in the busiest interval of the day.
package struct DutyLineNeed: Sendable, Hashable {
    package var unit: UnitID
    /// Lines the model gives the unit now.
    package var current: Int
    package var lines: Int
    /// Offered load in the busiest interval, erlangs.
    package var offeredErlangs: Double
    /// Erlang B blocking with `lines` at that load.
    package var blocking: Double

    /// The need of every unit from a simulated day with its current lines: the day's offered
    /// line-seconds (carried, plus blocked calls at the mean holding time), scaled to the busiest
    /// interval by the arrival profile's peak over its mean (unit calls follow operator calls).
    package static func from(_ run: DayRun, peakOverMean: Double, blocking target: Double) -> [DutyLineNeed] {
        run.dutyLines.map { o in
            let carried = max(1, o.attempts - o.blocked)
            let hold = o.busySeconds / Double(carried)
            let offered = (o.busySeconds + Double(o.blocked) * hold) / (Double(run.lineDays) * 86_400) * peakOverMean
            var c = 1
            while erlangB(servers: c, load: offered) > target && c < 10_000 { c += 1 }
            return DutyLineNeed(
                unit: o.unit, current: o.lines, lines: c, offeredErlangs: offered,
                blocking: erlangB(servers: c, load: offered))
        }
    }
}
