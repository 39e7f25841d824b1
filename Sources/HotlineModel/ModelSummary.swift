package import HotlineCore

/// The one-screen summary `hotline check` prints for a valid model.
package struct ModelSummary: Sendable {
    package var lines: [(label: String, text: String)]

    /// Summarises a model; yearly figures are for `year`.
    package init(_ model: CityModel, year: Int) {
        var lines: [(String, String)] = []
        let router = model.router
        let snapshot = router.directory.base
        let units = snapshot.sortedUnits
        if !units.isEmpty {
            let byTier = Dictionary(grouping: units, by: \.tier)
            var text = Tier.allCases.map { t in
                let n = byTier[t]?.count ?? 0
                return t == .centre ? "\(n) centre" : "\(n) tier-\(t.rawValue)"
            }.joined(separator: " · ") + " (\(units.count) units)"
            if !router.directory.changes.isEmpty {
                text += "; \(router.directory.changes.count) dated change\(router.directory.changes.count == 1 ? "" : "s")"
            }
            lines.append(("network", text))
            let kinds = Dictionary(grouping: units, by: \.kind)
            lines.append(("", UnitKind.allCases.compactMap { k in kinds[k].map { "\($0.count) \(k.rawValue)" } }.joined(separator: ", ")))
            let withLines = units.filter { ($0.dutyLines?.count ?? 0) > 0 }
            let total = withLines.reduce(0) { $0 + ($1.dutyLines?.count ?? 0) }
            let allDay = withLines.filter { $0.dutyLines?.cover.isAllDay ?? false }.count
            lines.append(("duty lines", "\(total) lines in \(withLines.count) units; \(allDay) units round the clock, \(withLines.count - allDay) part of the day"))
            lines.append(("territories", "\(router.territories.territories.count)"))
        }
        let categories = router.categories
        if categories.count > 0 {
            let levels = Dictionary(grouping: categories.categories.keys, by: \.level)
            let leaves = categories.leaves
            var byType: [RequestType: Double] = [:]
            for leaf in leaves { byType[leaf.requestType, default: 0] += leaf.callShare ?? 0 }
            lines.append(("categories",
                "\(categories.count) (\(levels[1]?.count ?? 0) major, \(levels[2]?.count ?? 0) middle, \(levels[3]?.count ?? 0) minor); calls drawn from \(leaves.count) leaves"))
            lines.append(("", RequestType.allCases.map { "\($0.rawValue) \(Self.percent(byType[$0] ?? 0))" }.joined(separator: ", ")))
        }
        let arrivals = model.arrivals
        let calendar = router.calendar
        let first = CivilDate(year: year, month: 1, day: 1)!.dayNumber
        let last = CivilDate(year: year, month: 12, day: 31)!.dayNumber
        var yearTotal = 0.0
        var peak = (0.0, CivilDate(dayNumber: first))
        for n in first...last {
            let d = CivilDate(dayNumber: n)
            let calls = arrivals.expectedCalls(on: d, calendar: calendar)
            yearTotal += calls
            if calls > peak.0 { peak = (calls, d) }
        }
        let days = Double(last - first + 1)
        lines.append(("calls per day", "\(Self.whole(arrivals.baseCallsPerDay)) on an ordinary weekday (peak hour \(Self.whole(arrivals.baseRatePerHour.max() ?? 0))/h)"))
        lines.append(("", "\(year): \(Self.whole(yearTotal / days)) a day on average, \(Self.whole(yearTotal)) in the year; busiest day \(peak.1) with \(Self.whole(peak.0))"))
        switch model.staffing {
        case .flat(let n):
            lines.append(("operators", "\(n) around the clock"))
        case .shifts(let shifts):
            var lo = Int.max
            var hi = 0
            for day in Weekday.allCases {
                for minute in stride(from: 0, to: 1440, by: 5) {
                    let n = model.staffing.onDuty(secondsIntoDay: minute * 60, on: day)
                    lo = min(lo, n)
                    hi = max(hi, n)
                }
            }
            lines.append(("operators", "\(shifts.count) shifts, \(shifts.reduce(0) { $0 + $1.count }) operators a day; \(lo) to \(hi) on duty at once"))
        }
        let handling = model.handling.sorted { $0.key < $1.key }
            .map { "\($0.key.rawValue) \(Self.percent($0.value.share)) (talk \(Self.whole($0.value.talk.mean)) s)" }
        lines.append(("handling", handling.joined(separator: ", ")))
        lines.append(("patience", model.patience.map { "\($0)" } ?? "callers never hang up"))
        if !units.isEmpty || categories.count > 0 {
            let classes = router.policy.classes.values.sorted { $0.id < $1.id }
                .map { "\($0.id) \($0.signFor)/\($0.reply)" }
            lines.append(("deadlines", "sign for/reply: " + classes.joined(separator: ", ")))
            lines.append(("", "one extension of \(router.policy.extensionLimit) (Art. 10(8)); supervision \(router.policy.supervisionLimit) (Art. 10(9)); accountability after \(router.policy.accountabilityAfterSupervisions) supervisions (Art. 13)"))
            let years = calendar.years.keys.sorted()
            lines.append(("calendar", years.isEmpty ? "none: Monday–Friday working days" : years.map { y in
                let h = calendar.years[y]!
                return "\(y) (\(h.holidays.count) holidays, \(h.makeUpWorkingDays.count) make-up days)"
            }.joined(separator: ", ") + "; other years Monday–Friday"))
        }
        let s = model.service
        lines.append(("targets", "\(Self.percent(s.targetShare)) answered within \(Self.whole(s.thresholdSeconds)) s; connection rate ≥ \(Self.percent(s.connectionRateTarget))"))
        self.lines = lines
    }

    /// The summary as aligned text.
    package var text: String {
        let width = lines.map(\.label.count).max() ?? 0
        return lines.map { $0.label + String(repeating: " ", count: width - $0.label.count) + "  " + $0.text }.joined(separator: "\n")
    }

    static func percent(_ x: Double) -> String {
        let p = (x * 1000).rounded() / 10
        return (p == p.rounded() ? String(Int(p)) : String(p)) + " %"
    }

    static func whole(_ x: Double) -> String {
        let n = Int(x.rounded())
        var digits = String(abs(n))
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (n < 0 ? "-" : "") + digits + out
    }
}
