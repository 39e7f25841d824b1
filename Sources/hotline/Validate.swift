import ArgumentParser
import Foundation
import HotlineCore
import HotlineModel
import HotlineSimulation
import HotlineStaffing

/// `hotline validate`: the simulator against exact Erlang C / Erlang A figures.
struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the simulator against exact Erlang C and Erlang A figures on single-queue models.",
        discussion: """
            Each MODEL must be in the single-queue form (docs/model.md): a flat rate, a flat operator count,
            exponential talk, exponential patience or none. Every summary figure must lie within the 99 %
            confidence interval of its replications around the exact value. Exits 1 when one does not.
            Without MODEL, checks Scenarios/bench/erlang-a.yaml and Scenarios/validation/*.yaml.
            """
    )

    @Argument(help: "Single-queue model files.")
    var models: [String] = []

    @Option(parsing: .unconditional, help: "Days each replication simulates, 1 to 36600.")
    var days = 60

    @Option(parsing: .unconditional, help: "Independent replications, 2 to 10000.")
    var replications = 8

    @Option(
        parsing: .unconditional, help: ArgumentHelp("The seed of the random streams, 0 or more.", valueName: "seed"),
        transform: WholeNumber.seed)
    var seed: Int128 = 2026

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func validate() throws {
        try WholeNumber.check("--days", days, in: 1...36_600)
        guard (2...10_000).contains(replications) else {
            throw ValidationError(
                "--replications must be from 2 to 10000 (a confidence interval needs two), not \(replications)")
        }
        try WholeNumber.checkSeed(seed)
    }

    func run() async throws {
        var paths = models
        if paths.isEmpty {
            guard let bundled = BundledModel.locate() else { throw ValidationError("give the model files to validate") }
            let scenarios = (bundled as NSString).deletingLastPathComponent
            let folder = (scenarios as NSString).appendingPathComponent("validation")
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                $0.hasSuffix(".yaml")
            }.sorted()
            paths =
                [(scenarios as NSString).appendingPathComponent("bench/erlang-a.yaml")]
                + files.map { (folder as NSString).appendingPathComponent($0) }
        }
        var all: [[String: AnyCodable]] = []
        var failed = false
        for path in paths {
            let loaded: LoadedModel
            do { loaded = try ModelLoader.load(path: path) } catch {
                printToStandardError(ModelCheck.lines(error.errors, severity: "error").joined(separator: "\n"))
                throw ExitCode(1)
            }
            let form: SingleQueueForm
            switch SingleQueueForm.of(loaded.model) {
            case .success(let f): form = f
            case .failure(let refusal): throw ValidationError("\(path) is not a single queue: \(refusal)")
            }
            let queue = SingleQueue(
                arrivalsPerHour: form.ratePerHour, meanServiceTime: form.meanTalk, servers: form.operators,
                meanPatience: form.meanPatience)
            guard let exact = queue.figures(threshold: form.threshold) else {
                throw ValidationError(
                    "\(path): Erlang C has no steady state at a load of \(queue.load) erlangs on \(form.operators) operators"
                )
            }
            // `validate()` checked the seed's range.
            let options = SimulationOptions(days: days, seed: UInt64(seed), replications: replications)
            let report = await Simulation(model: loaded.model, options: options).run()
            let checks = report.check(against: [
                ("offered", form.ratePerHour * 24 * Double(days)), ("service_level", exact.serviceLevel),
                ("asa_s", exact.asa),
                ("mean_wait_s", exact.meanWait), ("abandon_rate", exact.abandonRate), ("occupancy", exact.occupancy),
            ])
            failed = failed || checks.contains { !$0.inside }
            let kind = form.meanPatience == nil ? "Erlang C" : "Erlang A"
            if json {
                all.append(["model": .string(loaded.model.name), "kind": .string(kind), "checks": .checks(checks)])
            } else {
                print(
                    "\(loaded.model.name) (\(kind), load \(String(format: "%.1f", queue.load)) erlangs on \(form.operators) operators): \(days) days × \(replications)"
                )
                for c in checks {
                    let line =
                        "  \(c.figure.padding(toLength: 14, withPad: " ", startingAt: 0))"
                        + String(format: "simulated %12.6f ± %-10.6f exact %12.6f  ", c.simulated, c.halfWidth, c.exact)
                        + (c.inside ? "inside" : "OUTSIDE the 99 % interval")
                    print(line)
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(all), as: UTF8.self))
        }
        if failed { throw ExitCode(1) }
    }
}

/// The few value shapes of `validate --json`.
enum AnyCodable: Encodable {
    case string(String)
    case checks([FigureCheck])

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .checks(let checks): try c.encode(checks)
        }
    }
}
