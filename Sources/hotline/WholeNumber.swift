import ArgumentParser

/// Whole-number options read so that a negative value reaches `validate()`, which names the range.
///
/// Without `parsing: .unconditional`, ArgumentParser takes `-1` in `--days -1` for a flag and reports
/// a missing value; these options read the next word whatever it looks like.
enum WholeNumber {
    /// Reads a seed as a wide integer, so that `--seed -1` gets "must be 0 or more", not a parse error.
    static func seed(_ text: String) throws -> Int128 {
        guard let value = Int128(text) else { throw NotAWholeNumber() }
        return value
    }

    /// Refuses a value outside `range`, with the message every command uses:
    /// `--days must be from 1 to 36600, not -1`.
    /// - Throws: `ValidationError`.
    static func check<T: BinaryInteger>(_ flag: String, _ value: T, in range: ClosedRange<T>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
    }

    /// Refuses a value below `minimum`: `--threads must be at least 1, not -1`.
    /// - Throws: `ValidationError`.
    static func check<T: BinaryInteger>(_ flag: String, _ value: T, atLeast minimum: T) throws {
        guard value >= minimum else { throw ValidationError("\(flag) must be at least \(minimum), not \(value)") }
    }

    /// Refuses a seed outside the range of `UInt64`: `--seed must be 0 or more, not -1`.
    /// - Throws: `ValidationError`.
    static func checkSeed(_ value: Int128) throws {
        guard value >= 0 else { throw ValidationError("--seed must be 0 or more, not \(value)") }
        guard value <= Int128(UInt64.max) else {
            throw ValidationError("--seed must be at most \(UInt64.max), not \(value)")
        }
    }

    /// What ArgumentParser prints after "The value 'x' is invalid for '--seed <seed>': ".
    struct NotAWholeNumber: Error, CustomStringConvertible {
        var description: String { "give a whole number from 0 to \(UInt64.max)" }
    }
}
