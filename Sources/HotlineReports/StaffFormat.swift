internal import Foundation
internal import HotlineCore
package import HotlineStaffing

/// Renders staffing plans: the terminal table, JSON, CSV files, the HTML report and the shift table
/// in the model's format.
package enum StaffFormat {
    /// One plan as JSON (snake_case keys), or several as `{ "plans": [...] }`.
    /// With several plans, the first (working days) is at the top level too, so that the document
    /// has the keys of one plan whatever `--day-type` was.
    package static func json(_ plans: [StaffPlan]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard plans.count > 1 else { return String(decoding: try encoder.encode(plans[0]), as: UTF8.self) }
        var top = try JSONSerialization.jsonObject(with: try encoder.encode(plans[0])) as? [String: Any] ?? [:]
        top["plans"] = try JSONSerialization.jsonObject(with: try encoder.encode(plans))
        let data = try JSONSerialization.data(
            withJSONObject: top, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
    static func hours(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }

    /// The plan as a terminal table.
    package static func table(_ p: StaffPlan) -> String {
        var out: [String] = []
        let t = p.target
        let v = p.verification
        let calls = NumberText.whole(p.designCalls)
        out.append(
            "\(p.model): \(p.dayType)-day plan by \(p.method.rawValue), sized for \(p.designDate) (the busiest of \(p.datesOfType) \(p.dayType) days, \(calls) call\(calls == "1" ? "" : "s"))"
        )
        out.append(
            "target \(percent(t.serviceLevel)) answered within \(hours(t.thresholdS)) s in every \(p.intervalMinutes)-minute interval"
        )
        out.append(
            "verified by simulation: \(v.replications) × \(v.daysPerReplication) days after \(v.warmUpDays) warm-up (seed \(v.seed)), \(NumberText.whole(Double(v.callsSimulated))) calls: service level \(percent(v.serviceLevel)), abandonment \(percent(v.abandonRate)), \(v.intervalsUnderTarget) interval\(v.intervalsUnderTarget == 1 ? "" : "s") below target"
        )
        if p.requirementSource != p.method.rawValue && p.requirementSource != "iterative staffing" {
            out.append("the shifts cover the \(p.requirementSource) (cheaper than the iterative staffing's cover)")
        }
        out.append("")
        out.append(" start  offered  erlangs  required  scheduled   service  abandon  occupancy")
        for r in p.intervals {
            out.append(
                String(
                    format: " %@  %7.1f  %7.1f  %8d  %9d  %7.1f %%  %5.1f %%  %7.0f %%%@", r.start, r.offered,
                    r.offeredErlangs, r.required, r.scheduled, r.serviceLevel * 100, r.abandonRate * 100,
                    r.occupancy * 100, r.meetsTarget ? "" : "  below target"))
        }
        out.append("")
        let s = p.solver
        out.append(
            "operator-hours \(hours(p.operatorHours)) (shift search: \(s.optimal ? "proved optimal" : "stopped at its time limit, gap \(percent(s.gap))"), \(s.patterns) patterns, \(s.nodes) nodes, \(String(format: "%.2f", s.wallS)) s)"
        )
        out.append(
            "seats \(p.seats) a day; headcount \(p.headcount) with \(percent(p.shrinkage)) shrinkage"
                + (p.rota.map { " (rota: \($0.seatCount) seats over the week)" } ?? ""))
        let c = p.erlangCPlan
        out.append(
            "per-interval Erlang C plan: \(hours(c.operatorHours)) operator-hours, \(c.intervalsUnderTarget) interval\(c.intervalsUnderTarget == 1 ? "" : "s") below target in the same simulation (service level \(percent(c.serviceLevel)))"
        )
        if let iterations = p.iterations {
            let last = iterations.last
            out.append(
                "iterative staffing: \(iterations.count) round\(iterations.count == 1 ? "" : "s"), \(p.converged == true ? "converged" : "not converged"); last round \(hours(last?.operatorHours ?? 0)) operator-hours of interval staff, \(last?.intervalsUnderTarget ?? 0) below target"
            )
        }
        if v.corrections > 0 {
            out.append("verification raised short intervals \(v.corrections) time\(v.corrections == 1 ? "" : "s")")
        }
        if let g = p.surge {
            out.append(
                "surge: the working roster (\(hours(g.workingHours)) h) plus \(hours(g.overtimeHours)) h overtime (cost \(hours(g.overtimeCost)) h at the premium);"
            )
            out.append(
                "       the working roster alone with call-back offers: service level \(percent(g.workingRosterServiceLevel)), abandonment \(percent(g.workingRosterAbandonRate)), \(g.workingRosterIntervalsUnderTarget) intervals below target, \(NumberText.whole(g.callbacksTaken)) call-backs taken a day"
            )
        }
        out.append("")
        out.append("shifts:")
        out.append("  count  start  hours  breaks          name")
        for r in p.shifts {
            let breaks = r.breaks.map { "\($0.start)+\($0.minutes)m" }.joined(separator: " ")
            out.append(
                "  \(pad(String(r.count), 5))  \(r.start)  \(pad(hours(r.hours), 5))  \(breaks.padding(toLength: 14, withPad: " ", startingAt: 0))  \(r.name)\(r.overtime ? " (overtime)" : "")"
            )
        }
        let changed = p.dutyLines.filter { $0.lines != $0.current }
        if !p.dutyLines.isEmpty {
            out.append("")
            out.append(
                "duty lines (Art. 6), for blocking at most \(percent(p.dutyLines.map(\.blocking).max() ?? 0)) in the busiest interval: \(p.dutyLines.count) units, \(changed.count) to change"
            )
        }
        for d in changed.prefix(30) {
            out.append(
                "  \(d.unit) \(d.name): \(d.current) → \(d.lines) lines (\(String(format: "%.2f", d.offeredErlangs)) erlangs, Erlang B \(percent(d.blocking)), simulated \(percent(d.simulatedBlocking)))"
            )
        }
        if let week = p.weekRota {
            out.append(
                "week rota (this plan Monday to Friday, the weekend plan Saturday and Sunday): \(week.seatCount) seats, headcount \(week.headcount)"
            )
        }
        for w in p.warnings { out.append("warning: \(w)") }
        return out.joined(separator: "\n")
    }

    static func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

    /// CSV files: intervals, shifts, duty lines, the rota and the rounds.
    package static func csvFiles(_ plans: [StaffPlan]) -> [(name: String, text: String)] {
        var files: [(String, String)] = []
        for p in plans {
            let prefix = plans.count == 1 ? "" : p.dayType + "-"
            var s =
                "start,offered,offered_erlangs,required,scheduled,service_level,abandon_rate,occupancy,meets_target\n"
            for r in p.intervals {
                s +=
                    "\(r.start),\(r.offered),\(r.offeredErlangs),\(r.required),\(r.scheduled),\(r.serviceLevel),\(r.abandonRate),\(r.occupancy),\(r.meetsTarget)\n"
            }
            files.append((prefix + "intervals.csv", s))
            s = "name,start,hours,breaks,count,overtime\n"
            for r in p.shifts {
                s +=
                    "\(r.name),\(r.start),\(r.hours),\(r.breaks.map { "\($0.start)+\($0.minutes)" }.joined(separator: " ")),\(r.count),\(r.overtime)\n"
            }
            files.append((prefix + "shifts.csv", s))
            s = "unit,name,current,lines,blocking,offered_erlangs,simulated_blocking\n"
            for d in p.dutyLines {
                s +=
                    "\(d.unit),\(SummaryFormat.quoted(d.name)),\(d.current),\(d.lines),\(d.blocking),\(d.offeredErlangs),\(d.simulatedBlocking)\n"
            }
            files.append((prefix + "duty_lines.csv", s))
            if let rota = p.rota { files.append((prefix + "rota.csv", rotaCSV(rota))) }
            if let rota = p.weekRota { files.append(("week-rota.csv", rotaCSV(rota))) }
            if let iterations = p.iterations {
                s = "iteration,operator_hours,intervals_under_target,raised,lowered\n"
                for i in iterations {
                    s += "\(i.iteration),\(i.operatorHours),\(i.intervalsUnderTarget),\(i.raised),\(i.lowered)\n"
                }
                files.append((prefix + "iterations.csv", s))
            }
        }
        return files
    }

    /// A rota as CSV: a seat a row, its shift each day.
    static func rotaCSV(_ rota: Rota) -> String {
        var s = "seat," + Weekday.allCases.map(\.key).joined(separator: ",") + ",hours\n"
        for seat in rota.seats {
            s +=
                seat.seat + "," + Weekday.allCases.map { seat.days[$0.key] ?? "" }.joined(separator: ",")
                + ",\(seat.hours)\n"
        }
        return s
    }

    /// A rota as an HTML table under its heading.
    static func rotaHTML(_ rota: Rota, title: String) -> String {
        var body =
            "<h2>\(title) (\(rota.seatCount) seats, headcount \(rota.headcount))</h2>\n<table class=\"data\"><tr><th>seat</th>"
        body += Weekday.allCases.map { "<th>\($0.key)</th>" }.joined() + "<th>hours</th></tr>"
        for seat in rota.seats {
            body += "<tr><td class=\"l\">\(seat.seat)</td>"
            body += Weekday.allCases.map { "<td class=\"l\">\(SummaryFormat.escape(seat.days[$0.key] ?? "–"))</td>" }
                .joined()
            body += "<td>\(hours(seat.hours))</td></tr>"
        }
        return body + "</table>\n"
    }

    /// The shift table in the model's format (`operators: shifts:`), to include from a model file.
    /// One plan's shifts work every day; several plans' shifts each work on their type of day, and a
    /// shift that runs past midnight is written as two parts (to midnight, and from midnight), each
    /// on its plan's type of day: each plan covered its own early hours, whatever the day before.
    package static func shiftsYAML(_ plans: [StaffPlan], model: String) -> String {
        var out = "# Shift table planned by `hotline staff` for \(oneLine(model))"
        if let p = plans.first {
            out +=
                ": \(percent(p.target.serviceLevel)) of calls answered within \(hours(p.target.thresholdS)) s in every \(p.intervalMinutes)-minute interval, method \(p.method.rawValue)."
        }
        out += "\n# Each plan is sized for the busiest date of its type and was verified by simulation.\n"
        for p in plans {
            out +=
                "#   \(p.dayType): \(hours(p.operatorHours)) operator-hours, sized for \(p.designDate); \(p.verification.intervalsUnderTarget) intervals below target in verification\n"
        }
        if plans.count > 1 && plans.contains(where: { $0.shifts.contains(where: crossesMidnight) }) {
            out += "# A shift past midnight is written in two parts, each on its plan's type of day.\n"
        }
        out += "operators:\n  shifts:\n"
        // Entries that work alike (two night shifts split at midnight whose other parts differ) are
        // one entry with the counts added: the model refuses two identical shifts.
        var entries: [(key: String, name: String, start: String, hours: String, count: Int, rest: String)] = []
        func add(name: String, start: String, hours: String, count: Int, rest: String) {
            let key = [start, hours, rest].joined(separator: "|")
            if let k = entries.firstIndex(where: { $0.key == key }) {
                entries[k].count += count
            } else {
                entries.append((key, name, start, hours, count, rest))
            }
        }
        for p in plans {
            for r in p.shifts where plans.count == 1 || !(p.dayType == "surge" && !r.overtime) {
                let name = plans.count == 1 ? r.name : "\(p.dayType)-\(r.name)"
                let on = plans.count > 1 ? ", on: [\(p.dayType)]" : ""
                let start = seconds(r.start)
                let length = Int((r.hours * 3600).rounded())
                let breaks = r.breaks.map {
                    (offset: (seconds($0.start) - start + 86_400) % 86_400, minutes: $0.minutes)
                }
                var parts = [(name: name, from: 0, to: length)]
                if plans.count > 1 && start + length > 86_400 {
                    parts = [
                        (name + "-to-midnight", 0, 86_400 - start), (name + "-from-midnight", 86_400 - start, length),
                    ]
                }
                for part in parts {
                    var rest = on
                    let inside = breaks.filter { $0.offset >= part.from && $0.offset < part.to }
                    if !inside.isEmpty {
                        rest +=
                            ", breaks: ["
                            + inside.map { "{ start: \"\(clock(start + $0.offset))\", minutes: \($0.minutes) }" }
                            .joined(separator: ", ") + "]"
                    }
                    add(
                        name: part.name, start: clock(start + part.from),
                        hours: hours(Double(part.to - part.from) / 3600), count: r.count, rest: rest)
                }
            }
        }
        for e in entries {
            out +=
                "    - { name: \(quoted(e.name)), start: \"\(e.start)\", hours: \(e.hours), count: \(e.count)\(e.rest) }\n"
        }
        return out
    }

    static func crossesMidnight(_ r: StaffPlan.ShiftRow) -> Bool {
        seconds(r.start) + Int((r.hours * 3600).rounded()) > 86_400
    }

    /// Seconds after midnight of an `HH:MM` time.
    static func seconds(_ clock: String) -> Int { TimeOfDay(parsing: clock)?.seconds ?? 0 }

    /// `HH:MM` of seconds after midnight (of any day).
    static func clock(_ seconds: Int) -> String { TimeOfDay(seconds: seconds % 86_400).description }

    /// A YAML double-quoted scalar: safe whatever the name holds.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\x" + String(u.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Text for a one-line comment: line breaks and control characters become spaces.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// The HTML report: demand, required and scheduled operators, and the simulated service level
    /// through the day, as inline SVG.
    package static func html(_ plans: [StaffPlan]) -> String {
        var body = ""
        for p in plans {
            let esc = SummaryFormat.escape
            body += "<h1>\(esc(p.model)): \(esc(p.dayType))-day staffing plan</h1>\n"
            body +=
                "<p class=\"sub\">method \(p.method.rawValue); sized for \(p.designDate), \(NumberText.whole(p.designCalls)) calls; target \(percent(p.target.serviceLevel)) within \(hours(p.target.thresholdS)) s per \(p.intervalMinutes)-minute interval; verified over \(p.verification.replications) × \(p.verification.daysPerReplication) simulated days</p>\n"
            let rows: [(String, String)] = [
                ("operator-hours", hours(p.operatorHours)),
                ("shift search", p.solver.optimal ? "proved optimal" : "time limit, gap \(percent(p.solver.gap))"),
                ("seats / headcount", "\(p.seats) / \(p.headcount) (shrinkage \(percent(p.shrinkage)))"),
                ("simulated service level", percent(p.verification.serviceLevel)),
                ("intervals below target", String(p.verification.intervalsUnderTarget)),
                (
                    "per-interval Erlang C plan",
                    "\(hours(p.erlangCPlan.operatorHours)) h, \(p.erlangCPlan.intervalsUnderTarget) intervals below target"
                ),
            ]
            body +=
                "<table class=\"figures\">"
                + rows.map { "<tr><th>\(esc($0.0))</th><td>\(esc($0.1))</td></tr>" }.joined() + "</table>\n"
            body += "<h2>Offered load per interval (erlangs)</h2>\n"
            body += SummaryFormat.barChart(
                p.intervals.map { ($0.start, [$0.offeredErlangs]) }, series: ["offered erlangs"], colours: ["#9bb7d4"])
            body += "<h2>Operators required and scheduled</h2>\n"
            body += SummaryFormat.lineChart(
                p.intervals.map { ($0.start, [Double($0.required), Double($0.scheduled)]) },
                series: ["required", "scheduled"], colours: ["#c0504d", "#1f5f99"], maximum: nil, reference: nil)
            body += "<h2>Simulated service level against the target</h2>\n"
            body += SummaryFormat.lineChart(
                p.intervals.map { ($0.start, [$0.serviceLevel * 100]) }, series: ["service level %"],
                colours: ["#1f5f99"], maximum: 100,
                reference: (p.target.serviceLevel * 100, "target \(percent(p.target.serviceLevel))"))
            body +=
                "<h2>Shifts</h2>\n<table class=\"data\"><tr><th>count</th><th>start</th><th>hours</th><th>breaks</th><th>name</th></tr>"
            for r in p.shifts {
                body +=
                    "<tr><td>\(r.count)</td><td>\(r.start)</td><td>\(hours(r.hours))</td><td class=\"l\">\(r.breaks.map { "\($0.start) \($0.minutes) min" }.joined(separator: ", "))</td><td class=\"l\">\(esc(r.name))\(r.overtime ? " (overtime)" : "")</td></tr>"
            }
            body += "</table>\n"
            body +=
                "<h2>Intervals</h2>\n<table class=\"data\"><tr><th>start</th><th>offered</th><th>required</th><th>scheduled</th><th>service level</th><th>abandoned</th></tr>"
            for r in p.intervals {
                body +=
                    "<tr><td>\(r.start)</td><td>\(String(format: "%.1f", r.offered))</td><td>\(r.required)</td><td>\(r.scheduled)</td><td\(r.meetsTarget ? "" : " class=\"short\"")>\(percent(r.serviceLevel))</td><td>\(percent(r.abandonRate))</td></tr>"
            }
            body += "</table>\n"
            if let rota = p.rota { body += rotaHTML(rota, title: "Rota of the \(p.dayType) days of a week") }
            if let rota = p.weekRota {
                body += rotaHTML(rota, title: "The whole week's rota: working days and weekend")
            }
        }
        return SummaryFormat.page(title: "staffing plan", body: body)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
