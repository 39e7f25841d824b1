/// A JSON value of an input line.
package enum JSONValue: Equatable {
    case string(String)
    /// A number, with whether it was written as an integer (no fraction, no exponent).
    case number(Double, integer: Bool)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Members in the order written. Lines hold a handful of keys: a scan beats hashing them.
    case object(JSONObject)
}

/// The members of a JSON object, in order; a key written twice means its last value.
package struct JSONObject: Equatable {
    package var members: [(key: String, value: JSONValue)] = []

    package init(_ members: [(key: String, value: JSONValue)] = []) { self.members = members }

    package subscript(key: String) -> JSONValue? {
        for m in members.reversed() where m.key == key { return m.value }
        return nil
    }

    package static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.dictionary == b.dictionary
    }

    /// The members as a dictionary (last value of a repeated key).
    package var dictionary: [String: JSONValue] {
        var d: [String: JSONValue] = [:]
        for m in members { d[m.key] = m.value }
        return d
    }
}

/// A strict JSON parser (RFC 8259) for one input line, over its bytes.
///
/// The line protocol parses tens of thousands of small objects a second: this reads them straight into
/// `JSONValue`, without Foundation's bridged dictionaries and dynamic casts. Nesting is limited, so a
/// hostile line cannot exhaust the stack; duplicate keys keep the last value.
package struct JSONLine {
    /// Why a line is not JSON.
    package struct Malformed: Error {}

    private let bytes: [UInt8]
    private var i = 0
    private static let maxDepth = 64

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a whole line (UTF-8 already checked by the caller).
    package static func parse(_ bytes: [UInt8]) throws(Malformed) -> JSONValue {
        var p = JSONLine(bytes)
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.bytes.count else { throw Malformed() }
        return value
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    private mutating func value(depth: Int) throws(Malformed) -> JSONValue {
        guard i < bytes.count, depth < Self.maxDepth else { throw Malformed() }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Malformed) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw Malformed() }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw Malformed() }
        i += n
    }

    private mutating func object(depth: Int) throws(Malformed) -> JSONValue {
        i += 1
        var result = JSONObject()
        result.members.reserveCapacity(8)
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(result)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Malformed() }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw Malformed() }
            i += 1
            skipSpace()
            result.members.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard i < bytes.count else { throw Malformed() }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "}") else { throw Malformed() }
            i += 1
            return .object(result)
        }
    }

    private mutating func array(depth: Int) throws(Malformed) -> JSONValue {
        i += 1
        var result: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(result)
        }
        while true {
            skipSpace()
            result.append(try value(depth: depth + 1))
            skipSpace()
            guard i < bytes.count else { throw Malformed() }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "]") else { throw Malformed() }
            i += 1
            return .array(result)
        }
    }

    private mutating func string() throws(Malformed) -> String {
        i += 1
        let start = i
        // The common case: no escapes.
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                defer { i += 1 }
                return String(decoding: bytes[start..<i], as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") { break }
            guard b >= 0x20 else { throw Malformed() }
            i += 1
        }
        var out = Array(bytes[start..<i])
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard b >= 0x20 else { throw Malformed() }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                continue
            }
            guard i < bytes.count else { throw Malformed() }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by a low one.
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                    else { throw Malformed() }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw Malformed() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw Malformed()
                }
                guard let u = Unicode.Scalar(scalar) else { throw Malformed() }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw Malformed()
            }
        }
        throw Malformed()
    }

    private mutating func hex4() throws(Malformed) -> UInt32 {
        guard i + 4 <= bytes.count else { throw Malformed() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            i += 1
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw Malformed()
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    private mutating func number() throws(Malformed) -> JSONValue {
        let start = i
        var integer = true
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw Malformed() }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            integer = false
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw Malformed() }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integer = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw Malformed() }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        guard let d = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { throw Malformed() }
        return .number(d, integer: integer)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
