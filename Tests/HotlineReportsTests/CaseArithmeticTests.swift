import Foundation
import HotlineCore
import HotlineModel
import HotlineSimulation
import Testing

@testable import HotlineReports

/// The case counts add up: opened = registered + escalated + referred + Art. 8, registered = phone +
/// written, open at the end = opened − closed; in the tallies, the summary and the table's line.
struct CaseArithmeticTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A week of the bundled Mudanjiang model, one replication (whole counts).
    static let week = Task {
        let model = try! ModelLoader.load(path: root.appendingPathComponent("Scenarios/mudanjiang").path).model
        return await Simulation(
            model: model,
            options: SimulationOptions(days: 7, seed: 3, replications: 1, start: CivilDate(parsing: "2026-03-02"))
        ).run()
    }

    /// The numbers of the table's `cases` line, by name.
    static func caseLine(of table: String) throws -> [String: Int] {
        // The line wraps: its continuation lines start with spaces.
        var lines: [Substring] = []
        for line in table.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("cases ") {
                lines = [line.dropFirst(5)]
            } else if !lines.isEmpty && line.hasPrefix(" ") {
                lines.append(line)
            } else if !lines.isEmpty {
                break
            }
        }
        let text = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let pattern =
            #/opened ([\d,]+): registered ([\d,]+) \(phone ([\d,]+), written ([\d,]+)\), escalated ([\d,]+), referred ([\d,]+), Art\. 8 to the government ([\d,]+); closed ([\d,]+), open at the end ([\d,]+);/#
        let m = try #require(text.firstMatch(of: pattern), "\(text)")
        func n(_ s: Substring) -> Int { Int(s.replacingOccurrences(of: ",", with: ""))! }
        return [
            "opened": n(m.1), "registered": n(m.2), "phone": n(m.3), "written": n(m.4), "escalated": n(m.5),
            "referred": n(m.6), "government": n(m.7), "closed": n(m.8), "open": n(m.9),
        ]
    }

    static func expectAddsUp(_ n: [String: Int]) {
        #expect(n["opened"]! == n["registered"]! + n["escalated"]! + n["referred"]! + n["government"]!, "\(n)")
        #expect(n["registered"]! == n["phone"]! + n["written"]!, "\(n)")
        #expect(n["open"]! == n["opened"]! - n["closed"]!, "\(n)")
    }

    @Test func theLedgerAddsUp() async throws {
        let t = try #require(await Self.week.value.results.first).ledger.figures
        // A week closes cases, and refers and escalates some, so these terms are not trivially zero.
        #expect(t.closed > 0 && t.referred > 0 && t.escalation > 0)
        #expect(t.registered == t.phoneDispatch + t.workOrder + t.escalation + t.government + t.referred)
        // Every registered case is closed, referred or open at the end.
        #expect(t.openAtEnd == t.registered - t.closed - t.referred)
    }

    @Test func theSummaryAddsUp() async {
        let c = await Self.week.value.summary.cases
        #expect(c.opened == c.figures.registered)
        #expect(c.figures.openAtEnd == c.figures.registered - c.figures.closed - c.figures.referred)
    }

    @Test func theTableLineAddsUpAndMatchesTheSummary() async throws {
        let summary = await Self.week.value.summary
        let n = try Self.caseLine(of: SummaryFormat.table(summary))
        Self.expectAddsUp(n)
        let f = summary.cases.figures
        #expect(Double(n["opened"]!) == f.registered)
        #expect(Double(n["registered"]!) == f.phoneDispatch + f.workOrder)
        #expect(Double(n["closed"]!) == f.closed + f.referred)
        #expect(Double(n["open"]!) == f.openAtEnd)
    }

    /// Means over replications are fractions: rounding each on its own would print 3 + 1 + 1 + 1 = 4.
    @Test func roundedMeansStillAddUp() async throws {
        var summary = await Self.week.value.summary
        summary.cases.opened = 4
        summary.cases.figures.registered = 4
        (summary.cases.figures.phoneDispatch, summary.cases.figures.workOrder) = (1.5, 1)
        (summary.cases.figures.escalation, summary.cases.figures.referred, summary.cases.figures.government) =
            (0.5, 0.5, 0.5)
        (summary.cases.figures.closed, summary.cases.figures.openAtEnd) = (1, 2.5)
        let n = try Self.caseLine(of: SummaryFormat.table(summary))
        Self.expectAddsUp(n)
        #expect(n["opened"] == 4)
        for (key, mean) in [("registered", 2.5), ("escalated", 0.5), ("referred", 0.5), ("government", 0.5)] {
            #expect(abs(Double(n[key]!) - mean) < 1, "\(key)")
        }
    }
}
