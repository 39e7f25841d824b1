internal import HotlineCore

extension SectionReader {
    /// `arrivals:` a flat rate, 24 or 48 rates, or calls per day with an intraday profile; then
    /// factors by day of week, holidays, seasons and surge days.
    func readArrivals(_ v: YAMLValue) -> ArrivalProfile? {
        let keys = [
            "rate_per_hour", "per_hour", "per_day", "profile", "day_of_week", "holiday_factor", "seasons", "surges",
        ]
        guard let f = v.fields(keys) else { return nil }
        let forms = ["rate_per_hour", "per_hour", "per_day"].filter { f.has($0) }
        guard forms.count == 1 else {
            v.fail(
                forms.isEmpty ? .missingKey : .badValue,
                forms.isEmpty
                    ? "arrivals need one of rate_per_hour, per_hour (24 or 48 rates) or per_day with a profile"
                    : "give only one of " + forms.joined(separator: ", ")
            )
            return nil
        }
        var base: [Double]?
        switch forms[0] {
        case "rate_per_hour":
            base = f["rate_per_hour"].flatMap { $0.positive() }.map { Array(repeating: $0, count: 48) }
            if f["rate_per_hour"] == nil {
                v.fieldValue("rate_per_hour").fail(.wrongType, "expected a number, found nothing")
            }
        case "per_hour":
            if let pv = f["per_hour"], let rates = halfHourly(pv, what: "calls per hour") {
                if rates.reduce(0, +) <= 0 {
                    pv.fail(.badValue, "the rates are all zero: no call would arrive")
                } else {
                    base = rates
                }
            }
        default:
            guard let total = f["per_day"]?.positive() ?? nil else {
                if f["per_day"] == nil { v.fieldValue("per_day").fail(.wrongType, "expected a number, found nothing") }
                return nil
            }
            var weights = Array(repeating: 1.0, count: 48)
            if let pv = f["profile"] {
                guard let w = halfHourly(pv, what: "profile weights") else { return nil }
                guard w.reduce(0, +) > 0 else {
                    pv.fail(.badValue, "the profile weights are all zero")
                    return nil
                }
                weights = w
            }
            let sum = weights.reduce(0, +)
            base = weights.map { $0 / sum * total * 2 }
        }
        if f.has("profile") && forms[0] != "per_day" {
            v.fieldValue("profile").fail(
                .badValue,
                "a profile goes with per_day",
                hint: "per_hour already gives the rate of each hour"
            )
        }
        var dow: [Weekday: Double] = [:]
        if let dv = f["day_of_week"], let d = dv.fields(Weekday.allCases.map(\.key)) {
            for (key, value) in d.entries {
                if let day = Weekday(key: key), let x = value.positive() { dow[day] = x }
            }
        }
        var seasons: [Season] = []
        for item in f["seasons"]?.list() ?? [] {
            guard let s = item.fields(["name", "from", "to", "factor"], required: ["name", "from", "to", "factor"]),
                let name = s["name"]?.name(), let from = s["from"]?.monthDay(), let to = s["to"]?.monthDay(),
                let k = s["factor"]?.positive()
            else { continue }
            seasons.append(Season(name: name, from: from, to: to, factor: k))
        }
        var surges: [Surge] = []
        for item in f["surges"]?.list() ?? [] {
            guard let s = item.fields(["date", "days", "factor", "categories", "note"], required: ["date", "factor"]),
                let dv = s["date"], let date = dv.date(), let k = s["factor"]?.positive()
            else { continue }
            let days = s["days"]?.integer(in: 1...366) ?? 1
            var codes: [CategoryCode] = []
            for c in s["categories"]?.list() ?? [] {
                guard let raw = c.name() else { continue }
                if categories.hasCode(withPrefix: CategoryCode(raw)) {
                    codes.append(CategoryCode(raw))
                } else {
                    c.fail(
                        .unknownReference,
                        "category '\(raw)' is not defined",
                        hint: hintFor(raw, among: categories.categories.keys.map(\.rawValue))
                    )
                }
            }
            if !calendar.covers(year: date.year) && !calendar.years.isEmpty {
                diagnostics.warning(
                    at: dv,
                    "\(date) is in \(date.year), which the calendar does not cover: Monday–Friday working days assumed"
                )
            }
            surges.append(Surge(first: date, days: days, factor: k, categories: codes))
        }
        guard let base else { return nil }
        return ArrivalProfile(
            baseRatePerHour: base,
            dayOfWeek: dow,
            holidayFactor: f["holiday_factor"]?.positive(),
            seasons: seasons,
            surges: surges
        )
    }

