/// Where a model comes from: a file or folder on disk, or the files built into the binary.
package enum ModelSource: Hashable, Sendable {
    /// A model file, or a folder holding `model.yaml`, as the user named it.
    case path(String)
    /// A built-in model, by its main file among `BundledModel.paths` (`mudanjiang/model.yaml`).
    case builtIn(String)

    /// The default model of every command: the built-in Mudanjiang model.
    package static let defaultModel = ModelSource.builtIn(BundledModel.defaultModel)

    /// How messages name the model: the path as given, or `(built-in)/mudanjiang/model.yaml`.
    package var name: String {
        switch self {
        case .path(let path): path
        case .builtIn(let main): BundledModel.origin + "/" + main
        }
    }

    /// Reads and validates the model.
    /// - Throws: `ModelLoadFailure` with every error found.
    package func load() throws(ModelLoadFailure) -> LoadedModel {
        switch self {
        case .path(let path): try ModelLoader.load(path: path)
        case .builtIn(let main): try BundledModel.load(main)
        }
    }
}
