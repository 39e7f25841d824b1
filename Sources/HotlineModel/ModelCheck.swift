internal import Foundation
internal import HotlineCore

/// What `hotline check` prints: summaries on standard output, problems on standard error.
package struct ModelCheck: Sendable {
    /// Summaries of the valid models.
    package var output: String
    /// Errors and warnings, one a line, `FILE:LINE:COLUMN: error: FIELD: MESSAGE (HINT)`.
    package var diagnostics: String
    /// Whether every model is valid.
    package var ok: Bool

    /// The path as errors show it, when the file is a training scenario (a `.yaml` file with a
    /// top-level `scenario:` key) rather than a model.
    private static func scenario(at file: String) -> String? {
        guard file.hasSuffix(".yaml"), let text = try? String(contentsOfFile: file, encoding: .utf8),
            TrainingScenario.looksLikeScenario(text)
        else { return nil }
        return file
    }

    /// Checks each path in turn.
    package static func run(paths: [String], quiet: Bool = false) -> ModelCheck {
        run(sources: paths.map(ModelSource.path), quiet: quiet)
    }

    /// Checks each model in turn; a summary names a model by its source's name.
    package static func run(sources: [ModelSource], quiet: Bool = false) -> ModelCheck {
        var out: [String] = []
        var diag: [String] = []
        var ok = true
        for source in sources {
            let path = source.name
            if case .path(let file) = source, let scenario = Self.scenario(at: file) {
                // A training scenario is checked against the model it is played on (the bundled one).
                do {
                    let model = try ModelSource.defaultModel.load().model
                    let s = try TrainingScenario.load(path: file, shownPath: scenario, model: model)
                    guard !quiet else { continue }
                    let core = s.coreDecision(by: model.router)
                    out.append("\(path): training scenario '\(s.title.en)': valid (format version 1)")
                    out.append(
                        "  caller \(s.caller.mood.rawValue), \(s.caller.says.count) lines; truth \(s.truth.category) → \(s.truth.unit?.rawValue ?? "no clear owner"); duty line \(s.world.dutyLine.rawValue); \(s.world.aftermath.count) aftermath steps"
                    )
                    out.append(
                        "  model handling: "
                            + s.expected.map { "\($0.step.rawValue) (\($0.step.article), \($0.points))" }.joined(
                                separator: ", ") + "; \(s.maxScore) points"
                            + (core.map { "; the routing core decides \($0.step.rawValue) (\($0.article))" } ?? ""))
                } catch {
                    ok = false
                    diag += error.errors.map { line($0, "error") }
                    diag.append("\(path): \(error.errors.count) error\(error.errors.count == 1 ? "" : "s")")
                }
                continue
            }
            do {
                let loaded = try source.load()
                diag += loaded.warnings.map { line($0, "warning") }
                guard !quiet else { continue }
                let years = loaded.model.router.calendar.years.keys.sorted()
                let year = years.first ?? Calendar(identifier: .gregorian).component(.year, from: Date())
                let more =
                    loaded.files.count > 1
                    ? " + \(loaded.files.count - 1) included file\(loaded.files.count > 2 ? "s" : "")" : ""
                out.append("\(loaded.model.name): \(path)\(more): valid (format version 1)")
                out.append(ModelSummary(loaded.model, year: year).text)
            } catch {
                ok = false
                diag += error.errors.map { line($0, "error") }
                diag += error.warnings.map { line($0, "warning") }
                diag.append("\(path): \(error.errors.count) error\(error.errors.count == 1 ? "" : "s")")
            }
        }
        return ModelCheck(output: out.joined(separator: "\n"), diagnostics: diag.joined(separator: "\n"), ok: ok)
    }

    /// Problems as `FILE:LINE:COLUMN: SEVERITY: FIELD: MESSAGE (HINT)` lines.
    package static func lines(_ errors: [ModelError], severity: String) -> [String] {
        errors.map { line($0, severity) }
    }

    private static func line(_ e: ModelError, _ severity: String) -> String {
        var place = e.file
        if e.line > 0 { place += ":\(e.line)" }
        if e.column > 0 { place += ":\(e.column)" }
        var text = "\(place): \(severity): "
        if !e.field.isEmpty { text += "\(e.field): " }
        text += e.message
        if let hint = e.hint { text += " (\(hint))" }
        return text
    }
}