    /// 24 hourly or 48 half-hourly non-negative numbers, as 48 half-hourly values.
    private func halfHourly(_ v: YAMLValue, what: String) -> [Double]? {
        guard let items = v.list() else { return nil }
        let values = items.compactMap { $0.nonNegative() }
        guard values.count == items.count else { return nil }
        switch values.count {
        case 48: return values
        case 24: return values.flatMap { [$0, $0] }
        default:
            v.fail(.badValue, "expected 24 hourly or 48 half-hourly \(what), found \(values.count)")
            return nil
        }
    }

    /// `operators:` a flat count, or a shift table that covers every hour of every day (Art. 10(1)).
    func readOperators(_ v: YAMLValue) -> Staffing? {
        guard let f = v.fields(["count", "shifts"]) else { return nil }
        switch (f.has("count"), f.has("shifts")) {
        case (true, false):
            guard let cv = f["count"] else {
                v.fieldValue("count").fail(.wrongType, "expected a whole number, found nothing")
                return nil
            }
            return cv.integer(in: 1...100_000).map(Staffing.flat)
        case (false, true):
            guard let sv = f["shifts"] else {
                v.fieldValue("shifts").fail(.shiftTable, "the shift table is empty")
                return nil
            }
            return readShifts(sv)
        case (true, true):
            v.fail(.badValue, "give either operators.count or operators.shifts, not both")
        case (false, false):
            v.fail(.missingKey, "operators need a 'count' or a 'shifts' table")
        }
        return nil
    }

    private func readShifts(_ v: YAMLValue) -> Staffing? {
        guard let items = v.list() else { return nil }
        guard !items.isEmpty else {
            v.fail(.shiftTable, "the shift table is empty: no operator would ever answer")
            return nil
        }
        var shifts: [Shift] = []
        var names: [String: YAMLValue] = [:]
        var ok = true
        for item in items {
            guard
                let s = item.fields(
                    ["name", "start", "hours", "count", "days", "on", "breaks"],
                    required: ["name", "start", "hours", "count"]
                ),
                let nv = s["name"], let name = nv.name(), let start = s["start"]?.timeOfDay(), let hv = s["hours"],
                let hours = hv.positive(),
                let count = s["count"]?.integer(in: 1...100_000)
            else {
                ok = false
                continue
            }
            if let first = names[name] {
                nv.fail(.duplicate, "shift '\(name)' is defined twice", hint: "also at line \(first.line)")
                ok = false
            }
            names[name] = item
            guard hours <= 24 else {
                hv.fail(.shiftTable, "a shift lasts at most 24 hours, found \(hours)")
                ok = false
                continue
            }
            let length = Int((hours * 3600).rounded())
            var days: Set<Weekday> = []
            for d in s["days"]?.list() ?? [] { if let w = d.weekday() { days.insert(w) } }
            var dayTypes: Set<DayType> = []
            var typesRead = true
            for d in s["on"]?.list() ?? [] {
                guard let raw = d.name() else {
                    typesRead = false
                    continue
                }
                if let t = DayType(rawValue: raw) {
                    dayTypes.insert(t)
                } else {
                    typesRead = false
                    d.fail(
                        .badValue, "'\(raw)' is not a type of day",
                        hint: "one of " + DayType.allCases.map(\.rawValue).joined(separator: ", "))
                    ok = false
                }
            }
            var breaks: [(ShiftBreak, YAMLValue)] = []
            for b in s["breaks"]?.list() ?? [] {
                guard let bf = b.fields(["start", "minutes"], required: ["start", "minutes"]),
                    let bs = bf["start"]?.timeOfDay(),
                    let minutes = bf["minutes"]?.positive()
                else {
                    ok = false
                    continue
                }
                let offset = ((bs.seconds - start.seconds) % 86_400 + 86_400) % 86_400
                let br = ShiftBreak(offset: offset, length: Int((minutes * 60).rounded()))
                if br.offset + br.length > length {
                    b.fail(
                        .shiftTable,
                        "the break at \(bs) for \(Int(minutes)) min is not inside shift '\(name)' (\(start) for \(hours == hours.rounded() ? String(Int(hours)) : String(hours)) h)"
                    )
                    ok = false
                }
                if let other = breaks.first(where: {
                    $0.0.offset < br.offset + br.length && br.offset < $0.0.offset + $0.0.length
                }) {
                    b.fail(
                        .shiftTable,
                        "the break at \(bs) overlaps the break at line \(other.1.line) of shift '\(name)'"
                    )
                    ok = false
                }
                breaks.append((br, b))
            }
            let shift = Shift(
                name: name,
                start: start,
                length: length,
                count: count,
                breaks: breaks.map(\.0),
                days: days,
                dayTypes: dayTypes
            )
            if typesRead,
                let twin = shifts.first(where: {
                    $0.start == shift.start && $0.length == shift.length && $0.days == shift.days
                        && $0.dayTypes == shift.dayTypes && $0.breaks == shift.breaks
                })
            {
                nv.fail(
                    .shiftTable,
                    "shift '\(name)' overlaps shift '\(twin.name)' exactly (same start, hours, days, types of day and breaks)",
                    hint: "give one entry with count \(twin.count + count)"
                )
                ok = false
            }
            shifts.append(shift)
        }
        guard ok else { return nil }
        let staffing = Staffing.shifts(shifts)
        if let gap = firstGap(staffing) {
            v.fail(
                .shiftTable,
                "no operator is on duty on \(gap.day) from \(gap.from) to \(gap.to); Art. 10(1) requires 24-hour answering"
            )
            return nil
        }
        return staffing
    }

