/// A citation of the regulation: `Art. 10(8)` is article 10, item 8.
///
/// Rules in the core name the article they implement, and so do their errors, so that a refused
/// transition tells an operator or an integrator which rule refused it.
package struct Article: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The article number, 1 to 17.
    package var number: Int
    /// The numbered item inside the article, if any.
    package var item: Int?

    package init(_ number: Int, _ item: Int? = nil) {
        self.number = number
        self.item = item
    }

    package var description: String {
        if let item { return "Art. \(number)(\(item))" }
        return "Art. \(number)"
    }
}
