import Foundation
import Testing

@testable import HotlineModel

/// The model files built into the binary (`BundledModelFiles.swift`) are exactly the files in
/// `Scenarios/`, so the two can never drift apart.
struct BundledModelFilesTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios")

    static let regenerate =
        "run tools/bundle-models and commit Sources/HotlineModel/BundledModelFiles.swift with the change"

    /// The files that must be built in, by path under `Scenarios/` (as `tools/bundle-models` finds them).
    static var filesOnDisk: [String] {
        func yaml(in folder: String) -> [String] {
            let names =
                (try? FileManager.default.contentsOfDirectory(atPath: scenarios.appendingPathComponent(folder).path))
            return (names ?? []).filter { $0.hasSuffix(".yaml") }.map { "\(folder)/\($0)" }
        }
        return (yaml(in: "mudanjiang") + ["bench/erlang-a.yaml"] + yaml(in: "validation")).sorted()
    }

    @Test func everyModelFileIsBuiltIn() {
        #expect(Self.filesOnDisk.count >= 8)
        #expect(
            BundledModel.paths == Self.filesOnDisk, "the built-in files are not those of Scenarios/: \(Self.regenerate)"
        )
    }

    @Test(arguments: filesOnDisk)
    func builtInTextIsTheFileOnDisk(path: String) throws {
        let data = try Data(contentsOf: Self.scenarios.appendingPathComponent(path))
        let onDisk = try #require(String(data: data, encoding: .utf8))
        let builtIn = try #require(BundledModel.text(of: path), "Scenarios/\(path) is not built in: \(Self.regenerate)")
        // Compared as a flag, so that a failure names the first line that differs rather than
        // printing both files.
        let same = builtIn == onDisk
        #expect(
            same,
            "Scenarios/\(path) and its built-in copy differ from line \(Self.firstDifferingLine(builtIn, onDisk)) on: \(Self.regenerate)"
        )
    }

    /// The 1-based number of the first line that differs between two texts.
    static func firstDifferingLine(_ a: String, _ b: String) -> Int {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        return (zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.count, y.count)) + 1
    }

    @Test func validateChecksTheBenchmarkThenTheValidationModels() {
        #expect(BundledModel.validationModels.first == "bench/erlang-a.yaml")
        #expect(
            BundledModel.validationModels.dropFirst() == Self.filesOnDisk.filter { $0.hasPrefix("validation/") }[...])
    }
}
