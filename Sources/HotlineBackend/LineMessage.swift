internal import Foundation

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
    let object: [String: Any]

    /// Decodes a line (without its newline). Invalid UTF-8, bad JSON and non-objects are errors.
    package init(line: [UInt8]) throws(LineError) {
        guard String(validating: line, as: UTF8.self) != nil else {
            throw LineError("invalid_utf8", "the line is not valid UTF-8")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
        } catch {
            throw LineError("malformed_json", "the line is not JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw LineError("not_an_object", "a line must be one JSON object")
        }
        self.object = object
    }

    init(object: [String: Any]) { self.object = object }

    /// The event's name.
    package func event() throws(LineError) -> String { try string("event") }

    /// The event's idempotency id, if it has one (a string or an integer).
    package var eventID: String? {
        switch object["id"] {
        case let s as String: s
        case let n as NSNumber where !Self.isBoolean(n): n.stringValue
        default: nil
        }
    }

    /// JSON `true`/`false` arrive as NSNumber of type `char`; `1` bridges to `Bool` too, so the type decides.
    private static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    package func has(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

    package func string(_ key: String) throws(LineError) -> String {
        guard let value = object[key], !(value is NSNull) else {
            throw LineError("missing_field", "'\(key)' is required", field: key)
        }
        guard let s = value as? String else {
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
        guard let n = object[key] as? NSNumber, Self.isBoolean(n) else {
            throw LineError("wrong_type", "'\(key)' must be true or false", field: key)
        }
        return n.boolValue
    }

    package func int(_ key: String) throws(LineError) -> Int? {
        guard has(key) else { return nil }
        guard let n = object[key] as? NSNumber, !Self.isBoolean(n),
            let i = Int(exactly: n.doubleValue)
        else {
            throw LineError("wrong_type", "'\(key)' must be an integer", field: key)
        }
        return i
    }

    package func strings(_ key: String) throws(LineError) -> [String] {
        guard has(key) else { return [] }
        guard let list = object[key] as? [Any], let strings = list as? [String] else {
            throw LineError("wrong_type", "'\(key)' must be a list of strings", field: key)
        }
        return strings
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

/// An output line under construction: keys written in a fixed order, values escaped as JSON.
package struct OutputLine {
    private var parts: [String] = []

    package init() {}

    package init(_ kind: String, _ name: String) { add(kind, name) }

    package mutating func add(_ key: String, _ value: String) {
        parts.append(Self.quote(key) + ":" + Self.quote(value))
    }
    package mutating func add(_ key: String, _ value: Int) { parts.append(Self.quote(key) + ":" + String(value)) }
    package mutating func add(_ key: String, _ value: Bool) {
        parts.append(Self.quote(key) + ":" + (value ? "true" : "false"))
    }
    package mutating func add(_ key: String, _ value: Double) {
        parts.append(Self.quote(key) + ":" + (value.isFinite ? String(value) : "null"))
    }
    package mutating func add(_ key: String, _ values: [String]) {
        parts.append(Self.quote(key) + ":[" + values.map(Self.quote).joined(separator: ",") + "]")
    }
    /// Adds pre-encoded JSON.
    package mutating func add(_ key: String, raw json: String) { parts.append(Self.quote(key) + ":" + json) }
    package mutating func add(_ key: String, _ value: String?) { if let value { add(key, value) } }

    /// The line, without its newline.
    package var text: String { "{" + parts.joined(separator: ",") + "}" }

    /// A JSON string literal.
    package static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
