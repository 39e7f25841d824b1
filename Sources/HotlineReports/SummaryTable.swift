internal import Foundation
internal import HotlineCore
package import HotlineSimulation

extension SummaryFormat {
    /// The readable summary `hotline simulate` prints by default.
    package static func table(_ s: SimulationSummary) -> String {
        var out: [String] = []
        let runs = "\(s.replications) replication\(s.replications == 1 ? "" : "s")"
        out.append("\(s.model): \(s.days) day\(s.days == 1 ? "" : "s") from \(s.start), seed \(s.seed), \(runs)")
        out.append("")
        let ci = s.ci95
        func row(_ label: String, _ value: String, _ half: String?, _ target: String = "") -> String {
            label.padded(24) + value.leftPadded(10) + (half.map { "  ± " + $0 } ?? "").padded(14) + target
        }
        out.append(row("offered calls", whole(s.offered), ci.map { whole($0.offered) }))
        out.append(row("answered", whole(s.answered), ci.map { whole($0.answered) }))
        out.append(row("abandoned", whole(s.abandoned), ci.map { whole($0.abandoned) }))
        let t = s.targets
        out.append(
            row(
                "service level (≤ \(whole(t.thresholdS)) s)", percent(s.serviceLevel),
                ci.map { percent($0.serviceLevel) },
                "target \(percent(t.serviceLevelTarget)): " + (t.serviceLevelMet ? "met" : "MISSED")))
        out.append(
            row(
                "connection rate", percent(t.connectionRate), nil,
                "target \(percent(t.connectionRateTarget)): " + (t.connectionRateMet ? "met" : "MISSED")))
        out.append(row("ASA (answered)", seconds(s.asaS), ci.map { seconds($0.asaS) }))
        out.append(row("mean wait (all)", seconds(s.meanWaitS), ci.map { seconds($0.meanWaitS) }))
        out.append(row("abandon rate", percent(s.abandonRate), ci.map { percent($0.abandonRate) }))
        out.append(row("occupancy", percent(s.occupancy), ci.map { percent($0.occupancy) }))

        let order = [
            "direct", "three_party_settled", "phone_dispatch", "work_order", "referral", "escalation", "government",
        ]
        let names = [
            "direct": "answered directly", "three_party_settled": "settled in a three-party call",
            "phone_dispatch": "phone dispatch", "work_order": "work order", "referral": "referred",
            "escalation": "escalated", "government": "Art. 8 (no clear owner)",
        ]
        let handled = list(
            order.compactMap { key in
                s.dispositions[key].flatMap { $0 > 0 ? "\(names[key]!) \(whole($0))" : nil }
            })
        if !handled.isEmpty {
            out.append("")
            out += wrap("calls", handled)
        }
        let c = s.cases
        if c.opened > 0 {
            let n = caseCounts(c)
            let f = c.figures
            out += wrap(
                "cases",
                [
                    "opened \(whole(n.opened)):",
                    "registered \(whole(n.registered)) (phone \(whole(n.phone)), written \(whole(n.written))),",
                    "escalated \(whole(n.escalated)),", "referred \(whole(n.referred)),",
                    "Art. 8 to the government \(whole(n.government));",
                    "closed \(whole(n.closed)), open at the end \(whole(n.openAtEnd));",
                    "replied on time \(whole(f.repliedOnTime)) of \(whole(f.replied)), overdue \(whole(f.overdue)),",
                    "extended \(whole(f.extended)), returned \(whole(f.returned));",
                    "supervised \(whole(f.supervised)), accountability \(whole(f.accountability));",
                    "satisfaction \(percent(f.satisfactionRate)) of \(whole(f.callbacks)) verdicts;",
                    "reply in \(String(format: "%.1f", f.replyWorkingDaysMean)) working days on average",
                    "(90 % within \(String(format: "%.1f", f.replyWorkingDaysP90)));",
                    "\(whole(c.carriedIn)) carried in from the weeks before the start",
                ])
        }
        let o = s.outbound
        if o.satisfactionCallbacks + o.missedCallCallbacks + o.callbackOffersTaken + o.retrials > 0 {
            out += wrap(
                "outbound",
                [
                    "satisfaction surveys answered \(whole(o.satisfactionCallbacks)),",
                    "missed calls called back \(whole(o.missedCallCallbacks)),",
                    "call-back offers taken \(whole(o.callbackOffersTaken)),",
                    "callers who called again \(whole(o.retrials))",
                ])
        }
        let busiest = s.units.filter { $0.lineOccupancy > 0 }.sorted { $0.lineOccupancy > $1.lineOccupancy }.prefix(5)
        if !busiest.isEmpty {
            out += wrap("busiest duty lines", list(busiest.map { "\($0.id) \(percent($0.lineOccupancy))" }))
        }
        let worst = s.intervals.filter { $0.offered >= 1 }.sorted { $0.serviceLevel < $1.serviceLevel }.prefix(3)
        if !worst.isEmpty && s.intervals.contains(where: { $0.offered > 0 && $0.offered != s.intervals[0].offered }) {
            out += wrap(
                "worst half-hours",
                list(worst.map { "\($0.start) (\(percent($0.serviceLevel)) in \(whole(t.thresholdS)) s)" }))
        }
        out.append("")
        out.append("\(whole(s.events)) events in \(String(format: s.wallS < 0.1 ? "%.3f" : "%.2f", s.wallS)) s")
        return out.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    /// The case counts of the table, whole numbers that add up as the line says: opened = registered +
    /// escalated + referred + Art. 8, registered = phone + written, open at the end = opened − closed.
    ///
    /// One replication's counts are whole already. Means over replications are rounded so that the
    /// parts still add up to the rounded whole (largest remainders), each within 1 of its mean.
    static func caseCounts(_ c: SimulationSummary.Cases) -> (
        opened: Double, registered: Double, phone: Double, written: Double, escalated: Double, referred: Double,
        government: Double, closed: Double, openAtEnd: Double
    ) {
        let f = c.figures
        let opened = f.registered.rounded()
        let parts = wholeParts(
            [f.phoneDispatch + f.workOrder, f.escalation, f.referred, f.government], summingTo: opened)
        let channels = wholeParts([f.phoneDispatch, f.workOrder], summingTo: parts[0])
        let closed = min((f.closed + f.referred).rounded(), opened)
        return (opened, parts[0], channels[0], channels[1], parts[1], parts[2], parts[3], closed, opened - closed)
    }
    /// Rounds non-negative `values` to whole numbers that sum to `total` (the largest remainders
    /// round up), or rounds each when they cannot.
    static func wholeParts(_ values: [Double], summingTo total: Double) -> [Double] {
        var parts = values.map { $0.rounded(.down) }
        var missing = Int(total - parts.reduce(0, +))
        guard missing >= 0, missing <= values.count else { return values.map { $0.rounded() } }
        let byRemainder = values.indices.sorted { a, b in
            let (ra, rb) = (values[a] - parts[a], values[b] - parts[b])
            return ra != rb ? ra > rb : a < b
        }
        for i in byRemainder where missing > 0 {
            parts[i] += 1
            missing -= 1
        }
        return parts
    }

    /// Items with a comma after all but the last.
    static func list(_ items: [String]) -> [String] {
        items.enumerated().map { $0.offset < items.count - 1 ? $0.element + "," : $0.element }
    }

    static func wrap(_ label: String, _ items: [String]) -> [String] {
        var lines: [String] = []
        var line = ""
        for item in items {
            if !line.isEmpty && line.count + item.count + 1 > 76 {
                lines.append(line)
                line = item
            } else {
                line += (line.isEmpty ? "" : " ") + item
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.enumerated().map { ($0.offset == 0 ? label : "").padded(20) + $0.element }
    }

    static func whole(_ x: Double) -> String { NumberText.whole(x) }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
    static func seconds(_ x: Double) -> String { String(format: "%.1f s", x) }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
