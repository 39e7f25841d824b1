/// Identifiers and instants encode as their plain value (`"0451-PSB"`, `1767225600`), so that a stored
/// case or an event on the wire reads as the domain writes it.
package protocol PlainStringIdentifier: Codable {
    var rawValue: String { get }
    init(_ rawValue: String)
}

extension PlainStringIdentifier {
    package init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension UnitID: PlainStringIdentifier {}
extension TerritoryID: PlainStringIdentifier {}
extension CategoryCode: PlainStringIdentifier {}
extension DeadlineClassID: PlainStringIdentifier {}
extension CaseID: PlainStringIdentifier {}

extension Instant: Codable {
    package init(from decoder: any Decoder) throws {
        self.init(seconds: try decoder.singleValueContainer().decode(Double.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }
}
