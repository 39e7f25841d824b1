/// Numbers as people read them in summaries and reports.
package enum NumberText {
    /// A whole number with thousands separators: `375,020`.
    package static func whole(_ x: Double) -> String {
        let n = Int(x.rounded())
        var digits = String(abs(n))
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (n < 0 ? "-" : "") + digits + out
    }
}
