internal import Foundation
package import HotlineCore

/// The report of a rehearsal as a self-contained HTML page (no scripts, opens from disk): the score,
/// the model handling step by step with what the trainee did and when, and every point lost with its
/// article. Art. 15: the trainee's summaries are not shown, only their length; the caller's number never.
package enum RehearsalReport {
    package static func html(_ s: RehearsalScore, _ scene: TrainingScenario, actions: [TraineeAction]) -> String {
        let e = SummaryFormat.escape
        let fraction = s.maxScore > 0 ? Double(s.score) / Double(s.maxScore) : 0
        let colour = fraction >= 0.9 ? "#2e7d32" : fraction >= 0.6 ? "#f9a825" : "#c62828"
        var steps = ""
        for (x, hit) in zip(scene.expected, RehearsalRubric.matches(scene, actions)) {
            let when = hit.map { time(actions[$0].at) } ?? "—"
            steps += """
                <tr class="\(hit == nil ? "miss" : "hit")"><td>\(hit == nil ? "✗" : "✓")</td><td>\(e(x.step.phrase))</td>\
                <td class="a">\(e(x.step.article.description))</td><td class="n">\(x.points)</td><td>\(when)</td>\
                <td>\(e(x.why?.en ?? ""))</td></tr>

                """
        }
        var findings = ""
        for f in s.findings {
            findings += """
                <tr><td class="n">\(f.points)</td><td>\(e(f.text))</td><td class="a">\(e(f.article.description))</td>\
                <td>\(e(f.step))</td></tr>

                """
        }
        var timeline = ""
        for a in actions {
            var said: [String] = []
            for key in ["category", "unit"] { if let v = a.fields[key] { said.append("\(key) \(e(v))") } }
            if let summary = a.fields["summary"] { said.append("summary of \(summary.count) characters") }
            timeline +=
                "<tr><td>\(time(a.at))</td><td>\(e(a.step.phrase))</td><td>\(said.joined(separator: ", "))</td></tr>\n"
        }
        let width = 600.0
        let bar = width * fraction
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Rehearsal: \(e(scene.title.en))</title>
            <style>
            body { font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
            h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
            table { border-collapse: collapse; width: 100%; } td, th { padding: .3em .6em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; } td.a { white-space: nowrap; }
            tr.miss td { color: #c62828; } tr.hit td:first-child { color: #2e7d32; }
            .score { font-size: 2em; font-weight: bold; color: \(colour); }
            </style></head><body>
            <h1>\(e(scene.title.zh)) / \(e(scene.title.en))</h1>
            <p>Scenario <code>\(e(scene.name))</code> · caller: \(e(scene.caller.persona.en)) (\(e(scene.caller.mood.rawValue)))</p>
            <p class="score">\(s.score) / \(s.maxScore)</p>
            <svg width="\(Int(width))" height="18" role="img" aria-label="score \(s.score) of \(s.maxScore)">
            <rect width="\(Int(width))" height="18" fill="#eee"/><rect width="\(Int(bar))" height="18" fill="\(colour)"/></svg>
            <h2>The handling the regulation asks for</h2>
            <table><tr><th></th><th>step</th><th>article</th><th>points</th><th>taken at</th><th>why</th></tr>
            \(steps)</table>
            <h2>Points lost</h2>
            \(findings.isEmpty ? "<p>None: full marks.</p>" : "<table><tr><th>points</th><th>finding</th><th>article</th><th>step</th></tr>\n\(findings)</table>")
            <h2>What the trainee did</h2>
            \(timeline.isEmpty ? "<p>Nothing.</p>" : "<table><tr><th>at</th><th>step</th><th>details</th></tr>\n\(timeline)</table>")
            </body></html>

            """
    }

    /// Seconds of the call as `m:ss`, days of the aftermath as `day N`.
    package static func time(_ seconds: Double) -> String {
        if seconds >= 86_400 { return "day \(Int(seconds / 86_400))" }
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
