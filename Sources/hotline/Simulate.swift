import ArgumentParser
import Foundation
import HotlineCore
import HotlineModel
import HotlineReports
import HotlineSimulation

/// `hotline simulate`: a discrete-event simulation of the centre and its links to unit duty lines.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate the centre for some days and report what callers, operators and units went through.",
        discussion: """
            Without --model, simulates the bundled Mudanjiang model. Same model, seed and replications give the
            same output (but for wall_s). --json prints one JSON document on stdout and nothing else there.
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Days to simulate.")
    var days = 1

    @Option(help: "The seed of the random streams.")
    var seed: UInt64 = 1

    @Option(help: "Independent replications (run in parallel); more than one adds 95 % confidence half-widths.")
    var replications = 1

    @Option(help: "The first day, YYYY-MM-DD (default: the first Monday of the model's calendar year).")
    var start: String?

    @Option(help: "Replications run at once (default: the processors available).")
    var threads: Int?

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @Option(help: "Write CSV files (summary, intervals, units) into this folder.")
    var csv: String?

    @Option(help: "Write an HTML report with charts of the day to this file.")
    var report: String?

    @Flag(name: .shortAndLong, help: "No progress line on stderr.")
    var quiet = false

    func validate() throws {
        guard (1...36_600).contains(days) else { throw ValidationError("--days must be from 1 to 36600, not \(days)") }
        guard (1...10_000).contains(replications) else {
            throw ValidationError("--replications must be from 1 to 10000, not \(replications)")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let start, CivilDate(parsing: start) == nil {
            throw ValidationError("--start must be a date YYYY-MM-DD that exists, not '\(start)'")
        }
    }

    func run() async throws {
        let (model, _, warnings) = try modelOptions.load()
        if !quiet && !warnings.isEmpty {
            printToStandardError(ModelCheck.lines(warnings, severity: "warning").joined(separator: "\n"))
        }
        let options = SimulationOptions(
            days: days, seed: seed, replications: replications, start: start.flatMap(CivilDate.init(parsing:)))
        let progress = ProgressLine(
            enabled: !quiet, label: "simulating \(model.name), \(days) day\(days == 1 ? "" : "s") × \(replications)")
        let result = await Simulation(model: model, options: options).run(threads: threads, progress: progress.update)
        progress.finish()
        let summary = result.summary
        if json {
            print(try SummaryFormat.json(summary))
        } else {
            print(SummaryFormat.table(summary))
        }
        if let csv { try SummaryFormat.writeCSV(summary, to: csv) }
        if let report { try SummaryFormat.html(summary).write(toFile: report, atomically: true, encoding: .utf8) }
    }
}
