/// The version of the line protocol this server speaks (docs/protocol.md).
package let protocolVersion = 1

/// A protocol error: what was wrong with an input line, for the `error` reply.
package struct LineError: Error, Hashable, Sendable {
    /// A stable code: `malformed_json`, `not_an_object`, `invalid_utf8`, `line_too_long`, `missing_field`,
    /// `wrong_type`, `unknown_event`, `unknown_call`, `out_of_order`, `not_permitted`, `refused`, `hello_first`.
    package var code: String
    package var message: String
    /// The field at fault, if one is.
    package var field: String?

    package init(_ code: String, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }
}

/// One decoded input line: a JSON object with typed accessors that name the field at fault.
package struct LineMessage {
    let object: JSONObject

    /// Decodes a line (without its newline). Invalid UTF-8, bad JSON and non-objects are errors.
    package init(line: [UInt8]) throws(LineError) {
        guard String(validating: line, as: UTF8.self) != nil else {
            throw LineError("invalid_utf8", "the line is not valid UTF-8")
        }
        let parsed: JSONValue
        do {
            parsed = try JSONLine.parse(line)
        } catch {
            throw LineError("malformed_json", "the line is not JSON")
        }
        guard case .object(let object) = parsed else {
            throw LineError("not_an_object", "a line must be one JSON object")
        }
        self.object = object
    }

    /// The event's name.
    package func event() throws(LineError) -> String { try string("event") }

    /// The event's idempotency id, if it has one (a string or an integer).
    package var eventID: String? {
        switch object["id"] {
        case .string(let s): s
        case .number(let n, true): n.magnitude < 1e15 ? String(Int64(n)) : String(n)
        default: nil
        }
    }

    package func has(_ key: String) -> Bool {
        switch object[key] {
        case nil, .null: false
        default: true
        }
    }

    package func string(_ key: String) throws(LineError) -> String {
        guard let value = object[key], value != .null else {
            throw LineError("missing_field", "'\(key)' is required", field: key)
        }
        guard case .string(let s) = value else {
            throw LineError("wrong_type", "'\(key)' must be a string", field: key)
        }
        guard !s.isEmpty else { throw LineError("wrong_type", "'\(key)' must not be empty", field: key) }
        return s
    }

    package func optionalString(_ key: String) throws(LineError) -> String? {
        has(key) ? try string(key) : nil
    }

    package func bool(_ key: String, default value: Bool) throws(LineError) -> Bool {
        guard has(key) else { return value }
        guard case .bool(let b) = object[key] else {
            throw LineError("wrong_type", "'\(key)' must be true or false", field: key)
        }
        return b
    }

    package func int(_ key: String) throws(LineError) -> Int? {
        guard has(key) else { return nil }
        guard case .number(let n, _) = object[key], n == n.rounded(), n.magnitude < 1e15 else {
            throw LineError("wrong_type", "'\(key)' must be an integer", field: key)
        }
        return Int(n)
    }

    /// A number, integer or not; `nil` when absent.
    package func double(_ key: String) throws(LineError) -> Double? {
        guard has(key) else { return nil }
        guard case .number(let n, _) = object[key], n.isFinite else {
            throw LineError("wrong_type", "'\(key)' must be a number", field: key)
        }
        return n
    }

    /// Whether `key` holds a number (rather than a string or anything else).
    package func isNumber(_ key: String) -> Bool {
        if case .number = object[key] { return true }
        return false
    }

    package func strings(_ key: String) throws(LineError) -> [String] {
        guard has(key) else { return [] }
        guard case .array(let list) = object[key] else {
            throw LineError("wrong_type", "'\(key)' must be a list of strings", field: key)
        }
        var result: [String] = []
        for item in list {
            guard case .string(let s) = item else {
                throw LineError("wrong_type", "'\(key)' must be a list of strings", field: key)
            }
            result.append(s)
        }
        return result
    }

    /// The value of `key`, which must be one of `allowed`.
    package func choice(_ key: String, _ allowed: [String]) throws(LineError) -> String {
        let s = try string(key)
        guard allowed.contains(s) else {
            throw LineError("wrong_type", "'\(key)' must be one of \(allowed.joined(separator: ", "))", field: key)
        }
        return s
    }
}

/// An output line under construction: keys in the order they are added, values escaped as JSON, the
/// bytes written straight into one buffer.
package struct OutputLine {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]

    package init() { bytes.reserveCapacity(160) }

    package init(_ kind: String, _ name: String) {
        self.init()
        add(kind, name)
    }

    private mutating func key(_ key: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        Self.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    package mutating func add(_ key: String, _ value: String) {
        self.key(key)
        Self.appendQuoted(value, to: &bytes)
    }

    package mutating func add(_ key: String, _ value: Int) {
        self.key(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func add(_ key: String, _ value: Bool) {
        self.key(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    package mutating func add(_ key: String, _ value: Double) {
        self.key(key)
        bytes.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
    }

    package mutating func add(_ key: String, _ values: [String]) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (k, v) in values.enumerated() {
            if k > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendQuoted(v, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Adds pre-encoded JSON.
    package mutating func add(_ key: String, raw json: String) {
        self.key(key)
        bytes.append(contentsOf: json.utf8)
    }

    package mutating func add(_ key: String, _ value: String?) { if let value { add(key, value) } }

    /// The line's bytes, without its newline.
    package var encoded: [UInt8] { bytes + [UInt8(ascii: "}")] }

    /// The line, without its newline.
    package var text: String { String(decoding: encoded, as: UTF8.self) }

    /// A JSON string literal.
    package static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // The common case: nothing to escape.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: utf8)
                return
            }
            for b in utf8 {
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case ..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: Array("\\u00".utf8))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
