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
            Each MODEL must be in the single-queue form (docs/model.md): a flat rate, a flat operator count, \
            exponential talk, exponential patience or none. Every summary figure must lie within the 99 % \
            confidence interval of its replications around the exact value. Exits 1 when one does not.

            Without MODEL, checks the copies of Scenarios/bench/erlang-a.yaml and Scenarios/validation/*.yaml \
            built into hotline.
            """
    )

    @Argument(help: ArgumentHelp("Single-queue model files.", valueName: "model"))
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

    /// One model's checks, an element of the `--json` array.
    struct ModelChecks: Encodable {
        var model: String
        /// "Erlang C" or "Erlang A".
        var kind: String
        var loadErlangs: Double
        var operators: Int
        var checks: [FigureCheck]

        var failed: Bool { checks.contains { !$0.inside } }
    }

    func run() async throws {
        var all: [ModelChecks] = []
        for source in modelSources() {
            let result = try await check(source)
            all.append(result)
            if !json { print(text(result)) }
        }
        if json { print(try Self.json(all)) }
        if all.contains(where: \.failed) { throw ExitCode(1) }
    }

    /// The model files given, or the validation models built into hotline.
    func modelSources() -> [ModelSource] {
        models.isEmpty ? BundledModel.validationModels.map(ModelSource.builtIn) : models.map(ModelSource.path)
    }

    /// Simulates one single-queue model and sets its figures against the exact ones.
    /// - Throws: `ExitCode(1)` after printing the model's errors; `CommandFailure` when the model is
    ///   not a single queue or has no steady state.
    func check(_ source: ModelSource) async throws -> ModelChecks {
        let path = source.name
        let loaded: LoadedModel
        do { loaded = try source.load() } catch {
            printToStandardError(ModelCheck.lines(error.errors, severity: "error").joined(separator: "\n"))
            printToStandardError(
                "\(path): \(error.errors.count) error\(error.errors.count == 1 ? "" : "s"); the model was not loaded")
            throw ExitCode(1)
        }
        let form: SingleQueueForm
        switch SingleQueueForm.of(loaded.model) {
        case .success(let f): form = f
        case .failure(let refusal):
            throw CommandFailure("\(path) is not a single-queue model (docs/model.md): \(refusal)")
        }
        let queue = SingleQueue(
            arrivalsPerHour: form.ratePerHour, meanServiceTime: form.meanTalk, servers: form.operators,
            meanPatience: form.meanPatience)
        guard let exact = queue.figures(threshold: form.threshold) else {
            throw CommandFailure(
                "\(path): Erlang C has no steady state at a load of \(String(format: "%.1f", queue.load)) erlangs on \(form.operators) operators"
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
        return ModelChecks(
            model: loaded.model.name, kind: form.meanPatience == nil ? "Erlang C" : "Erlang A", loadErlangs: queue.load,
            operators: form.operators, checks: checks)
    }

    /// The lines printed for one model without `--json`.
    func text(_ m: ModelChecks) -> String {
        var lines = [
            "\(m.model) (\(m.kind), load \(String(format: "%.1f", m.loadErlangs)) erlangs on \(m.operators) operators): \(days) days × \(replications)"
        ]
        for c in m.checks {
            lines.append(
                "  \(c.figure.padding(toLength: 14, withPad: " ", startingAt: 0))"
                    + String(format: "simulated %12.6f ± %-10.6f exact %12.6f  ", c.simulated, c.halfWidth, c.exact)
                    + (c.inside ? "inside" : "OUTSIDE the 99 % interval"))
        }
        return lines.joined(separator: "\n")
    }

    /// The `--json` document: an array with one object per model, snake_case keys, sorted.
    static func json(_ all: [ModelChecks]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(all), as: UTF8.self)
    }
}
