import ArgumentParser
import Testing

@testable import hotline

/// A negative whole number gets the option's range, as zero does, not ArgumentParser's "missing
/// value" (it would take `-1` for a flag).
struct RangeMessageTests {
    static func message(_ arguments: [String]) -> String? {
        do {
            _ = try Hotline.parseAsRoot(arguments)
            return nil
        } catch {
            return Hotline.message(for: error)
        }
    }

    @Test(arguments: [
        (["simulate", "--days", "-1"], "--days must be from 1 to 36600, not -1"),
        (["simulate", "--days", "0"], "--days must be from 1 to 36600, not 0"),
        (["simulate", "--days=-1"], "--days must be from 1 to 36600, not -1"),
        (["simulate", "--replications", "-1"], "--replications must be from 1 to 10000, not -1"),
        (["simulate", "--threads", "-1"], "--threads must be at least 1, not -1"),
        (["simulate", "--seed", "-1"], "--seed must be 0 or more, not -1"),
        (
            ["simulate", "--seed", "18446744073709551616"],
            "--seed must be at most 18446744073709551615, not 18446744073709551616"
        ),
        (["validate", "--days", "-1"], "--days must be from 1 to 36600, not -1"),
        (
            ["validate", "--replications", "-1"],
            "--replications must be from 2 to 10000 (a confidence interval needs two), not -1"
        ),
        (["validate", "--seed", "-1"], "--seed must be 0 or more, not -1"),
    ])
    func negativeNumbersGetTheRange(arguments: [String], expected: String) {
        #expect(Self.message(arguments) == expected)
    }

    @Test func theLargestSeedIsAccepted() throws {
        let s = try #require(try Hotline.parseAsRoot(["simulate", "--seed", "18446744073709551615"]) as? Simulate)
        #expect(s.seed == Int128(UInt64.max))
    }
}
