import ArgumentParser
import Foundation
import Testing

@testable import hotline

/// The command line, tested by parsing argument arrays (no processes).
struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func checkTakesPaths() throws {
        let command = try Hotline.parseAsRoot(["check", "a.yaml", "b/", "--quiet"])
        let check = try #require(command as? Check)
        #expect(check.paths == ["a.yaml", "b/"])
        #expect(check.quiet)
    }

    @Test func checkWithoutPathsUsesTheBundledModel() throws {
        let check = try #require(try Hotline.parseAsRoot(["check"]) as? Check)
        #expect(check.paths.isEmpty)
    }

    @Test func unknownFlagsAreRefused() {
        #expect(throws: (any Error).self) { try Hotline.parseAsRoot(["check", "--frobnicate"]) }
        #expect(throws: (any Error).self) { try Hotline.parseAsRoot(["simulat"]) }
    }

    @Test func badModelExitsWithOne() async throws {
        let bad = Self.root.appendingPathComponent("Tests/Fixtures/invalid/04-zero-rate.yaml").path
        var check = try #require(try Hotline.parseAsRoot(["check", "--quiet", bad]) as? Check)
        await #expect(throws: ExitCode(1)) { try await check.run() }
        check.paths = [Self.root.appendingPathComponent("Scenarios/bench/erlang-a.yaml").path]
        try await check.run()
    }
}
