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

/// A unit keys a JSON object by its id (`{"gas": …}`), not an array of pairs.
extension UnitID: CodingKeyRepresentable {
    package var codingKey: any CodingKey { AnyStringKey(rawValue) }
    package init?<T: CodingKey>(codingKey: T) { self.init(codingKey.stringValue) }
}

private struct AnyStringKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
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
