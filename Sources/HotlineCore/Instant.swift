/// A moment in the centre's local civil time, as seconds since 1970-01-01 00:00 local time.
///
/// China has one time zone and no daylight saving, so local seconds are Unix seconds plus the
/// model's offset (UTC+8 by default) and every local day has exactly 86 400 seconds. The simulator
/// passes simulated instants, the live backend wall-clock ones; the core never reads a clock.
package struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01 00:00 local time.
    package var seconds: Double

    package init(seconds: Double) { self.seconds = seconds }

    /// The instant at a time of day on a date.
    package init(_ date: CivilDate, _ time: TimeOfDay = TimeOfDay(seconds: 0)) {
        self.seconds = Double(date.dayNumber) * 86_400 + Double(time.seconds)
    }

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (also with a space instead of `T`).
    package init?(parsing text: String) {
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 1 || parts.count == 2, let date = CivilDate(parsing: String(parts[0])) else { return nil }
        if parts.count == 1 {
            self.init(date)
        } else {
            guard let time = TimeOfDay(parsing: String(parts[1])) else { return nil }
            self.init(date, time)
        }
    }

    /// The local date of this instant.
    package var date: CivilDate { CivilDate(dayNumber: dayNumber) }

    /// Days since 1970-01-01 of this instant's local date.
    package var dayNumber: Int { Int((seconds / 86_400).rounded(.down)) }

    /// Seconds since local midnight.
    package var secondsIntoDay: Double { seconds - Double(dayNumber) * 86_400 }

    package static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }
    package static func + (a: Instant, s: Double) -> Instant { Instant(seconds: a.seconds + s) }
    package static func - (a: Instant, b: Instant) -> Double { a.seconds - b.seconds }

    package var description: String {
        let t = Int(secondsIntoDay.rounded(.down))
        return "\(date)T\(TimeOfDay(seconds: t - t % 60))"
    }
}
