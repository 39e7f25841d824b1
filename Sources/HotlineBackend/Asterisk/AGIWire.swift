internal import Foundation

/// The `agi_*` header block Asterisk sends at the start of every AGI session, ended by an empty line.
///
/// Values are decoded leniently: Asterisk passes the caller's name as raw bytes and cuts it at 80 bytes,
/// which may fall in the middle of a character. A character cut at the end is dropped (the name ends
/// with its last whole character); a bad byte elsewhere becomes U+FFFD and the rest is kept.
package struct AGIHeader: Sendable, Equatable {
    /// `agi_request` → its value, and so on, in the order received (a repeated name keeps its last value).
    package private(set) var fields: [String: String] = [:]
    /// Lines that were not `name: value`.
    package private(set) var malformedLines = 0

    package init() {}

    /// Adds one header line; false when the line is not `name: value`.
    @discardableResult
    package mutating func add(line: [UInt8]) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            malformedLines += 1
            return false
        }
        let name = String(decoding: line[..<colon], as: UTF8.self).trimmingSpaces
        var start = line.index(after: colon)
        while start < line.endIndex, line[start] == UInt8(ascii: " ") { start += 1 }
        let value = line[start...]
        fields[name] = String(decoding: value.dropLast(Self.cutCharacterLength(value)), as: UTF8.self)
        return true
    }

    /// How many bytes at the end of `bytes` are the start of a UTF-8 character cut short (0 when the
    /// last character is whole, or the bytes are not UTF-8 there at all).
    static func cutCharacterLength(_ bytes: ArraySlice<UInt8>) -> Int {
        var continuations = 0
        var i = bytes.endIndex
        while i > bytes.startIndex, continuations < 3, bytes[i - 1] & 0xC0 == 0x80 {
            continuations += 1
            i -= 1
        }
        guard i > bytes.startIndex else { return 0 }
        let lead = bytes[i - 1]
        let length =
            switch lead {
            case 0xC2...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF4: 4
            default: 0
            }
        return continuations + 1 < length ? continuations + 1 : 0
    }

    package subscript(name: String) -> String? { fields[name] }

    /// The value, or `nil` when absent, empty or Asterisk's `unknown`.
    package func known(_ name: String) -> String? {
        guard let v = fields[name], !v.isEmpty, v != "unknown" else { return nil }
        return v
    }

    /// The script path of a FastAGI request: `agi_network_script`, or the path of `agi_request`'s URL.
    package var script: String {
        if let s = fields["agi_network_script"] { return s }
        guard let request = fields["agi_request"] else { return "" }
        if let scheme = request.range(of: "://") {
            let rest = request[scheme.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return "" }
            return String(rest[rest.index(after: slash)...])
        }
        return request
    }

    /// The query of the script (`hotline?leg=x&failed=1` → `["leg": "x", "failed": "1"]`), percent-decoded.
    package var query: [String: String] {
        let script = self.script
        guard let mark = script.firstIndex(of: "?") else { return [:] }
        var out: [String: String] = [:]
        for pair in script[script.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).percentDecoded
            guard !key.isEmpty else { continue }
            out[key] = parts.count > 1 ? String(parts[1]).percentDecoded : ""
        }
        return out
    }

    /// The script's extra arguments, `agi_arg_1`, `agi_arg_2` … in order.
    package var arguments: [String] {
        var out: [String] = []
        var i = 1
        while let v = fields["agi_arg_\(i)"] {
            out.append(v)
            i += 1
        }
        return out
    }
}

