package import HotlineCore

/// A prepared set of operator actions for a training scenario (`NAME.answers`): one action a line,
/// `SECONDS STEP [key=value | key="a value"]…`, `#` comments (docs/scenarios.md).
///
/// ```
/// # the model answer of three-party-call
/// 12 three_party
/// 70 register category=0204 unit=urban summary="光明小区南门路灯不亮三天"
/// ```
package enum AnswerScript {
    /// Reads a script; a mistake is placed at its line.
    /// - Throws: `ModelLoadFailure` with every problem (`x.answers:3:1: error: step: unknown step 'regiser'`).
    package static func parse(text: String, file: String) throws(ModelLoadFailure) -> [TraineeAction] {
        var actions: [TraineeAction] = []
        var errors: [ModelError] = []
        var last = 0.0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            func fail(_ field: String, _ message: String, hint: String? = nil) {
                errors.append(
                    ModelError(
                        .badValue, file: file, line: i + 1, column: 1, field: field, message: message, hint: hint))
            }
            guard let words = split(String(line)) else {
                fail("", "a quoted value is not closed")
                continue
            }
            guard words.count >= 2, let at = Double(words[0]), at >= 0, at.isFinite else {
                fail("seconds", "a line is SECONDS STEP [key=value]…", hint: "e.g. 12 three_party")
                continue
            }
            guard let step = TrainingScenario.OperatorStep(rawValue: words[1]) else {
                let known = TrainingScenario.OperatorStep.allCases.map(\.rawValue)
                fail(
                    "step", "unknown step '\(words[1])'",
                    hint: suggestion(for: words[1], among: known).map { "did you mean '\($0)'?" }
                        ?? "one of: " + known.joined(separator: ", "))
                continue
            }
            if at < last { fail("seconds", "the script runs forward: \(at) s comes after \(last) s") }
            last = at
            var fields: [String: String] = [:]
            for word in words.dropFirst(2) {
                guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
                    fail("fields", "'\(word)' is not key=value")
                    continue
                }
                fields[String(word[..<eq])] = String(word[word.index(after: eq)...])
            }
            actions.append(TraineeAction(at: at, step: step, fields: fields))
        }
        guard errors.isEmpty else { throw ModelLoadFailure(errors: errors, warnings: []) }
        return actions
    }

    /// Words split on spaces; `key="a value"` keeps its spaces. `nil` when a quote is not closed.
    private static func split(_ line: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var quoted = false
        for c in line {
            if c == "\"" {
                quoted.toggle()
            } else if (c == " " || c == "\t") && !quoted {
                if !word.isEmpty { words.append(word) }
                word = ""
            } else {
                word.append(c)
            }
        }
        guard !quoted else { return nil }
        if !word.isEmpty { words.append(word) }
        return words
    }
}
