/// Art. 15: caller numbers and complaint texts never leave the store unmasked in logs, lists or reports.
package enum Confidential {
    /// A phone number with its middle hidden, as the centre's guidance writes it: a mobile number keeps
    /// its first three and last four digits (`139****1234`), a shorter number its first and last two;
    /// five characters or fewer are hidden whole.
    package static func number(_ number: String) -> String {
        let chars = Array(number)
        switch chars.count {
        case ...5: return String(repeating: "*", count: chars.count)
        case 6...10:
            return String(chars.prefix(2)) + String(repeating: "*", count: chars.count - 4) + String(chars.suffix(2))
        default:
            return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
        }
    }

    /// A complaint text reduced to its length: the text itself is not shown.
    package static func text(_ text: String) -> String {
        // Not even its length: that tells something about the complaint too.
        text.isEmpty ? "" : "[withheld, Art. 15]"
    }
}
