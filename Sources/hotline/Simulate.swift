import ArgumentParser
import Foundation
import HotlineCore
import HotlineModel
import HotlineReports
import HotlineSimulation
import HotlineStore

/// `hotline simulate`: a discrete-event simulation of the centre and its links to unit duty lines.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate the centre for some days and report what callers, operators and units went through.",
        discussion: """
            Without --model, simulates the bundled Mudanjiang model. Same model, seed and replications give \
            the same output (but for wall_s). --json prints one JSON document on stdout and nothing else \
            there. The folders of --csv and --report are created when missing, and checked before the run \
            starts.
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(parsing: .unconditional, help: "Days to simulate, 1 to 36600.")
    var days = 1

    @Option(
        parsing: .unconditional, help: ArgumentHelp("The seed of the random streams, 0 or more.", valueName: "seed"),
        transform: WholeNumber.seed)
    var seed: Int128 = 1

    @Option(
        parsing: .unconditional,
        help: "Independent replications (run in parallel), 1 to 10000; more than one adds 95 % confidence half-widths."
    )
    var replications = 1

    @Option(
        help: ArgumentHelp(
            "The first day (default: the first Monday of the model's calendar year).", valueName: "YYYY-MM-DD"))
    var start: String?

    @Option(parsing: .unconditional, help: "Replications run at once (default: the processors available).")
    var threads: Int?

    @Option(
        name: .customLong("case-warm-up-days"), parsing: .unconditional,
        help: ArgumentHelp(
            "Days before the start whose cases are simulated first, so that the run starts with the backlog of open cases a centre has on any day; none of them is counted (0 to 365).",
            valueName: "days"))
    var caseWarmUpDays = 30

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Write CSV files (summary, intervals, units) into this folder.", valueName: "folder"))
    var csv: String?

    @Option(help: ArgumentHelp("Write an HTML report with charts of the day to this file.", valueName: "file.html"))
    var report: String?

    @Option(
        name: .customLong("case-store"),
        help: ArgumentHelp(
            "Write the cases of the first replication, as each ends, into a new case store (for bulletins, assessments and ageing from a run).",
            valueName: "file.sqlite"))
    var caseStore: String?

    @Flag(name: .shortAndLong, help: "No progress line on stderr.")
    var quiet = false

    func validate() throws {
        try WholeNumber.check("--days", days, in: 1...36_600)
        try WholeNumber.checkSeed(seed)
        try WholeNumber.check("--replications", replications, in: 1...10_000)
        if let threads { try WholeNumber.check("--threads", threads, atLeast: 1) }
        try WholeNumber.check("--case-warm-up-days", caseWarmUpDays, in: 0...365)
        if let start, CivilDate(parsing: start) == nil {
            throw ValidationError("--start must be a date YYYY-MM-DD that exists, not '\(start)'")
        }
    }

    func run() async throws {
        try prepareOutputs()
        let summary = try await simulate()
        print(try render(summary))
        try writeOutputs(summary)
    }

    /// Creates the folders of `--csv` and `--report` and checks that they can be written, before
    /// anything is simulated.
    /// - Throws: `OutputError`.
    func prepareOutputs() throws(OutputError) {
        if let csv { try OutputPath.prepareFolder(csv, what: "the CSV files") }
        if let report { try OutputPath.prepareFile(report, what: "the report") }
    }

    /// Loads the model (printing its warnings unless `--quiet`) and runs the replications.
    func simulate() async throws -> SimulationSummary {
        let (model, _, warnings) = try modelOptions.load()
        if !quiet && !warnings.isEmpty {
            printToStandardError(ModelCheck.lines(warnings, severity: "warning").joined(separator: "\n"))
        }
        // `validate()` checked the seed's range.
        let options = SimulationOptions(
            days: days, seed: UInt64(seed), replications: replications,
            start: start.flatMap(CivilDate.init(parsing:)), caseWarmUpDays: caseWarmUpDays)
        let progress = ProgressLine(
            enabled: !quiet, label: "simulating \(model.name), \(days) day\(days == 1 ? "" : "s") × \(replications)")
        var sink: CaseStoreSink?
        if let caseStore {
            if let size = try? FileManager.default.attributesOfItem(atPath: caseStore)[.size] as? Int, size > 0 {
                throw CommandFailure("--case-store: \(caseStore) exists already; give a new file")
            }
            do {
                sink = CaseStoreSink(store: try CaseStore(path: caseStore))
            } catch {
                throw CommandFailure("--case-store: \(error)")
            }
        }
        let result = await Simulation(model: model, options: options).run(
            threads: threads, progress: progress.update, caseSink: sink)
        progress.finish()
        if let sink, let failure = sink.failure {
            throw CommandFailure("--case-store: \(failure); the store holds the first \(sink.written) cases")
        }
        return result.summary
    }

    /// What goes to standard output: the JSON document with `--json`, else the table.
    func render(_ summary: SimulationSummary) throws -> String {
        json ? try SummaryFormat.json(summary) : SummaryFormat.table(summary)
    }

    /// Writes the CSV files and the report.
    /// - Throws: `OutputError` (a full disk, say), never Foundation's error text.
    func writeOutputs(_ summary: SimulationSummary) throws(OutputError) {
        if let csv {
            for (name, text) in SummaryFormat.csvFiles(summary) {
                try OutputPath.write(
                    text, toFile: (csv as NSString).appendingPathComponent(name), what: "the CSV files")
            }
        }
        if let report { try OutputPath.write(SummaryFormat.html(summary), toFile: report, what: "the report") }
    }
}
