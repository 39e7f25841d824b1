package import HotlineCore

/// The one-screen summary `hotline check` prints for a valid model.
package struct ModelSummary: Sendable {
    /// Labelled lines; an empty label continues the line above.
    package private(set) var lines: [(label: String, text: String)] = []

    /// Summarises a model; yearly figures are for `year`.
    package init(_ model: CityModel, year: Int) {
        let router = model.router
        let units = router.directory.base.sortedUnits
        if !units.isEmpty { addNetwork(router, units) }
        if router.categories.count > 0 { addCategories(router.categories) }
        addDemand(model.arrivals, calendar: router.calendar, year: year)
        addStaffing(model)
        if !units.isEmpty || router.categories.count > 0 { addRules(router) }
        let s = model.service
        add(
            "targets",
            "\(Self.percent(s.targetShare)) answered within \(Self.whole(s.thresholdSeconds)) s;",
            "connection rate ≥ \(Self.percent(s.connectionRateTarget))"
        )
    }

    /// The summary as aligned text.
    package var text: String {
        let width = lines.map(\.label.count).max() ?? 0
        return lines.map { $0.label + String(repeating: " ", count: width - $0.label.count) + "  " + $0.text }
            .joined(separator: "\n")
    }

    /// Adds items under a label, joined by spaces and wrapped into lines of about 76 characters.
    private mutating func add(_ label: String, _ items: String...) { add(label, items) }

    private mutating func add(_ label: String, _ items: [String]) {
        var line = ""
        var first = true
        for item in items {
            if !line.isEmpty && line.count + 1 + item.count > 76 {
                lines.append((first ? label : "", line))
                first = false
                line = item
            } else {
                line += (line.isEmpty ? "" : " ") + item
            }
        }
        if !line.isEmpty { lines.append((first ? label : "", line)) }
    }

    /// `a, b, c`: items with a comma after all but the last, for `add`.
    private static func list(_ items: [String]) -> [String] {
        items.enumerated().map { $0.offset < items.count - 1 ? $0.element + "," : $0.element }
    }

    private mutating func addNetwork(_ router: Router, _ units: [Unit]) {
        let byTier = Dictionary(grouping: units, by: \.tier)
        let tiers = Tier.allCases.map { t in
            let n = byTier[t]?.count ?? 0
            return t == .centre ? "\(n) centre ·" : "\(n) tier-\(t.rawValue)" + (t == .three ? "" : " ·")
        }
        let changes = router.directory.changes.count
        add("network", tiers + ["(\(units.count) units);", "\(changes) dated change\(changes == 1 ? "" : "s")"])
        let kinds = Dictionary(grouping: units, by: \.kind)
        add("", Self.list(UnitKind.allCases.compactMap { k in kinds[k].map { "\($0.count) \(k.rawValue)" } }))
        let staffed = units.filter { ($0.dutyLines?.count ?? 0) > 0 }
        let total = staffed.reduce(0) { $0 + ($1.dutyLines?.count ?? 0) }
        let allDay = staffed.filter { $0.dutyLines?.cover.isAllDay ?? false }.count
        add(
            "duty lines",
            "\(total) lines in \(staffed.count) units;",
            "\(allDay) round the clock,",
            "\(staffed.count - allDay) part of the day"
        )
        add("territories", "\(router.territories.territories.count)")
    }

    private mutating func addCategories(_ categories: CategoryTree) {
        let levels = Dictionary(grouping: categories.categories.keys, by: \.level)
        let leaves = categories.leaves
        var byType: [RequestType: Double] = [:]
        for leaf in leaves { byType[leaf.requestType, default: 0] += leaf.callShare ?? 0 }
        add(
            "categories",
            "\(categories.count) (\(levels[1]?.count ?? 0) major, \(levels[2]?.count ?? 0) middle, \(levels[3]?.count ?? 0) minor);",
            "calls drawn from \(leaves.count) leaves"
        )
        add("", Self.list(RequestType.allCases.map { "\($0.rawValue) \(Self.percent(byType[$0] ?? 0))" }))
    }

    private mutating func addDemand(_ arrivals: ArrivalProfile, calendar: WorkingCalendar, year: Int) {
        let first = CivilDate(year: year, month: 1, day: 1)!.dayNumber
        let last = CivilDate(year: year, month: 12, day: 31)!.dayNumber
        var total = 0.0
        var peak = (calls: 0.0, date: CivilDate(dayNumber: first))
        for n in first...last {
            let d = CivilDate(dayNumber: n)
            let calls = arrivals.expectedCalls(on: d, calendar: calendar)
            total += calls
            if calls > peak.calls { peak = (calls, d) }
        }
        add(
            "calls per day",
            "\(Self.whole(arrivals.baseCallsPerDay)) on an ordinary weekday",
            "(peak hour \(Self.whole(arrivals.baseRatePerHour.max() ?? 0))/h)"
        )
        let mean = total / Double(last - first + 1)
        let busiest = peak.calls > mean * 1.0001 ? ["busiest day \(peak.date) with \(Self.whole(peak.calls))"] : []
        add(
            "",
            [
                "\(year): \(Self.whole(mean)) a day on average,",
                "\(Self.whole(total)) in the year" + (busiest.isEmpty ? "" : ";"),
            ] + busiest
        )
    }

    private mutating func addStaffing(_ model: CityModel) {
        switch model.staffing {
        case .flat(let n):
            add("operators", "\(n) around the clock")
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
            let people = shifts.reduce(0) { $0 + $1.count }
            add("operators", "\(shifts.count) shifts, \(people) operators a day;", "\(lo) to \(hi) on duty at once")
        }
        add(
            "handling",
            Self.list(
                model.handling.sorted { $0.key < $1.key }.map {
                    "\($0.key.rawValue) \(Self.percent($0.value.share)) (talk \(Self.whole($0.value.talk.mean)) s)"
                }
            )
        )
        add("patience", model.patience.map { "\($0)" } ?? "callers never hang up")
    }

    private mutating func addRules(_ router: Router) {
        let policy = router.policy
        let classes = policy.classes.values.sorted { $0.reply.approximateSeconds < $1.reply.approximateSeconds }
            .map { "\($0.id) \(Self.short($0.signFor)) / \(Self.short($0.reply))" }
        add("deadlines", ["sign for / reply:"] + Self.list(classes))
        add(
            "",
            "one extension of \(policy.extensionLimit) (Art. 10(8));",
            "supervision sets \(policy.supervisionLimit) (Art. 10(9));",
            "accountability after \(policy.accountabilityAfterSupervisions) supervisions (Art. 13)"
        )
        let calendar = router.calendar
        let years = calendar.years.keys.sorted().map { y in
            "\(y) (\(calendar.years[y]!.holidays.count) holidays, \(calendar.years[y]!.makeUpWorkingDays.count) make-up days)"
        }
        add(
            "calendar",
            years.isEmpty
                ? ["none: Monday–Friday working days"]
                : Self.list(years.dropLast() + [years.last! + ";"]) + ["other years Monday–Friday"]
        )
    }

    static func percent(_ x: Double) -> String {
        let p = (x * 1000).rounded() / 10
        return (p == p.rounded() ? String(Int(p)) : String(p)) + " %"
    }

    /// A short limit: `15 min`, `24 h`, `5 wd`.
    static func short(_ limit: TimeLimit) -> String {
        if case .workingDays(let n) = limit { return "\(n) wd" }
        return limit.description
    }

    static func whole(_ x: Double) -> String { NumberText.whole(x) }
}
