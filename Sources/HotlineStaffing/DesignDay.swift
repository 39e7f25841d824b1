package import HotlineCore

/// The day a plan is sized for: the busiest date of a type in the years the model's calendar covers,
/// so that a plan for working days holds on every working day of those years.
package struct DesignDay: Sendable, Hashable {
    package var type: DayType
    /// The busiest date of the type.
    package var date: CivilDate
    /// Its day factor (day of week, holiday, season) without a surge's.
    package var factor: Double
    /// The surge on that date, for `surge` days.
    package var surge: Surge?
    /// Dates of the type in those years.
    package var dates: Int

    /// Expected calls on the day.
    package func calls(_ model: CityModel) -> Double {
        model.arrivals.baseCallsPerDay * factor * (surge?.factor ?? 1)
    }

    /// The busiest date of `type`, or `nil` when those years hold none (no surge days, say).
    package static func busiest(_ type: DayType, in model: CityModel) -> DesignDay? {
        let calendar = model.router.calendar
        let years = calendar.years.keys.sorted()
        let span = years.isEmpty ? [2026] : years
        var best: DesignDay?
        var count = 0
        var noSurges = model.arrivals
        noSurges.surges = []
        for year in span {
            var d = CivilDate(year: year, month: 1, day: 1)!
            while d.year == year {
                let surge = model.arrivals.surges.first { $0.contains(d) }
                let fits = type == .surge ? surge != nil : surge == nil && DayType(calendar.kind(of: d)) == type
                if fits {
                    count += 1
                    let f = noSurges.dayFactor(d, calendar: calendar)
                    let total = f * (surge?.factor ?? 1)
                    if best.map({ total > $0.factor * ($0.surge?.factor ?? 1) }) ?? true {
                        best = DesignDay(type: type, date: d, factor: f, surge: surge, dates: 0)
                    }
                }
                d = d.adding(days: 1)
            }
        }
        best?.dates = count
        return best
    }

    /// Calls per hour in each interval of `minutes` minutes.
    package func ratesPerHour(_ model: CityModel, intervalMinutes minutes: Int) -> [Double] {
        let k = 1440 / minutes
        let scale = factor * (surge?.factor ?? 1)
        return (0..<k).map { i in model.arrivals.baseRatePerHour[i * minutes / 30] * scale }
    }

    /// The model as it runs on this day every day: the same arrivals each day (a surge's extra calls
    /// in its categories), satisfaction callbacks only when the day is a working day, the base
    /// directory with `dutyLines` where given, and `staffing`.
    package func model(_ model: CityModel, staffing: Staffing, dutyLines: [UnitID: Int] = [:], days: Int)
        -> CityModel
    {
        var m = model
        let rates = model.arrivals.baseRatePerHour.map { $0 * factor }
        var surges: [Surge] = []
        if let surge {
            surges = [Surge(first: date, days: days + 1, factor: surge.factor, categories: surge.categories)]
        }
        m.arrivals = ArrivalProfile(baseRatePerHour: rates, surges: surges)
        m.staffing = staffing
        // Every day a working day for the deadlines; on days off nobody makes satisfaction callbacks
        // (a calendar without working days would leave them waiting for ever).
        let years = Set((0...days).map { date.adding(days: $0).year }).map { HolidayYear(year: $0) }
        m.router.calendar = WorkingCalendar(weekend: [], years: years)
        if type != .working && !(type == .surge && DayType(model.router.calendar.kind(of: date)) == .working) {
            m.callbacks?.share = 0
        }
        let units = model.router.directory.base.sortedUnits.map { u -> Unit in
            var u = u
            if let n = dutyLines[u.id], var lines = u.dutyLines {
                lines.count = n
                u.dutyLines = lines
            }
            return u
        }
        m.router.directory = Directory(units: units)
        return m
    }
}

extension Staffing {
    /// The staffing that puts `counts[i]` operators on the phones in interval `i` of every day:
    /// operator k works the runs of intervals with more than k operators, so staff changes only by
    /// the difference at each boundary (a run across midnight is one shift).
    package static func perInterval(_ counts: [Int], intervalMinutes minutes: Int) -> Staffing {
        let n = counts.count
        let step = minutes * 60
        var shifts: [String: Shift] = [:]
        for level in 0..<(counts.max() ?? 0) {
            let on = counts.map { $0 > level }
            if on.allSatisfy({ $0 }) {
                let key = "0-\(n)"
                shifts[
                    key, default: Shift(name: "level-\(key)", start: TimeOfDay(seconds: 0), length: 86_400, count: 0)
                ]
                .count += 1
                continue
            }
            // Start each run where the level switches on; runs wrap past midnight.
            for i in 0..<n where on[i] && !on[(i + n - 1) % n] {
                var k = 0
                while on[(i + k) % n] { k += 1 }
                let key = "\(i)-\(k)"
                shifts[
                    key,
                    default: Shift(
                        name: "level-\(key)", start: TimeOfDay(seconds: i * step), length: k * step, count: 0)
                ].count += 1
            }
        }
        if shifts.isEmpty { return .shifts([]) }
        return .shifts(shifts.values.sorted { ($0.start.seconds, $0.length) < ($1.start.seconds, $1.length) })
    }
}
