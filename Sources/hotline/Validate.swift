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
            Without MODEL, checks the copies of Scenarios/bench/erlang-a.yaml and Scenarios/validation/*.yaml
            built into hotline.
            """
    )

    @Argument(help: "Single-queue model files.")
    var models: [String] = []

    @Option(help: "Days each replication simulates.")
    var days = 60

    @Option(help: "Independent replications.")
    var replications = 8

    @Option(help: "The seed of the random streams.")
    var seed: UInt64 = 2026

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func validate() throws {
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
        guard replications >= 2 else {
            throw ValidationError("--replications must be at least 2 for a confidence interval")
        }
    }

    func run() async throws {
        let sources =
            models.isEmpty ? BundledModel.validationModels.map(ModelSource.builtIn) : models.map(ModelSource.path)
        var all: [[String: AnyCodable]] = []
        var failed = false
        for source in sources {
            let path = source.name
            let loaded: LoadedModel
            do { loaded = try source.load() } catch {
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
            let options = SimulationOptions(days: days, seed: seed, replications: replications)
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
