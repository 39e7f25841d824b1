/// Art. 15: caller numbers and complaint texts never leave the store unmasked in logs, lists or reports.
package enum Confidential {
    /// A phone number with all but its first three and last two digits hidden: `138******00`.
    /// Numbers of five characters or fewer are hidden whole.
    package static func number(_ number: String) -> String {
        let chars = Array(number)
        guard chars.count > 5 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 5) + String(chars.suffix(2))
    }

    /// A complaint text reduced to its length: the text itself is not shown.
    package static func text(_ text: String) -> String {
        text.isEmpty ? "" : "[\(text.count) characters withheld, Art. 15]"
    }
}
