package import Foundation
package import HotlineSimulation

/// Reads back the JSON that `hotline simulate --json` prints (`SummaryFormat.json`): the run's
/// summary, whose `periods` a bulletin or an assessment is written from. Keys it does not know are
/// ignored, so a run written by a newer hotline with more figures still reads.
package enum RunFile {
    /// Why a file is not a run.
    package struct NotARun: Error, CustomStringConvertible {
        /// What is wrong, in plain words: `no key 'periods'`, `not JSON`.
        package var reason: String
        package var description: String { reason }
    }

    /// The summary in the JSON of a run.
    /// - Throws: `NotARun`, saying what is missing or malformed and where.
    package static func summary(from data: Data) throws(NotARun) -> SimulationSummary {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom(Self.key)
        do {
            return try decoder.decode(SimulationSummary.self, from: data)
        } catch let error as DecodingError {
            throw NotARun(reason: reason(error))
        } catch {
            throw NotARun(reason: "\(error)")
        }
    }

    /// The inverse of the encoder's `convertToSnakeCase`, where Foundation's `convertFromSnakeCase` is
    /// not: the keys of dictionaries keyed by data (`findings`, `dispositions`) are not property names
    /// and stay as written (the encoder leaves them so), and properties named with an initialism
    /// (`caseID`) come back with it.
    static func key(_ path: [any CodingKey]) -> any CodingKey {
        let key = path.last!.stringValue
        if path.count >= 2, dataKeyed.contains(path[path.count - 2].stringValue) { return Key(key) }
        if let exact = initialisms[key] { return Key(exact) }
        return Key(camelCase(key))
    }

    /// Dictionaries keyed by data rather than by property names.
    static let dataKeyed: Set<String> = ["findings", "dispositions"]

    /// Properties whose names hold an initialism, by their snake_case key.
    static let initialisms = ["case_id": "caseID", "cases_ci95": "casesCI95"]

    /// `reply_working_days_mean` → `replyWorkingDaysMean`.
    static func camelCase(_ key: String) -> String {
        let parts = key.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count > 1, !parts.contains(where: \.isEmpty) else { return key }
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A decoding error in plain words, with the place in the document as the file writes it.
    static func reason(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? "." + snakeCase($0.stringValue) }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = context.codingPath.isEmpty ? "" : " in \(place(context.codingPath))"
            return "no key '\(snakeCase(key.stringValue))'\(at)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(place(context.codingPath)) is not what a run writes there"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "\(place(context.codingPath)) is malformed"
        @unknown default:
            return "\(error)"
        }
    }

    /// `caseID` → `case_id`, `replyWorkingDaysMean` → `reply_working_days_mean` (for messages).
    static func snakeCase(_ key: String) -> String {
        if let written = initialisms.first(where: { $0.value == key })?.key { return written }
        var out = ""
        for c in key {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
