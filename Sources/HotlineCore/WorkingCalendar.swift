/// The statutory holidays and make-up working days (调休) of one year.
package struct HolidayYear: Hashable, Sendable {
    package var year: Int
    /// Days off by State Council notice, weekdays and weekends alike.
    package var holidays: Set<CivilDate>
    /// Weekend days that are working days this year.
    package var makeUpWorkingDays: Set<CivilDate>

    package init(year: Int, holidays: Set<CivilDate> = [], makeUpWorkingDays: Set<CivilDate> = []) {
        self.year = year
        self.holidays = holidays
        self.makeUpWorkingDays = makeUpWorkingDays
    }
}

/// What kind of day a date is for working-day deadlines.
package enum DayKind: Hashable, Sendable {
    case workingDay
    case weekend
    case holiday
    case makeUpWorkingDay
    /// The calendar does not cover the year: Monday to Friday are taken as working days.
    case assumedWorkingDay
    /// The calendar does not cover the year: a weekend day is taken as a day off.
    case assumedDayOff

    package var isWorking: Bool {
        switch self {
        case .workingDay, .makeUpWorkingDay, .assumedWorkingDay: true
        case .weekend, .holiday, .assumedDayOff: false
        }
    }

    /// True when the year is not in the calendar and the day was judged by the weekday alone.
    package var isAssumed: Bool { self == .assumedWorkingDay || self == .assumedDayOff }
}

/// A time limit: wall-clock seconds for urgent classes, or working days (Art. 10(3), 10(8)).
package enum TimeLimit: Hashable, Sendable, CustomStringConvertible {
    case wall(seconds: Double)
    case workingDays(Int)

    /// A rough length in seconds (a working day counted as 1.4 calendar days), for ordering limits.
    package var approximateSeconds: Double {
        switch self {
        case .wall(let s): s
        case .workingDays(let n): Double(n) * 1.4 * 86_400
        }
    }

    package var description: String {
        switch self {
        case .workingDays(let n): return n == 1 ? "1 working day" : "\(n) working days"
        case .wall(let s):
            if s >= 172_800 && s.truncatingRemainder(dividingBy: 86_400) == 0 { return "\(Int(s / 86_400)) d" }
            if s.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(s / 3600)) h" }
            if s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s / 60)) min" }
            return "\(s) s"
        }
    }
}

/// A deadline, and whether it crossed a year the calendar does not cover.
package struct Deadline: Hashable, Sendable {
    package var at: Instant
    /// True when a day in a year outside the calendar was counted as Monday–Friday (warn the user).
    package var isAssumed: Bool
}

/// The working-day calendar: weekends, statutory holidays and make-up working days.
///
/// A year the calendar covers uses its State Council notice; any other year falls back to
/// Monday–Friday working days and the result says so (`DayKind.isAssumed`, `Deadline.isAssumed`).
package struct WorkingCalendar: Hashable, Sendable {
    package var weekend: Set<Weekday>
    package var years: [Int: HolidayYear]

    /// The kind of every day of the covered years, from `firstDay` (a day number): a table look-up
    /// instead of set look-ups, since deadlines count many days.
    private var table: [DayKind]
    private var firstDay: Int

    package init(weekend: Set<Weekday> = [.saturday, .sunday], years: [HolidayYear] = []) {
        self.weekend = weekend
        self.years = Dictionary(years.map { ($0.year, $0) }, uniquingKeysWith: { a, _ in a })
        table = []
        firstDay = 0
        guard let lo = self.years.keys.min(), let hi = self.years.keys.max(), hi - lo < 400 else { return }
        firstDay = CivilDate(year: lo, month: 1, day: 1)!.dayNumber
        let last = CivilDate(year: hi, month: 12, day: 31)!.dayNumber
        table = (firstDay...last).map { computedKind(of: CivilDate(dayNumber: $0)) }
    }

    /// Whether the calendar holds the notice for `year`.
    package func covers(year: Int) -> Bool { years[year] != nil }

    /// The kind of a date.
    package func kind(of date: CivilDate) -> DayKind { kind(ofDay: date.dayNumber) }

    /// The kind of the day with this day number.
    package func kind(ofDay n: Int) -> DayKind {
        let i = n - firstDay
        if i >= 0 && i < table.count { return table[i] }
        return computedKind(of: CivilDate(dayNumber: n))
    }

    private func computedKind(of date: CivilDate) -> DayKind {
        let isWeekend = weekend.contains(date.weekday)
        guard let year = years[date.year] else { return isWeekend ? .assumedDayOff : .assumedWorkingDay }
        if year.holidays.contains(date) { return .holiday }
        if year.makeUpWorkingDays.contains(date) { return .makeUpWorkingDay }
        return isWeekend ? .weekend : .workingDay
    }

    /// Whether a date is a working day.
    package func isWorkingDay(_ date: CivilDate) -> Bool { kind(of: date).isWorking }

    /// The `n`-th working day after the date of `from` (the day of `from` itself does not count).
    ///
    /// - Complexity: O(n + days off crossed).
    package func workingDay(_ n: Int, after from: CivilDate) -> (date: CivilDate, isAssumed: Bool) {
        precondition(n >= 1, "count working days from 1")
        var day = from.dayNumber
        var left = n
        var assumed = false
        while left > 0 {
            day += 1
            let k = kind(ofDay: day)
            assumed = assumed || k.isAssumed
            if k.isWorking { left -= 1 }
        }
        return (CivilDate(dayNumber: day), assumed)
    }

    /// The next working day on or after a date.
    package func workingDay(onOrAfter date: CivilDate) -> CivilDate {
        isWorkingDay(date) ? date : workingDay(1, after: date).date
    }

    /// When a limit that starts at `from` runs out.
    ///
    /// Wall-clock limits add seconds. A limit of `n` working days ends at 24:00 of the `n`-th working
    /// day after the day of `from`: a case registered on Friday with one working day must be signed
    /// for by the end of Monday, or of the next working day after a holiday.
    package func deadline(from: Instant, limit: TimeLimit) -> Deadline {
        switch limit {
        case .wall(let s):
            return Deadline(at: from + s, isAssumed: false)
        case .workingDays(let n):
            let (day, assumed) = workingDay(n, after: from.date)
            return Deadline(at: Instant(day.adding(days: 1)), isAssumed: assumed)
        }
    }

    /// The working time between two instants, in working days: each working day counts the part of
    /// it that lies between them, days off count nothing (the measure of time to reply or to close).
    ///
    /// - Complexity: O(calendar days between them).
    package func workingDays(from: Instant, to: Instant) -> Double {
        guard to > from else { return 0 }
        var total = 0.0
        var day = from.dayNumber
        let last = to.dayNumber
        while day <= last {
            if kind(ofDay: day).isWorking {
                let start = max(from.seconds, Double(day) * 86_400)
                let end = min(to.seconds, Double(day + 1) * 86_400)
                total += max(0, end - start) / 86_400
            }
            day += 1
        }
        return total
    }
}
