import ArgumentParser
import HotlineCore
import HotlineModel

/// `--model PATH`, shared by the commands that read a model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A model file or folder (default: the bundled Mudanjiang model).")
    var model: String?

    /// Loads the model, or throws a `ValidationError` with every problem found.
    func load() throws -> (model: CityModel, path: String, warnings: [ModelError]) {
        guard let path = model ?? BundledModel.locate() else {
            throw ValidationError(
                "cannot find the bundled model (\(BundledModel.relativePath)/model.yaml); run from the project folder, set HOTLINE_HOME, or give --model"
            )
        }
        do {
            let loaded = try ModelLoader.load(path: path)
            return (loaded.model, path, loaded.warnings)
        } catch {
            throw ValidationError(
                "the model does not load:\n" + ModelCheck.lines(error.errors, severity: "error").joined(separator: "\n")
            )
        }
    }
}
