internal import Foundation

/// The bundled default model, the Mudanjiang city model in `Scenarios/mudanjiang/`, and the
/// single-queue models `hotline validate` checks: on disk (`locate()`) and built into the binary
/// (`files`, made by `tools/bundle-models`).
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

    /// The model's folder inside the project.
    package static let relativePath = "Scenarios/mudanjiang"

    /// The path of the bundled model: `$HOTLINE_HOME/Scenarios/mudanjiang`, else the first such folder
    /// found walking up from the working directory, then from the executable.
    package static func locate() -> String? {
        let fm = FileManager.default
        var starts: [String] = []
        if let home = ProcessInfo.processInfo.environment["HOTLINE_HOME"] { starts.append(home) }
        starts.append(fm.currentDirectoryPath)
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append((exe as NSString).deletingLastPathComponent)
        } else if let arg0 = CommandLine.arguments.first {
            starts.append((arg0 as NSString).deletingLastPathComponent)
        }
        for start in starts {
            var dir = (start as NSString).standardizingPath
            while true {
                let candidate = (dir as NSString).appendingPathComponent(relativePath)
                if fm.fileExists(atPath: (candidate as NSString).appendingPathComponent("model.yaml")) {
                    return relative(candidate, to: fm.currentDirectoryPath)
                }
                let up = (dir as NSString).deletingLastPathComponent
                if up == dir || up.isEmpty { break }
                dir = up
            }
        }
        return nil
    }

    private static func relative(_ path: String, to base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
