import ArgumentParser
import HotlineCore
import HotlineModel

/// `--model PATH`, shared by the commands that read a model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A model file or folder (default: the bundled Mudanjiang model).")
    var model: String?

    /// Loads the model, or prints every problem found and exits with status 1.
    /// - Throws: `ExitCode(1)` after printing the model's errors; `CommandFailure` when there is no
    ///   `--model` and the bundled model cannot be found.
    func load() throws -> (model: CityModel, path: String, warnings: [ModelError]) {
        guard let path = model ?? BundledModel.locate() else {
            throw CommandFailure(
                "cannot find the bundled model (\(BundledModel.relativePath)/model.yaml); run from the project folder, set HOTLINE_HOME, or give --model"
            )
        }
        do {
            let loaded = try ModelLoader.load(path: path)
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
