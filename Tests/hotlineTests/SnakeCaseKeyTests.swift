import ArgumentParser
import Foundation
import HotlineModel
import Testing

@testable import hotline

/// Every key of every JSON document the commands print is snake_case, at every depth.
///
/// No key is exempt: the only dictionaries keyed by data, `dispositions` in `simulate --json`, are
/// keyed by outcome codes, which are snake_case themselves.
struct SnakeCaseKeyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The keys, with their paths, that are not snake_case.
    static func badKeys(_ value: Any, at path: String = "") -> [String] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, child in
                (key.wholeMatch(of: #/[a-z0-9]+(_[a-z0-9]+)*/#) == nil ? ["\(path).\(key)"] : [])
                    + badKeys(child, at: "\(path).\(key)")
            }
        }
        if let array = value as? [Any] { return array.enumerated().flatMap { badKeys($1, at: "\(path)[\($0)]") } }
        return []
    }

    /// The walk itself finds a camelCase key, however deep.
    @Test func theWalkFindsCamelCase() {
        #expect(Self.badKeys(["a": [["ok_key": 1, "halfWidth": 2]]]) == [".a[0].halfWidth"])
        #expect(Self.badKeys(["Upper": 1, "x_": 2, "ok_1": 3]).sorted() == [".Upper", ".x_"])
    }

    @Test func simulateJSON() async throws {
        let model = Self.root.appendingPathComponent("Scenarios/mudanjiang").path
        let command = try #require(
            try Hotline.parseAsRoot([
                "simulate", "--model", model, "--days", "1", "--replications", "2", "--json", "-q",
            ])
                as? Simulate)
        let text = try command.render(try await command.simulate())
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8))
        // The blocks are there, so the walk sees their keys.
        let object = try #require(json as? [String: Any])
        for block in ["ci95", "cases", "units", "intervals", "targets", "outbound", "per_replication"] {
            #expect(object[block] != nil, "\(block)")
        }
        #expect(Self.badKeys(json) == [])
    }

    @Test func validateJSON() async throws {
        let model = Self.root.appendingPathComponent("Scenarios/validation/erlang-c-90.yaml").path
        let command = try #require(
            try Hotline.parseAsRoot(["validate", "--days", "2", "--replications", "2", "--json", model]) as? Validate)
        var all: [Validate.ModelChecks] = []
        for source in command.modelSources() { all.append(try await command.check(source)) }
        let json = try JSONSerialization.jsonObject(with: Data(try Validate.json(all).utf8))
        let checks = try #require(((json as? [[String: Any]])?.first?["checks"]) as? [[String: Any]])
        #expect(checks.first?["half_width"] is Double)
        #expect(Self.badKeys(json) == [])
    }
}
