internal import HotlineCore
internal import Yams

extension SectionReader {
    /// `planning:` what `hotline staff` plans with: the interval, shift templates (lengths, allowed
    /// starts, break windows), floors of staff, shrinkage and costs.
    func readPlanning(_ v: YAMLValue) -> StaffPlanning? {
        let keys = [
            "interval_minutes", "templates", "minimum_staff", "minimum", "shrinkage", "overtime_premium",
            "duty_line_blocking", "days_per_week", "rest_hours", "solver_seconds",
        ]
        guard let f = v.fields(keys) else { return nil }
        var planning = StaffPlanning()
        var ok = true
        if let iv = f["interval_minutes"] {
            if let m = iv.integer(), m == 15 || m == 30 {
                planning.intervalMinutes = m
            } else {
                iv.fail(.badValue, "the planning interval is 15 or 30 minutes")
                ok = false
            }
        }
        if let tv = f["templates"] {
            guard let items = tv.list(), !items.isEmpty else {
                if tv.list() != nil { tv.fail(.badValue, "give at least one shift template") }
                return nil
            }
            var templates: [ShiftTemplate] = []
            for item in items {
                guard let t = readTemplate(item, interval: planning.intervalMinutes * 60) else {
                    ok = false
                    continue
                }
                if templates.contains(where: { $0.name == t.name }) {
                    item.fail(.duplicate, "shift template '\(t.name)' is defined twice")
                    ok = false
                }
                templates.append(t)
            }
            planning.templates = templates
            if ok && planning.patterns(limit: 6000).count > 6000 {
                tv.fail(
                    .badValue,
                    "the templates together can be worked more than 6000 ways (starts × break places), more than the exact shift search takes: narrow their starts or break windows"
                )
                ok = false
            }
        }
        if let mv = f["minimum_staff"] {
            if let n = mv.integer(in: 0...10_000) { planning.minimumStaff = n } else { ok = false }
        }
        for item in f["minimum"]?.list() ?? [] {
            guard let m = item.fields(["from", "to", "staff"], required: ["from", "to", "staff"]),
                let from = m["from"]?.timeOfDay(), let to = m["to"]?.timeOfDay(),
                let staff = m["staff"]?.integer(in: 0...10_000)
            else {
                ok = false
                continue
            }
            planning.floors.append(StaffFloor(from: from, to: to, staff: staff))
        }
        if let sv = f["shrinkage"] {
            if case .scalar = sv.node {
                guard let share = sv.share() else { return nil }
                if share < 0.9 {
                    planning.shrinkage = ["shrinkage": share]
                } else {
                    sv.fail(.badValue, "shrinkage is a share of paid time from 0 to 0.9, found \(share)")
                    ok = false
                }
            } else if let parts = sv.fields([], anyKey: true) {
                for (name, value) in parts.entries {
                    guard let x = value.share() else {
                        ok = false
                        continue
                    }
                    planning.shrinkage[name] = x
                }
                if planning.totalShrinkage >= 0.9 {
                    sv.fail(
                        .badValue,
                        "the parts of shrinkage add up to \(planning.totalShrinkage): nobody would be left on the phones"
                    )
                    ok = false
                }
            } else {
                ok = false
            }
        }
        if let pv = f["overtime_premium"] {
            if let x = pv.positive() { planning.overtimePremium = x } else { ok = false }
        }
        if let bv = f["duty_line_blocking"] {
            if let x = bv.share(), x > 0, x < 1 {
                planning.dutyLineBlocking = x
            } else {
                bv.fail(.badValue, "the blocking target is a share between 0 and 1 (0.05 for 95 % free lines)")
                ok = false
            }
        }
        if let dv = f["days_per_week"] {
            if let n = dv.integer(in: 1...7) { planning.daysPerWeek = n } else { ok = false }
        }
        if let rv = f["rest_hours"] {
            if let x = rv.nonNegative(), x <= 24 {
                planning.restBetweenShifts = Int((x * 3600).rounded())
            } else {
                rv.fail(.badValue, "rest between shifts is 0 to 24 hours")
                ok = false
            }
        }
        if let lv = f["solver_seconds"] {
            if let x = lv.positive(), x <= 3600 {
                planning.solverTimeLimit = x
            } else {
                lv.fail(.badValue, "the solver's time limit is more than 0 and at most 3600 seconds")
                ok = false
            }
        }
        return ok ? planning : nil
    }

