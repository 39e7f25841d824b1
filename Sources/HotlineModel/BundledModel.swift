internal import Foundation

/// Finds the bundled default model, the Mudanjiang city model in `Scenarios/mudanjiang/`.
package enum BundledModel {
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
