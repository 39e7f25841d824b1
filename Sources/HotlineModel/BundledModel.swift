/// The model files built into the binary: the default Mudanjiang city model and the single-queue
/// models `hotline validate` checks when given none.
///
/// They are copies of `Scenarios/mudanjiang/*.yaml`, `Scenarios/bench/erlang-a.yaml` and
/// `Scenarios/validation/*.yaml`, made by `tools/bundle-models` into `BundledModelFiles.swift`, so an
/// installed `hotline` needs no files beside it. Nothing on disk overrides them: a model on disk is
/// read only when a command is given its path (`--model PATH`, `hotline check PATH`), so a stale copy
/// of `Scenarios/` can never win silently. A test fails while the copies and `Scenarios/` differ.
package enum BundledModel {
    /// What messages show in place of a folder: errors read `(built-in)/mudanjiang/network.yaml:12:3: …`.
    package static let origin = "(built-in)"

    /// The main file of the default model among the built-in files.
    package static let defaultModel = "mudanjiang/model.yaml"

    /// The built-in models `hotline validate` checks by default: `bench/erlang-a.yaml`, then every
    /// `validation/*.yaml` in name order.
    package static var validationModels: [String] {
        ["bench/erlang-a.yaml"] + files.keys.filter { $0.hasPrefix("validation/") }.sorted()
    }

    /// The paths of the built-in files, such as `mudanjiang/network.yaml`, in name order.
    package static var paths: [String] { files.keys.sorted() }

    /// The text of a built-in file, or `nil` when there is no such file.
    /// - Parameter path: the file's path under `Scenarios/`, such as `mudanjiang/model.yaml`.
    package static func text(of path: String) -> String? { files[path] }

    /// Loads a built-in model, resolving its `include` among the built-in files.
    /// - Parameter main: the main file (`mudanjiang/model.yaml`) or its folder (`mudanjiang`).
    /// - Throws: `ModelLoadFailure` with every error found, placed as `(built-in)/FILE:LINE:COLUMN`.
    package static func load(_ main: String = defaultModel) throws(ModelLoadFailure) -> LoadedModel {
        try ModelLoader.load(files: files, main: main, origin: origin)
    }
}
