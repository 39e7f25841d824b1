internal import Foundation
package import HotlineSimulation

extension SummaryFormat {
    /// A self-contained HTML report: the headline figures and the day as pictures (inline SVG, no
    /// scripts, opens from disk).
    package static func html(_ s: SimulationSummary) -> String {
        let t = s.targets
        let rows: [(String, String)] = [
            ("offered calls", whole(s.offered)), ("answered", whole(s.answered)), ("abandoned", whole(s.abandoned)),
            (
                "service level (≤ \(whole(t.thresholdS)) s)",
                percent(s.serviceLevel) + " (target \(percent(t.serviceLevelTarget)))"
            ),
            ("connection rate", percent(t.connectionRate) + " (target \(percent(t.connectionRateTarget)))"),
            ("ASA (answered)", seconds(s.asaS)), ("mean wait (all)", seconds(s.meanWaitS)),
            ("abandon rate", percent(s.abandonRate)), ("occupancy", percent(s.occupancy)),
        ]
        let perDay = s.days == 1 ? "" : " (mean of \(s.days) days)"
        var body = """
            <h1>\(escape(s.model)): \(s.days) day\(s.days == 1 ? "" : "s") from \(s.start)</h1>
            <p class="sub">seed \(s.seed), \(s.replications) replication\(s.replications == 1 ? "" : "s"); calls counted by the half-hour they arrived in\(perDay)</p>
            <table class="figures">\(rows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined())</table>

            """
        body += "<h2>Offered and answered calls per half-hour\(perDay)</h2>\n"
        body += barChart(
            s.intervals.map { ($0.start, [$0.offered, $0.answered]) }, series: ["offered", "answered"],
            colours: ["#9bb7d4", "#1f5f99"])
        body += "<h2>Service level per half-hour against the target</h2>\n"
        body += lineChart(
            s.intervals.map { ($0.start, $0.offered > 0 ? [$0.serviceLevel * 100] : [nil]) },
            series: ["service level %"],
            colours: ["#1f5f99"], maximum: 100,
            reference: (t.serviceLevelTarget * 100, "target \(percent(t.serviceLevelTarget))"))
        body += "<h2>Operators staffed and busy per half-hour</h2>\n"
        body += lineChart(
            s.intervals.map { ($0.start, [$0.staffed, $0.busy]) }, series: ["staffed", "busy"],
            colours: ["#7a9a3a", "#c0504d"],
            maximum: nil, reference: nil)
        let busiest = s.units.filter { $0.lineOccupancy > 0 }.sorted { $0.lineOccupancy > $1.lineOccupancy }.prefix(12)
        if !busiest.isEmpty {
            body += "<h2>Duty-line occupancy of the busiest units</h2>\n"
            body += horizontalBars(
                busiest.map {
                    (
                        "\($0.nameZh) \($0.id)", $0.lineOccupancy * 100,
                        "\(percent($0.lineOccupancy)) of \($0.dutyLines) line\($0.dutyLines == 1 ? "" : "s")"
                    )
                })
        }
        return page(title: "\(s.model) simulation", body: body)
    }

