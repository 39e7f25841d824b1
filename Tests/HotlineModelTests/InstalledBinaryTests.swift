import Foundation
import Testing

/// The built `hotline`, installed alone in an empty folder, still has its default models: `check`,
/// `simulate` and `validate` run there with no `Scenarios/` anywhere above it or the working folder.
struct InstalledBinaryTests {
    /// The built `hotline` beside the test bundle (`swift test` builds every product of the package).
    static let binary: URL? = {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [products, products.deletingLastPathComponent(), root.appendingPathComponent(".build/debug")]
        return candidates.map { $0.appendingPathComponent("hotline") }.first {
            FileManager.default.isExecutableFile(atPath: $0.path)
        }
    }()

    /// Runs `hotline ARGS` from a fresh temporary folder holding nothing but a copy of the binary.
    /// - Returns: the exit status and standard output.
    static func runInstalled(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let built = try #require(binary, "build the hotline product first (swift build)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-installed-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A copy, not the build folder's binary: the latter sits inside the project, beside Scenarios/.
        let installed = folder.appendingPathComponent("hotline")
        do { try FileManager.default.linkItem(at: built, to: installed) } catch {
            try FileManager.default.copyItem(at: built, to: installed)
        }
        let process = Process()
        process.executableURL = installed
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["HOTLINE_HOME"] = nil
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func checkFindsTheBuiltInModel() throws {
        let (status, output) = try Self.runInstalled(["check"])
        #expect(status == 0)
        #expect(output.contains(/mudanjiang: .*valid/))
    }

    @Test func simulateRunsTheBuiltInModel() throws {
        let (status, output) = try Self.runInstalled(["simulate", "--days", "1", "--quiet"])
        #expect(status == 0)
        #expect(output.contains("service level"))
    }

    @Test func validateRunsTheBuiltInSingleQueueModels() throws {
        // A day of two replications is too short to judge the figures (exit 0 or 1); the models must run.
        let (status, output) = try Self.runInstalled(["validate", "--days", "1", "--replications", "2"])
        #expect(status == 0 || status == 1)
        for name in ["erlang-a-bench", "erlang-a-impatient", "erlang-a-overload", "erlang-c-90"] {
            #expect(output.contains("\(name) ("), "validate did not run \(name)")
        }
    }
}
