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

/// `hotline simulate` and `hotline validate` flags.
struct SimulateCommandTests {
    @Test func simulateTakesItsOptions() throws {
        let s = try #require(
            try Hotline.parseAsRoot([
                "simulate", "--days", "3", "--seed", "9", "--replications", "4", "--json", "--start", "2026-03-02",
            ])
                as? Simulate)
        #expect(s.days == 3 && s.seed == 9 && s.replications == 4 && s.json && s.start == "2026-03-02")
        #expect(s.modelOptions.model == nil)
    }

    @Test(arguments: [
        ["simulate", "--days", "0"], ["simulate", "--replications", "0"], ["simulate", "--start", "2026-02-30"],
        ["simulate", "--seed", "-1"], ["validate", "--replications", "1"],
    ])
    func badFlagsAreRefused(arguments: [String]) {
        #expect(throws: (any Error).self) { try Hotline.parseAsRoot(arguments) }
    }
}