/// One reply of Asterisk to an AGI command.
package struct AGIReply: Sendable, Equatable {
    /// 200, or 510 (unknown command), 511 (not permitted on a dead channel), 520 (bad syntax).
    package var code: Int
    /// What follows `result=` (a number, or the digits of `GET DATA`).
    package var result: String
    /// The text in parentheses after the result (`timeout`, a variable's value), if any.
    package var data: String?
    /// `endpos=`: the sample where a prompt stopped.
    package var endpos: Int?
    /// The reply's text after the code, for logs (one line; a multi-line 520 keeps its first line).
    package var text: String

    package init(code: Int, result: String = "", data: String? = nil, endpos: Int? = nil, text: String = "") {
        self.code = code
        self.result = result
        self.data = data
        self.endpos = endpos
        self.text = text
    }

    /// The result as a number (`-1`, `0`, `49` …).
    package var number: Int? { Int(result) }

    /// Parses one reply line (`200 result=1 (张三)`, `510 Invalid or unknown command`); `nil` when the line
    /// is not a reply.
    package init?(line: [UInt8]) {
        guard line.count >= 3, line[0...2].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        code = Int(line[0...2].reduce(0) { $0 * 10 + Int($1 - 0x30) })
        guard line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-") else { return nil }
        let rest = line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : ""
        text = rest
        result = ""
        guard code == 200 else { return }
        guard rest.hasPrefix("result=") else { return nil }
        var tail = rest.dropFirst("result=".count)
        let end = tail.firstIndex(of: " ") ?? tail.endIndex
        result = String(tail[..<end])
        tail = tail[end...].drop { $0 == " " }
        // `(data)` may hold spaces and parentheses of its own: it runs to the last `)` before `endpos=`
        // or the end of the line.
        if tail.hasPrefix("(") {
            let upTo = tail.range(of: " endpos=", options: .backwards)?.lowerBound ?? tail.endIndex
            if let close = tail[..<upTo].lastIndex(of: ")") {
                data = String(tail[tail.index(after: tail.startIndex)..<close])
                tail = tail[tail.index(after: close)...].drop { $0 == " " }
            }
        }
        if tail.hasPrefix("endpos=") {
            endpos = Int(tail.dropFirst("endpos=".count).prefix { $0 != " " })
        }
    }
}

/// What comes from Asterisk after the header block: a reply, or a hangup report.
package enum AGIInput: Sendable, Equatable {
    case reply(AGIReply)
    /// A bare `HANGUP` line: the channel hung up. It is not the reply to any command, and may come
    /// before the reply of the command in flight.
    case hangup
    /// A line that is neither (logged, and the session ends: replies can no longer be matched).
    case garbage(String)
}

/// Reads Asterisk's lines after the header into replies and hangup reports: a `520-` block is read to
/// its closing `520 ` line and gives one reply.
package struct AGIReplyReader: Sendable {
    private var block: AGIReply?
    private var blockLines = 0

    package init() {}

    /// One line (without its newline); `nil` while a multi-line reply is still open.
    package mutating func take(_ line: [UInt8]) -> AGIInput? {
        if var open = block {
            // Inside `520-…`: everything up to the line that starts `520 ` is usage text.
            if line.count >= 4, line.starts(with: Array("520 ".utf8)) {
                block = nil
                open.text += " / " + String(decoding: line[4...], as: UTF8.self)
                return .reply(open)
            }
            blockLines += 1
            if blockLines > 200 {
                block = nil
                return .garbage("a 520 block of more than 200 lines")
            }
            return nil
        }
        if line == Array("HANGUP".utf8) { return .hangup }
        if line.count >= 4, line.starts(with: Array("520-".utf8)) {
            block = AGIReply(code: 520, text: String(decoding: line[4...], as: UTF8.self))
            blockLines = 0
            return nil
        }
        guard let reply = AGIReply(line: line) else {
            return .garbage(String(decoding: line.prefix(120), as: UTF8.self))
        }
        return .reply(reply)
    }
}

/// Builds AGI command lines: words separated by spaces, an argument with spaces, quotes or
/// backslashes quoted and escaped the way Asterisk's `parse_args` reads them.
package enum AGICommandText {
    /// `STREAM FILE hotline/zh/greeting ""`.
    package static func line(_ words: [String], quoting arguments: [String] = []) -> String {
        (words + arguments.map(quoted)).joined(separator: " ")
    }

    /// An argument in double quotes, `"` and `\` escaped, line breaks dropped (a command is one line).
    package static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s where c != "\n" && c != "\r" {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        out.append("\"")
        return out
    }

    /// A name safe to put unquoted into a dialplan argument (a conference room, a channel variable's
    /// value in a call file): letters, digits, `-`, `_`, `.`; anything else becomes `_`.
    package static func token(_ s: String) -> String {
        String(
            s.prefix(80).map { c in
                c.isASCII && (c.isLetter || c.isNumber || "-_.".contains(c)) ? c : "_"
            })
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }

    /// `%41` → `A`, `+` → space; a malformed escape is kept as written.
    fileprivate var percentDecoded: String {
        var bytes: [UInt8] = []
        let utf8 = Array(self.utf8)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b == UInt8(ascii: "%"), i + 2 < utf8.count,
                let v = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(v)
                i += 3
            } else {
                bytes.append(b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
