internal import Foundation
internal import Yams

/// Reads one YAML file into a node tree, turning I/O and syntax failures into placed errors.
enum ModelDocument {
    /// The most bytes a model file may have; a city model is a few hundred kilobytes.
    static let maximumSize = 16 << 20

    /// Parses the file at `path` (shown to the user as `shownPath`).
    static func parse(path: String, shownPath: String, diagnostics: Diagnostics) -> YAMLValue? {
        func unreadable(_ message: String) -> YAMLValue? {
            diagnostics.error(ModelError(.unreadable, file: shownPath, line: 0, column: 0, field: "", message: message))
            return nil
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return unreadable("no such file")
        }
        if isDirectory.boolValue { return unreadable("is a directory with no model.yaml") }
        guard let data = FileManager.default.contents(atPath: path) else {
            return unreadable("cannot be read (permissions?)")
        }
        guard data.count <= maximumSize else {
            return unreadable("is \(data.count) bytes; a model file may have at most \(maximumSize)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = firstInvalidUTF8Offset(data)
            let line = data.prefix(offset).filter { $0 == 10 }.count + 1
            diagnostics.error(
                ModelError(
                    .syntax,
                    file: shownPath,
                    line: line,
                    column: 0,
                    field: "",
                    message: "the file is not valid UTF-8 (byte \(offset))"
                )
            )
            return nil
        }
        if text.contains("\0") { return unreadable("holds a NUL byte: not a text file") }
        return parse(text: text, file: shownPath, diagnostics: diagnostics)
    }

    /// Parses YAML text; `file` is the name used in errors.
    static func parse(text: String, file: String, diagnostics: Diagnostics) -> YAMLValue? {
        do {
            // The basic resolver tags every plain scalar as text: the model reads numbers, booleans and
            // nulls itself (YAMLValue), and Yams' default resolver would compile a dozen ICU regular
            // expressions on every start, a tenth of a short run's CPU time.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                diagnostics.error(
                    ModelError(.missingKey, file: file, line: 1, column: 1, field: "", message: "the file is empty")
                )
                return nil
            }
            return YAMLValue(node: node, path: "", file: file, diagnostics: diagnostics)
        } catch let error as YamlError {
            diagnostics.error(syntaxError(error, file: file))
        } catch {
            diagnostics.error(ModelError(.syntax, file: file, line: 0, column: 0, field: "", message: "\(error)"))
        }
        return nil
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ModelError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return ModelError(.syntax, file: file, line: mark.line, column: mark.column, field: "", message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ModelError(
                .duplicate,
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                field: "",
                message: "duplicate key " + Set(duplicates).sorted().map { "'\($0)'" }.joined(separator: ", ")
                    + " in one mapping"
            )
        case .reader(let problem, _, _, _):
            return ModelError(
                .syntax,
                file: file,
                line: 0,
                column: 0,
                field: "",
                message: "cannot read the file: \(problem)"
            )
        default:
            return ModelError(.syntax, file: file, line: 0, column: 0, field: "", message: "YAML error: \(error)")
        }
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return i
    }
}
