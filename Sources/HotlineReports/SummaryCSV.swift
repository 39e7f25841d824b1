internal import Foundation
internal import HotlineCore
package import HotlineSimulation

extension SummaryFormat {
    /// The CSV files of a run: `summary.csv` (figure, value, ci95), `intervals.csv` and `units.csv`.
    package static func csvFiles(_ s: SimulationSummary) -> [(name: String, text: String)] {
        let ci = s.ci95
        func f(_ x: Double) -> String { "\(x)" }
        var summary = ["figure,value,ci95"]
        let rows: [(String, Double, Double?)] = [
            ("offered", s.offered, ci?.offered), ("answered", s.answered, ci?.answered),
            ("abandoned", s.abandoned, ci?.abandoned),
            ("service_level", s.serviceLevel, ci?.serviceLevel), ("asa_s", s.asaS, ci?.asaS),
            ("mean_wait_s", s.meanWaitS, ci?.meanWaitS),
            ("abandon_rate", s.abandonRate, ci?.abandonRate), ("occupancy", s.occupancy, ci?.occupancy),
            ("events", s.events, ci?.events),
        ]
        for (name, value, half) in rows { summary.append("\(name),\(f(value)),\(half.map(f) ?? "")") }
        var intervals = ["start,offered,answered,abandoned,service_level,mean_wait_s,staffed,busy,occupancy"]
        for r in s.intervals {
            intervals.append(
                [
                    r.start, f(r.offered), f(r.answered), f(r.abandoned), f(r.serviceLevel), f(r.meanWaitS),
                    f(r.staffed), f(r.busy), f(r.occupancy),
                ]
                .joined(separator: ","))
        }
        var units = [
            "id,name_zh,name_en,tier,duty_lines,line_occupancy,conference_attempts,conference_line_busy,conference_no_answer,"
                + "conference_on_spot,conference_cannot_answer,dispatch_calls,dispatch_line_busy,notifications,"
                + "notification_line_busy,duty_line_calls,duty_line_unanswered,"
                + CaseFigures.columns.map(\.name).joined(separator: ",")
        ]
        for u in s.units {
            units.append(
                [
                    u.id, quoted(u.nameZh), quoted(u.nameEn), "\(u.tier)", "\(u.dutyLines)", f(u.lineOccupancy),
                    f(u.conferenceAttempts),
                    f(u.conferenceLineBusy), f(u.conferenceNoAnswer), f(u.conferenceOnSpot),
                    f(u.conferenceCannotAnswer),
                    f(u.dispatchCalls), f(u.dispatchLineBusy), f(u.notifications), f(u.notificationLineBusy),
                    f(u.dutyLineCalls), f(u.dutyLineUnanswered),
                ].joined(separator: ",") + ","
                    + CaseFigures.columns.map { f(u.cases[keyPath: $0.field]) }.joined(separator: ","))
        }
        return [
            ("summary.csv", summary.joined(separator: "\n") + "\n"),
            ("intervals.csv", intervals.joined(separator: "\n") + "\n"),
            ("units.csv", units.joined(separator: "\n") + "\n"),
        ]
    }

    static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
