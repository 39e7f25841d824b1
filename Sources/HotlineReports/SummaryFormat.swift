internal import Foundation
package import HotlineSimulation

/// Renders a simulation summary as JSON, a terminal table, CSV files or an HTML report.
package enum SummaryFormat {
    /// One JSON document, keys sorted, so the same run prints the same bytes.
    package static func json(_ summary: SimulationSummary) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }
}