    /// The first stretch of a day, minute by minute, with nobody on duty: every weekday of every type
    /// (working, weekend, holiday) after a day of every type, as the calendar may put them.
    private func firstGap(_ staffing: Staffing) -> (day: String, from: TimeOfDay, to: TimeOfDay)? {
        // Holidays only where the calendar has some.
        let types: [DayType] =
            calendar.years.values.contains { !$0.holidays.isEmpty }
            ? [.working, .weekend, .holiday] : [.working, .weekend]
        func possible(_ w: Weekday, _ t: DayType) -> Bool { t != .weekend || calendar.weekend.contains(w) }
        for weekday in Weekday.allCases {
            for type in types where possible(weekday, type) {
                let today = RosterDay(weekday: weekday, type: type)
                for before in types where possible(today.previousWeekday, before) {
                    let yesterday = RosterDay(weekday: today.previousWeekday, type: before)
                    let covered = coverage(staffing, on: today, after: yesterday)
                    var start: Int?
                    for minute in 0...1440 {
                        let empty = minute < 1440 && !covered[minute]
                        if empty, start == nil { start = minute }
                        if !empty, let s = start {
                            let typed: Bool
                            if case .shifts(let list) = staffing {
                                typed = list.contains { !$0.dayTypes.isEmpty }
                            } else {
                                typed = false
                            }
                            func name(_ t: DayType) -> String {
                                t == .working ? "a working day" : t == .weekend ? "a weekend day" : "a holiday"
                            }
                            return (
                                weekday.key + (typed ? " (\(name(type)) after \(name(before)))" : ""),
                                TimeOfDay(seconds: s * 60), TimeOfDay(seconds: minute * 60)
                            )
                        }
                    }
                }
            }
        }
        return nil
    }

    /// The minutes of `today` (after `yesterday`) with somebody on duty: each shift marks its own
    /// minutes, which is what `Staffing.onDuty` says minute by minute, without asking it 1,440 times.
    private func coverage(_ staffing: Staffing, on today: RosterDay, after yesterday: RosterDay) -> [Bool] {
        guard case .shifts(let shifts) = staffing else {
            return [Bool](repeating: staffing.onDuty(secondsIntoDay: 0, on: today, after: yesterday) > 0, count: 1440)
        }
        var covered = [Bool](repeating: false, count: 1440)
        for k in shifts.indices where shifts[k].count > 0 {
            let shift = shifts[k]
            for (day, shiftOffset) in [(today, 0), (yesterday, -86_400)] where shift.starts(on: day) {
                for minute in 0..<1440 {
                    let offset = minute * 60 - shift.start.seconds - shiftOffset
                    guard offset >= 0, offset < shift.length else { continue }
                    if !shift.breaks.contains(where: { offset >= $0.offset && offset < $0.offset + $0.length }) {
                        covered[minute] = true
                    }
                }
            }
        }
        return covered
    }
}

extension YAMLValue {
    /// A day of the year `MM-DD` (29 February allowed).
    func monthDay() -> MonthDay? {
        guard let s = string() else { return nil }
        let parts = s.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, s.count == 5, CivilDate(year: 2000, month: parts[0], day: parts[1]) != nil else {
            fail(.badValue, "'\(s)' is not a day of the year MM-DD")
            return nil
        }
        return MonthDay(month: parts[0], day: parts[1])
    }
}
