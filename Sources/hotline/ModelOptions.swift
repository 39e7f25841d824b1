import ArgumentParser
import HotlineCore
import HotlineModel

/// `--model PATH`, shared by the commands that read a model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A model file or folder (default: the Mudanjiang model built into hotline).")
    var model: String?

    /// The model to read: `--model PATH`, else the built-in Mudanjiang model (nothing on disk is searched).
    var source: ModelSource { model.map(ModelSource.path) ?? .defaultModel }

    /// Loads the model, or prints every problem found and exits with status 1.
    /// - Returns: the model, the name messages give it (its path, or `(built-in)/mudanjiang/model.yaml`),
    ///   and its warnings.
    func load() throws -> (model: CityModel, path: String, warnings: [ModelError]) {
        let source = source
        let path = source.name
        do {
            let loaded = try source.load()
            return (loaded.model, path, loaded.warnings)
        } catch {
            // The model's errors, as `hotline check` prints them, and exit status 1 (not a usage error).
            printToStandardError(ModelCheck.lines(error.errors, severity: "error").joined(separator: "\n"))
            printToStandardError(
                "\(path): \(error.errors.count) error\(error.errors.count == 1 ? "" : "s"); the model was not loaded")
            throw ExitCode(1)
        }
    }
}
