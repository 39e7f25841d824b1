extension Instant {
    /// ISO 8601 with seconds and the UTC offset: `2026-11-30T09:12:00+08:00`.
    package func iso(offsetHours: Int) -> String {
        let t = Int(secondsIntoDay.rounded(.down))
        let sign = offsetHours < 0 ? "-" : "+"
        let h = abs(offsetHours)
        let s = t % 60
        return "\(date)T\(TimeOfDay(seconds: t - s)):\(s < 10 ? "0" : "")\(s)\(sign)\(h < 10 ? "0" : "")\(h):00"
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z]` into local time of a centre `offsetHours` east of UTC;
    /// without an offset the text is local time already.
    package init?(iso text: String, offsetHours: Int) {
        var body = Substring(text)
        var shift = 0.0
        if body.hasSuffix("Z") {
            body = body.dropLast()
            shift = Double(offsetHours) * 3600
        } else if body.count > 6, let sign = body.dropLast(5).last, sign == "+" || sign == "-",
            body.dropLast(2).last == ":"
        {
            let zone = body.suffix(6)
            guard let hh = Int(zone.dropFirst().prefix(2)), let mm = Int(zone.suffix(2)) else { return nil }
            let given = Double(hh * 3600 + mm * 60) * (sign == "-" ? -1 : 1)
            shift = Double(offsetHours) * 3600 - given
            body = body.dropLast(6)
        }
        var seconds = 0.0
        let parts = body.split(separator: "T")
        if parts.count == 2, parts[1].count == 8, let s = Double(parts[1].suffix(2)), parts[1].dropLast(2).last == ":" {
            seconds = s
            body = body.dropLast(3)
        }
        guard let base = Instant(parsing: String(body)) else { return nil }
        self = base + (seconds + shift)
    }
}
