import Foundation
import HotlineCore
import HotlineModel
import HotlineSimulation
import Testing

@testable import HotlineReports

/// The renderings of a simulation summary: JSON with the keys of DESIGN.md, the table, CSV and HTML.
struct SummaryFormatTests {
    static let summary = Task {
        let model = try! ModelLoader.load(
            text: """
                name: small
                service: { threshold_s: 20 }
                arrivals: { rate_per_hour: 100 }
                operators: { count: 9 }
                handling: { direct: { share: 1.0, talk: { exponential: { mean_s: 240 } } } }
                patience: { exponential: { mean_s: 120 } }
                """
        ).model
        return await Simulation(model: model, options: SimulationOptions(days: 1, seed: 1, replications: 3)).run()
            .summary
    }

    @Test func jsonHasTheSummaryKeysOfTheDesign() async throws {
        let json = try SummaryFormat.json(await Self.summary.value)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in [
            "offered", "answered", "abandoned", "service_level", "asa_s", "mean_wait_s", "abandon_rate", "occupancy",
            "events", "wall_s",
        ] {
            #expect(object[key] is Double || object[key] is Int, "\(key)")
        }
        let ci = try #require(object["ci95"] as? [String: Any])
        #expect(ci["service_level"] is Double)
        #expect((object["intervals"] as? [Any])?.count == 48)
    }

    @Test func jsonIsByteIdenticalButForWallTime() async throws {
        var a = await Self.summary.value
        var b = a
        a.wallS = 1
        b.wallS = 2
        let strip = { (s: String) in
            s.split(separator: "\n").filter { !$0.contains("\"wall_s\"") }.joined(separator: "\n")
        }
        #expect(strip(try SummaryFormat.json(a)) == strip(try SummaryFormat.json(b)))
    }

    @Test func tableShowsTheFiguresAndTargets() async {
        let table = SummaryFormat.table(await Self.summary.value)
        #expect(table.contains("service level (≤ 20 s)"))
        #expect(table.contains("target 80.0 %"))
        #expect(table.contains("±"))
    }

    @Test func csvFilesHaveHeadersAndRows() async {
        let files = SummaryFormat.csvFiles(await Self.summary.value)
        #expect(files.map(\.name) == ["summary.csv", "intervals.csv", "units.csv"])
        #expect(files[0].text.hasPrefix("figure,value,ci95\noffered,"))
        #expect(files[1].text.split(separator: "\n").count == 49)
        #expect(SummaryFormat.quoted("a,b") == "\"a,b\"")
    }

    @Test func htmlIsSelfContainedWithCharts() async {
        let html = SummaryFormat.html(await Self.summary.value)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 3)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(SummaryFormat.escape("<a&b>") == "&lt;a&amp;b&gt;")
    }
}
