internal import HotlineCore
internal import Yams

extension SectionReader {
    /// `deadlines:` the classes of Art. 10(3)/(8) and the limits of the workflow.
    mutating func readDeadlines(_ v: YAMLValue) {
        guard
            let f = v.fields([
                "classes", "extension", "supervision", "accountability_after", "callback_within", "max_returns",
                "government_decision", "escalation", "closure_report", "attendance", "information",
            ])
        else { return }
        var classes: [DeadlineClass] = []
        if let cv = f["classes"], let cf = cv.fields(cv.mappingKeys) {
            for (key, value) in cf.entries {
                guard
                    let c = value.fields(
                        ["sign_for", "first_contact", "reply", "emergency", "return"],
                        required: ["sign_for", "reply"]
                    )
                else {
                    continue
                }
                guard let s = c["sign_for"]?.timeLimit(), let r = c["reply"]?.timeLimit() else { continue }
                let first = c["first_contact"]?.timeLimit() ?? s
                let id = DeadlineClassID(key)
                deadlineClassNodes[id] = value
                classes.append(
                    DeadlineClass(
                        id: id,
                        signFor: s,
                        firstContact: first,
                        reply: r,
                        isEmergency: c["emergency"]?.bool() ?? false,
                        returnWithin: c["return"]?.timeLimit()
                    )
                )
            }
            if cf.entries.isEmpty { cv.fail(.missingKey, "deadlines.classes needs at least one class") }
        }
        var p = classes.isEmpty ? CasePolicy.standard : CasePolicy(classes: classes)
        if classes.isEmpty { for id in p.classes.keys { deadlineClassNodes[id] = v } }
        if let x = f["extension"]?.timeLimit() { p.extensionLimit = x }
        if let x = f["supervision"]?.timeLimit() { p.supervisionLimit = x }
        if let x = f["accountability_after"]?.integer(in: 1...100) { p.accountabilityAfterSupervisions = x }
        if let x = f["callback_within"]?.timeLimit() { p.callbackWithin = x }
        if let x = f["max_returns"]?.integer(in: 0...100) { p.maxReturns = x }
        if let x = f["government_decision"]?.timeLimit() { p.governmentDecisionWithin = x }
        if let x = f["closure_report"]?.timeLimit() { p.closureReportWithin = x }
        if let x = f["attendance"]?.timeLimit() { p.attendanceWithin = x }
        if let x = f["information"]?.timeLimit() { p.informationWithin = x }
        if let ev = f["escalation"] {
            var majorSeen = false
            p.escalationChain = (ev.list() ?? []).compactMap { item in
                guard let s = item.fields(["to", "within", "when"], required: ["to", "within"]),
                    let to = s["to"]?.name(), let within = s["within"]?.timeLimit()
                else { return nil }
                let when =
                    s["when"]?.oneOf(["all": EscalationThreshold.all, "major": .major], what: "escalation threshold")
                    ?? .all
                // Art. 10(6): level by level; a level for every matter above one for major matters only
                // would be reached without the level below it.
                if when == .all, majorSeen, let wv = s["when"] ?? s["to"] {
                    wv.fail(
                        .badValue,
                        "level '\(to)' takes every matter but sits above a level for major matters only; list the levels from the lowest up"
                    )
                }
                if when == .major { majorSeen = true }
                return EscalationStep(to: to, within: within, when: when)
            }
        }
        policy = p
    }

    /// `calendar:` weekend days and, per year, the State Council's holidays and make-up working days.
    mutating func readCalendar(_ v: YAMLValue) {
        guard let f = v.fields(["weekend", "years"]) else { return }
        var weekend: Set<Weekday> = [.saturday, .sunday]
        if let wv = f["weekend"], let items = wv.list() {
            weekend = Set(items.compactMap { $0.weekday() })
        }
        var years: [HolidayYear] = []
        var seen: [Int: YAMLValue] = [:]
        for item in f["years"]?.list() ?? [] {
            guard let y = item.fields(["year", "holidays", "make_up_working_days", "source"], required: ["year"]),
                let yv = y["year"], let year = yv.integer(in: 1900...2200)
            else { continue }
            if let first = seen[year] {
                yv.fail(.duplicate, "year \(year) is listed twice", hint: "also at line \(first.line)")
                continue
            }
            seen[year] = yv
            var entry = HolidayYear(year: year)
            var holidayNodes: [CivilDate: YAMLValue] = [:]
            for h in y["holidays"]?.list() ?? [] {
                for d in h.dateRange(inYear: year, what: "holiday") {
                    if holidayNodes[d] != nil { h.fail(.duplicate, "holiday \(d) is listed twice") }
                    holidayNodes[d] = h
                    entry.holidays.insert(d)
                }
            }
            for m in y["make_up_working_days"]?.list() ?? [] {
                for d in m.dateRange(inYear: year, what: "make-up working day") {
                    if holidayNodes[d] != nil {
                        m.fail(.calendar, "\(d) is both a holiday and a make-up working day")
                    } else if !weekend.contains(d.weekday) {
                        m.fail(
                            .calendar,
                            "\(d) is a \(d.weekday.key), not a weekend day: a make-up working day (调休) is a weekend day worked"
                        )
                    }
                    entry.makeUpWorkingDays.insert(d)
                }
            }
            years.append(entry)
        }
        calendar = WorkingCalendar(weekend: weekend, years: years)
        if years.isEmpty {
            diagnostics.warning(
                at: v,
                "the calendar lists no year: every date falls back to Monday–Friday working days"
            )
        }
    }
}

extension YAMLValue {
    /// The keys of a mapping, whatever they are (for sections keyed by user names).
    var mappingKeys: [String] {
        guard case .mapping(let m) = node else { return [] }
        return m.compactMap { $0.key.scalar?.string }
    }

    /// A weekday key `mon` … `sun`.
    func weekday() -> Weekday? {
        oneOf(
            [
                "mon": Weekday.monday, "tue": .tuesday, "wed": .wednesday, "thu": .thursday, "fri": .friday,
                "sat": .saturday, "sun": .sunday,
            ],
            what: "weekday"
        )
    }

    /// A date or a range `YYYY-MM-DD/YYYY-MM-DD` (both ends included), every day in `year`.
    func dateRange(inYear year: Int, what: String) -> [CivilDate] {
        guard let s = string() else { return [] }
        let ends = s.split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        let dates = ends.map(CivilDate.init(parsing:))
        guard ends.count <= 2, dates.allSatisfy({ $0 != nil }) else {
            fail(.calendar, "'\(s)' is not a date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD of days that exist")
            return []
        }
        let first = dates[0]!
        let last = dates.count == 2 ? dates[1]! : first
        guard first <= last else {
            fail(.calendar, "the range \(s) ends before it starts")
            return []
        }
        guard first.year == year, last.year == year else {
            fail(.calendar, "\(what) \(s) is outside the calendar year \(year) it is listed under")
            return []
        }
        guard last.dayNumber - first.dayNumber < 60 else {
            fail(.calendar, "the range \(s) is longer than any statutory holiday")
            return []
        }
        return (first.dayNumber...last.dayNumber).map(CivilDate.init(dayNumber:))
    }
}