    /// A self-contained page around `body`: the report's style, no scripts.
    static func page(title: String, body: String) -> String {
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body { font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 980px; color: #222; }
            h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.1em; margin-top: 1.8em; }
            .sub { color: #666; margin-top: 0; }
            table.figures { border-collapse: collapse; } table.figures th { text-align: left; font-weight: normal; padding: 2px 24px 2px 0; color: #444; }
            table.figures td { text-align: right; font-variant-numeric: tabular-nums; }
            svg text { font-size: 11px; fill: #444; } .legend { font-size: 12px; }
            table.data { border-collapse: collapse; font-size: 13px; } table.data th, table.data td { padding: 2px 10px; border-bottom: 1px solid #ddd; }
            table.data td { text-align: right; font-variant-numeric: tabular-nums; } table.data td.l { text-align: left; } .short { color: #b00; font-weight: bold; }
            </style></head><body>
            \(body)
            </body></html>

            """
    }

    package static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let width = 960.0
    static let height = 240.0
    static let left = 48.0
    static let bottom = 28.0

    /// A round upper bound for an axis.
    static func niceMaximum(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        // Maxima whose quarters are round numbers too (the axes have four ticks).
        let magnitude = pow(10, (log10(x)).rounded(.down))
        for step in [1.0, 1.2, 1.6, 2, 2.4, 3.2, 4, 6, 8, 10] where step * magnitude >= x { return step * magnitude }
        return 10 * magnitude
    }

    static func axes(maximum: Double, labels: [String]) -> String {
        var svg = ""
        let plotH = height - bottom - 10
        for k in 0...4 {
            let v = maximum * Double(k) / 4
            let y = height - bottom - plotH * Double(k) / 4
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 8)\" y2=\"\(y)\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(format(v))</text>"
        }
        let step = (width - left - 8) / Double(labels.count)
        for (i, label) in labels.enumerated() where i % 4 == 0 {
            svg += "<text x=\"\(left + step * Double(i))\" y=\"\(height - 10)\">\(escape(label))</text>"
        }
        return svg
    }

    static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }

    static func legend(_ series: [String], _ colours: [String]) -> String {
        var x = left
        var svg = ""
        for (name, colour) in zip(series, colours) {
            svg +=
                "<rect x=\"\(x)\" y=\"2\" width=\"10\" height=\"10\" fill=\"\(colour)\"/><text class=\"legend\" x=\"\(x + 14)\" y=\"11\">\(escape(name))</text>"
            x += 20 + Double(name.count) * 7
        }
        return svg
    }

    static func barChart(_ points: [(String, [Double])], series: [String], colours: [String]) -> String {
        let maximum = niceMaximum(points.flatMap(\.1).max() ?? 0)
        let plotH = height - bottom - 10
        let step = (width - left - 8) / Double(max(1, points.count))
        let barW = step / Double(series.count + 1)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height + 16)\" viewBox=\"0 -16 \(width) \(height + 16)\">"
        svg += "<g transform=\"translate(0,-16)\">" + legend(series, colours) + "</g>"
        svg += axes(maximum: maximum, labels: points.map(\.0))
        for (i, point) in points.enumerated() {
            for (k, v) in point.1.enumerated() {
                let h = plotH * v / maximum
                svg +=
                    "<rect x=\(q(left + step * Double(i) + barW * Double(k))) y=\(q(height - bottom - h)) width=\(q(barW)) height=\(q(h)) fill=\"\(colours[k])\"><title>\(escape(point.0)) \(series[k]): \(format(v))</title></rect>"
            }
        }
        return svg + "</svg>\n"
    }

    static func lineChart(
        _ points: [(String, [Double?])], series: [String], colours: [String], maximum fixed: Double?,
        reference: (Double, String)?
    ) -> String {
        let maximum = fixed ?? niceMaximum(points.flatMap { $0.1.compactMap { $0 } }.max() ?? 0)
        let plotH = height - bottom - 10
        let step = (width - left - 8) / Double(max(1, points.count))
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height + 16)\" viewBox=\"0 -16 \(width) \(height + 16)\">"
        svg += "<g transform=\"translate(0,-16)\">" + legend(series, colours) + "</g>"
        svg += axes(maximum: maximum, labels: points.map(\.0))
        if let (value, label) = reference {
            let y = height - bottom - plotH * value / maximum
            svg +=
                "<line x1=\"\(left)\" y1=\(q(y)) x2=\"\(width - 8)\" y2=\(q(y)) stroke=\"#e08a00\" stroke-dasharray=\"6 4\" stroke-width=\"1.5\"/>"
            svg +=
                "<text x=\"\(width - 10)\" y=\(q(y - 4)) text-anchor=\"end\" style=\"fill:#e08a00\">\(escape(label))</text>"
        }
        for k in series.indices {
            var path = ""
            var pen = false
            for (i, point) in points.enumerated() {
                guard let v = point.1[k] else {
                    pen = false
                    continue
                }
                let x = left + step * (Double(i) + 0.5)
                let y = height - bottom - plotH * min(v, maximum) / maximum
                path += (pen ? "L" : "M") + "\(format2(x)),\(format2(y)) "
                pen = true
                svg +=
                    "<circle cx=\(q(x)) cy=\(q(y)) r=\"2.2\" fill=\"\(colours[k])\"><title>\(escape(point.0)) \(series[k]): \(format(v))</title></circle>"
            }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colours[k])\" stroke-width=\"2\"/>"
        }
        return svg + "</svg>\n"
    }

    static func horizontalBars(_ rows: [(String, Double, String)]) -> String {
        let rowH = 22.0
        let labelW = 300.0
        let h = rowH * Double(rows.count) + 8
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(h)\" viewBox=\"0 0 \(width) \(h)\">"
        let barMax = width - labelW - 160
        // Scaled to the busiest unit, so that low occupancies stay visible; the labels give the values.
        let scale = niceMaximum(rows.map(\.1).max() ?? 1)
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowH + 4
            let w = barMax * min(scale, row.1) / scale
            svg += "<text x=\"\(labelW - 8)\" y=\(q(y + 14)) text-anchor=\"end\">\(escape(row.0))</text>"
            svg += "<rect x=\"\(labelW)\" y=\(q(y + 3)) width=\(q(w)) height=\"14\" fill=\"#1f5f99\"/>"
            svg += "<text x=\(q(labelW + w + 6)) y=\(q(y + 14))>\(escape(row.2))</text>"
        }
        return svg + "</svg>\n"
    }

    static func q(_ x: Double) -> String { "\"\(format2(x))\"" }
    static func format2(_ x: Double) -> String { String(format: "%.1f", x) }
}
