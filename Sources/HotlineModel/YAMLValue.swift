internal import HotlineCore
internal import Yams

/// Collects the errors and warnings of one load, so that a user sees every problem at once.
final class Diagnostics {
    private(set) var errors: [ModelError] = []
    private(set) var warnings: [ModelError] = []

    func error(_ code: ModelError.Code, at value: YAMLValue, _ message: String, hint: String? = nil) {
        errors.append(
            ModelError(
                code,
                file: value.file,
                line: value.line,
                column: value.column,
                field: value.path,
                message: message,
                hint: hint
            )
        )
    }

    func error(_ error: ModelError) { errors.append(error) }

    func warning(at value: YAMLValue, _ message: String) {
        warnings.append(
            ModelError(
                .warning,
                file: value.file,
                line: value.line,
                column: value.column,
                field: value.path,
                message: message
            )
        )
    }

    func warning(_ warning: ModelError) { warnings.append(warning) }
}

/// A node of a YAML document with its place (file, line, column, field path), and typed reads that
/// report a clear error and return `nil` when the node is not what the model format wants.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String
    let diagnostics: Diagnostics

    var line: Int { node.mark?.line ?? 0 }
    var column: Int { node.mark?.column ?? 0 }

    /// How the node reads to a person, for messages: `'abc'`, `a list`, `a mapping`.
    var shown: String {
        switch node {
        case .scalar(let s): isNull ? "nothing" : "'\(s.string)'"
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    private static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]

    var isNull: Bool {
        if case .scalar(let s) = node {
            // YAML 1.2 core schema nulls; the document is parsed with the basic resolver, which
            // leaves them untagged.
            return (s.style == .plain && Self.nullSpellings.contains(s.string))
                || s.tag.rawValue == Tag.Name.null.rawValue
        }
        return false
    }

    func child(_ key: String, _ node: Node) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file, diagnostics: diagnostics)
    }

    func element(_ index: Int, _ node: Node) -> YAMLValue {
        YAMLValue(node: node, path: "\(path)[\(index)]", file: file, diagnostics: diagnostics)
    }

    func fail(_ code: ModelError.Code, _ message: String, hint: String? = nil) {
        diagnostics.error(code, at: self, message, hint: hint)
    }

    private func wrongType(_ expected: String) {
        fail(.wrongType, "expected \(expected), found \(shown)")
    }

    // MARK: Structure

    /// The node as a mapping whose keys are all in `allowed`; unknown keys are reported with the
    /// likeliest intended key, and `required` keys that are missing are reported too.
    /// With `extensions`, keys starting with `x-` are skipped: they hold YAML anchors.
    /// With `anyKey`, every key is taken (a mapping of names the model chooses).
    func fields(_ allowed: [String], required: [String] = [], extensions: Bool = false, anyKey: Bool = false)
        -> Fields?
    {
        guard case .mapping(let mapping) = node else {
            wrongType(
                "a mapping with keys " + allowed.prefix(6).map { "'\($0)'" }.joined(separator: ", ")
                    + (allowed.count > 6 ? ", …" : "")
            )
            return nil
        }
        var entries: [(key: String, value: YAMLValue)] = []
        for (k, v) in mapping {
            guard case .scalar(let ks) = k else {
                YAMLValue(node: k, path: path, file: file, diagnostics: diagnostics).fail(
                    .wrongType,
                    "a key must be plain text"
                )
                continue
            }
            let key = ks.string
            let value = child(key, v)
            if extensions && key.hasPrefix("x-") { continue }
            if !anyKey && !allowed.contains(key) {
                let placed = YAMLValue(node: k, path: value.path, file: file, diagnostics: diagnostics)
                let hint =
                    suggestion(for: key, among: allowed).map { "did you mean '\($0)'?" }
                    ?? "allowed here: " + allowed.joined(separator: ", ")
                placed.fail(.unknownKey, "unknown key '\(key)'", hint: hint)
                continue
            }
            entries.append((key, value))
        }
        let fields = Fields(owner: self, entries: entries)
        for key in required where fields[key] == nil {
            fail(.missingKey, "missing required key '\(key)'")
        }
        return fields
    }

    /// The node as a list.
    func list() -> [YAMLValue]? {
        guard case .sequence(let s) = node else {
            wrongType("a list")
            return nil
        }
        return s.enumerated().map { element($0.offset, $0.element) }
    }

    // MARK: Scalars

    /// The node as text (numbers are read as their text).
    func string() -> String? {
        guard case .scalar(let s) = node, !isNull else {
            wrongType("text")
            return nil
        }
        return s.string
    }

    /// Non-empty text.
    func name() -> String? {
        guard let s = string() else { return nil }
        if s.trimmingWhitespace().isEmpty {
            fail(.badValue, "must not be empty")
            return nil
        }
        return s
    }

    /// A finite number.
    func number() -> Double? {
        guard case .scalar(let s) = node, !isNull, s.style == .plain || Double(s.string) != nil else {
            wrongType("a number")
            return nil
        }
        let text = s.string
        guard let x = Double(text), x.isFinite, !text.contains("_") else {
            wrongType("a number")
            return nil
        }
        return x
    }

    /// A number greater than zero.
    func positive() -> Double? {
        guard let x = number() else { return nil }
        guard x > 0 else {
            fail(.badValue, "must be greater than 0, found \(format(x))")
            return nil
        }
        return x
    }

    /// A number of zero or more.
    func nonNegative() -> Double? {
        guard let x = number() else { return nil }
        guard x >= 0 else {
            fail(.badValue, "must not be negative, found \(format(x))")
            return nil
        }
        return x
    }

    /// A probability or share, from 0 to 1.
    func share() -> Double? {
        guard let x = number() else { return nil }
        guard x >= 0, x <= 1 else {
            fail(.badValue, "must be between 0 and 1, found \(format(x))")
            return nil
        }
        return x
    }

    /// A whole number.
    func integer() -> Int? {
        guard case .scalar(let s) = node, !isNull, let n = Int(s.string) else {
            wrongType("a whole number")
            return nil
        }
        return n
    }

    /// A whole number in a range.
    func integer(in range: ClosedRange<Int>) -> Int? {
        guard let n = integer() else { return nil }
        guard range.contains(n) else {
            fail(.badValue, "must be from \(range.lowerBound) to \(range.upperBound), found \(n)")
            return nil
        }
        return n
    }

    /// `true` or `false`.
    func bool() -> Bool? {
        guard case .scalar(let s) = node, !isNull else {
            wrongType("true or false")
            return nil
        }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            wrongType("true or false")
            return nil
        }
    }

    /// One of a fixed set of words.
    func oneOf<T>(_ options: KeyValuePairs<String, T>, what: String) -> T? {
        oneOf(options.map { ($0.key, $0.value) }, what: what)
    }

    private func oneOf<T>(_ options: [(key: String, value: T)], what: String) -> T? {
        guard let s = string() else { return nil }
        if let hit = options.first(where: { $0.key == s }) { return hit.value }
        let keys = options.map(\.key)
        let hint =
            suggestion(for: s, among: keys).map { "did you mean '\($0)'?" } ?? "one of: " + keys.joined(separator: ", ")
        fail(.badValue, "unknown \(what) '\(s)'", hint: hint)
        return nil
    }

    /// One of the words of an enumeration whose raw values are the format's words.
    func oneOf<T: CaseIterable & RawRepresentable>(_ type: T.Type, what: String) -> T? where T.RawValue == String {
        let cases = Array(type.allCases)
        return oneOf(cases.map { (key: $0.rawValue, value: $0) }, what: what)
    }

    /// A date `YYYY-MM-DD`.
    func date() -> CivilDate? {
        guard let s = string() else { return nil }
        guard let d = CivilDate(parsing: s) else {
            fail(.badValue, "'\(s)' is not a date of the form YYYY-MM-DD that exists")
            return nil
        }
        return d
    }

    /// A time of day `HH:MM`.
    func timeOfDay() -> TimeOfDay? {
        guard let s = string() else { return nil }
        guard let t = TimeOfDay(parsing: s) else {
            fail(.badValue, "'\(s)' is not a time of day HH:MM")
            return nil
        }
        return t
    }

    /// A date and time `YYYY-MM-DDTHH:MM` or a date.
    func instant() -> Instant? {
        guard let s = string() else { return nil }
        guard let t = Instant(parsing: s) else {
            fail(.badValue, "'\(s)' is not a time of the form YYYY-MM-DDTHH:MM")
            return nil
        }
        return t
    }

    /// A time limit: `"15 min"`, `"2 h"`, `"3 d"`, `"90 s"` on the wall clock, or `"5 working days"`.
    func timeLimit() -> TimeLimit? {
        guard let s = string() else { return nil }
        let parts = s.split(separator: " ", maxSplits: 1).map(String.init)
        let unit = parts.count == 2 ? parts[1].trimmingWhitespace() : ""
        guard parts.count == 2, let n = Double(parts[0]), n > 0, n.isFinite else {
            fail(.badValue, "'\(s)' is not a time limit", hint: "write e.g. \"15 min\", \"24 h\" or \"5 working days\"")
            return nil
        }
        switch unit {
        case "s": return .wall(seconds: n)
        case "min": return .wall(seconds: n * 60)
        case "h": return .wall(seconds: n * 3600)
        case "d", "day", "days": return .wall(seconds: n * 86_400)
        case "working day", "working days", "wd":
            guard n == n.rounded() else {
                fail(.badValue, "working days are whole days, found \(parts[0])")
                return nil
            }
            return .workingDays(Int(n))
        default:
            let hint = suggestion(for: unit, among: ["s", "min", "h", "d", "working days"]).map {
                "did you mean '\($0)'?"
            }
            fail(
                .badValue,
                "unknown unit '\(unit)' in time limit '\(s)'",
                hint: hint ?? "use s, min, h, d or working days"
            )
            return nil
        }
    }

    private func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}

/// The entries of a mapping that passed the key check.
struct Fields {
    let owner: YAMLValue
    let entries: [(key: String, value: YAMLValue)]

    subscript(key: String) -> YAMLValue? {
        guard let v = entries.first(where: { $0.key == key })?.value, !v.isNull else { return nil }
        return v
    }

    /// Whether the key is present (even with an empty value).
    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