    /// One shift template: `{ name, hours, starts, breaks }`.
    private func readTemplate(_ v: YAMLValue, interval: Int) -> ShiftTemplate? {
        guard let f = v.fields(["name", "hours", "starts", "breaks"], required: ["name", "hours"]),
            let name = f["name"]?.name(), let hv = f["hours"], let hours = hv.positive()
        else { return nil }
        let length = Int((hours * 3600).rounded())
        guard hours <= 24, length % interval == 0 else {
            hv.fail(
                .badValue,
                "a template lasts at most 24 hours, in whole intervals of \(interval / 60) minutes; found \(hours)")
            return nil
        }
        var template = ShiftTemplate(name: name, length: length)
        if let sv = f["starts"] {
            var starts: [Int] = []
            if case .sequence = sv.node {
                for item in sv.list() ?? [] {
                    guard let t = item.timeOfDay() else { return nil }
                    starts.append(t.seconds)
                }
            } else if let r = sv.fields(["from", "to", "every_minutes"], required: ["from", "to"]),
                let from = r["from"]?.timeOfDay(), let to = r["to"]?.timeOfDay()
            {
                let step = r["every_minutes"]?.integer(in: 1...1440).map { $0 * 60 } ?? interval
                var t = from.seconds
                let end = to.seconds >= from.seconds ? to.seconds : to.seconds + 86_400
                while t <= end {
                    starts.append(t % 86_400)
                    t += step
                }
            } else {
                return nil
            }
            if let odd = starts.first(where: { $0 % interval != 0 }) {
                sv.fail(
                    .badValue,
                    "the start \(TimeOfDay(seconds: odd)) is not on an interval of \(interval / 60) minutes")
                return nil
            }
            guard !starts.isEmpty else {
                sv.fail(.badValue, "give at least one start")
                return nil
            }
            template.starts = Array(Set(starts)).sorted()
        }
        for item in f["breaks"]?.list() ?? [] {
            guard
                let b = item.fields(
                    ["minutes", "after_hours", "before_hours"], required: ["minutes", "after_hours", "before_hours"]),
                let minutes = b["minutes"]?.positive(), let after = b["after_hours"]?.nonNegative(),
                let before = b["before_hours"]?.positive()
            else { return nil }
            let w = BreakWindow(
                length: Int((minutes * 60).rounded()), earliest: Int((after * 3600).rounded()),
                latest: Int((before * 3600).rounded()))
            guard w.length % interval == 0, w.earliest % interval == 0, w.latest % interval == 0 else {
                item.fail(.badValue, "a break window falls on whole intervals of \(interval / 60) minutes")
                return nil
            }
            guard w.earliest + w.length <= w.latest, w.latest <= length else {
                item.fail(
                    .badValue,
                    "a \(Int(minutes))-minute break does not fit between \(after) h and \(before) h of a \(hours)-hour shift"
                )
                return nil
            }
            template.breaks.append(w)
        }
        let ways = StaffPlanning(intervalMinutes: interval / 60, templates: [template]).patterns(limit: 6000).count
        if ways == 0 {
            v.fail(
                .badValue, "the breaks of template '\(name)' cannot all be placed in their windows without overlapping")
            return nil
        }
        if ways > 6000 {
            v.fail(
                .badValue,
                "template '\(name)' can be worked more than 6000 ways (starts × break places): narrow its starts or break windows"
            )
            return nil
        }
        return template
    }
}
