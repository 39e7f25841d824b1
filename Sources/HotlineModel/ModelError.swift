/// A problem in a model file, placed at its file, line, column and field.
package struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem; callers and tests switch on it.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        package let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        package static let unreadable = Code("unreadable")
        package static let syntax = Code("syntax")
        package static let unknownKey = Code("unknown-key")
        package static let missingKey = Code("missing-key")
        package static let wrongType = Code("wrong-type")
        package static let badValue = Code("bad-value")
        package static let sharesDoNotSum = Code("shares-do-not-sum")
        package static let unknownReference = Code("unknown-reference")
        package static let duplicate = Code("duplicate")
        package static let parentCycle = Code("parent-cycle")
        package static let missingParent = Code("missing-parent")
        package static let noDutyLine = Code("no-duty-line")
        package static let network = Code("network")
        package static let shiftTable = Code("shift-table")
        package static let calendar = Code("calendar")
        package static let unsupportedVersion = Code("unsupported-version")
        /// Not an error: something the user should know (a year outside the calendar, …).
        package static let warning = Code("warning")
    }

    package var code: Code
    /// The file as the user named it.
    package var file: String
    /// 1-based line; 0 when the problem concerns the whole file.
    package var line: Int
    /// 1-based column (in Unicode scalars); 0 when unknown.
    package var column: Int
    /// The field path, such as `network.units[3].duty_lines.count`; empty for the whole document.
    package var field: String
    package var message: String
    /// A suggestion ("did you mean 'threshold_s'?").
    package var hint: String?

    package init(
        _ code: Code,
        file: String,
        line: Int,
        column: Int,
        field: String,
        message: String,
        hint: String? = nil
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        self.hint = hint
    }

    /// `file:line:column: field: message (hint)`, the form compilers use, so editors can jump to it.
    package var description: String {
        var place = file
        if line > 0 { place += ":\(line)" }
        if column > 0 { place += ":\(column)" }
        var text = "\(place): "
        if !field.isEmpty { text += "\(field): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// A model that did not load: every error found, in file order.
package struct ModelLoadFailure: Error, Sendable, CustomStringConvertible {
    package var errors: [ModelError]
    package var warnings: [ModelError]

    package var description: String { errors.map(\.description).joined(separator: "\n") }
}
