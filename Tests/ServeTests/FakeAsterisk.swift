import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A scripted Asterisk on the FastAGI side: it connects to `hotline serve --fastagi`, sends the header
/// and replies, and reads the commands hotline sends, as a real Asterisk 22 does.
final class FakeAsterisk {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(address: String) throws {
        let port = UInt16(address.split(separator: ":").last!)!
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard r == 0 else { throw ServeTestError("cannot connect to \(address): errno \(errno)") }
    }

    deinit { Glibc.close(fd) }

    /// Sends raw bytes as one line.
    func send(bytes: [UInt8]) {
        let all = bytes + [10]
        var offset = 0
        while offset < all.count {
            let n = all[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    func send(_ line: String) { send(bytes: Array(line.utf8)) }

    /// The header block of a FastAGI session (with `agi_network` before it), ended by an empty line.
    func header(
        uniqueID: String, callerID: String = "13800138000", name: [UInt8] = Array("张三".utf8),
        script: String = "hotline", arguments: [String] = []
    ) {
        send("agi_network: yes")
        send("agi_network_script: \(script)")
        send("agi_request: agi://127.0.0.1:4573/\(script)")
        send("agi_channel: PJSIP/trunk-\(uniqueID)")
        send("agi_language: en")
        send("agi_type: PJSIP")
        send("agi_uniqueid: \(uniqueID)")
        send("agi_version: 22.10.1")
        send("agi_callerid: \(callerID)")
        send(bytes: Array("agi_calleridname: ".utf8) + name)
        send("agi_callingpres: 0")
        send("agi_dnid: 12345")
        send("agi_context: hotline-in")
        send("agi_extension: 12345")
        send("agi_priority: 1")
        send("agi_enhanced: 0.0")
        send("agi_accountcode: ")
        for (i, a) in arguments.enumerated() { send("agi_arg_\(i + 1): \(a)") }
        send("")
    }

    /// The next line hotline sends; nil at the end of the stream or after `timeout` seconds.
    func next(timeout: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return nil }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(left * 1000)) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 8192)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// Whether hotline closed the connection (with nothing more to read) within `timeout` seconds.
    func closed(timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            if !buffer.isEmpty { return false }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(deadline.timeIntervalSinceNow * 1000)) > 0 else { return false }
            var chunk = [UInt8](repeating: 0, count: 8192)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return true }
            buffer.append(contentsOf: chunk[0..<n])
        }
        return false
    }

    /// Whether `line` matches `pattern`, where `*` stands for any text.
    static func matches(_ line: String, _ pattern: String) -> Bool {
        let parts = pattern.components(separatedBy: "*")
        guard parts.count > 1 else { return line == pattern }
        guard line.hasPrefix(parts[0]) else { return false }
        var rest = Substring(line.dropFirst(parts[0].count))
        for (i, part) in parts.dropFirst().enumerated() {
            if i == parts.count - 2 { return part.isEmpty || rest.hasSuffix(part) }
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }

    /// Reads the next command and checks it against `pattern`.
    @discardableResult
    func expect(_ pattern: String, timeout: Double = 10) throws -> String {
        guard let line = next(timeout: timeout) else {
            throw ServeTestError("expected '\(pattern)', got nothing")
        }
        guard Self.matches(line, pattern) else { throw ServeTestError("expected '\(pattern)', got '\(line)'") }
        return line
    }

    /// The call is answered: ANSWER, then the call's id set on the channel.
    func answer() throws {
        try expect("ANSWER")
        send("200 result=0")
        try expect("SET VARIABLE HOTLINE_CALL *")
        send("200 result=1")
    }

    /// Answered, and the greeting played to its end.
    func throughGreeting() throws {
        try answer()
        try expect(#"STREAM FILE hotline/zh/greeting """#)
        send("200 result=0 endpos=24000")
    }

    /// Answers the IVR's prompts and holding commands the way an idle caller's channel does (a prompt
    /// played to its end, music on, no digit) until a command matching `pattern` comes; returns it.
    @discardableResult
    func answerUntil(_ pattern: String, timeout: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let line = next(timeout: deadline.timeIntervalSinceNow) else { break }
            if Self.matches(line, pattern) { return line }
            if line.hasPrefix("STREAM FILE") {
                send("200 result=0 endpos=8000")
            } else if line.hasPrefix("WAIT FOR DIGIT") {
                send("200 result=0")
            } else if line.hasPrefix("SET MUSIC") || line.hasPrefix("SET VARIABLE") {
                send("200 result=0")
            } else {
                throw ServeTestError("while waiting for '\(pattern)': unexpected '\(line)'")
            }
        }
        throw ServeTestError("'\(pattern)' never came")
    }

    /// Plays a recorded exchange: `A: line` Asterisk sends (`\xHH` for a raw byte), `H: pattern` hotline
    /// must send next, `H~ pattern` hotline sends after any number of prompts and digit waits,
    /// `CLOSED` hotline closes the connection; `#` comments.
    func play(transcript text: String, name: String) throws {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let at = "\(name):\(number + 1)"
            do {
                if line.hasPrefix("A:") {
                    send(bytes: Self.bytes(String(line.dropFirst(2).drop { $0 == " " })))
                } else if line == "A" {
                    send("")
                } else if line.hasPrefix("H:") {
                    try expect(String(line.dropFirst(2).drop { $0 == " " }))
                } else if line.hasPrefix("H~") {
                    try answerUntil(String(line.dropFirst(2).drop { $0 == " " }))
                } else if line == "CLOSED" {
                    guard closed() else { throw ServeTestError("hotline did not close the connection") }
                } else {
                    throw ServeTestError("not a transcript line")
                }
            } catch {
                throw ServeTestError("\(at): \(error)")
            }
        }
    }

    /// A transcript's text with `\xHH` escapes turned into bytes.
    static func bytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count, utf8[i + 1] == UInt8(ascii: "x"),
                let b = UInt8(String(decoding: utf8[(i + 2)...(i + 3)], as: UTF8.self), radix: 16)
            {
                out.append(b)
                i += 4
            } else {
                out.append(utf8[i])
                i += 1
            }
        }
        return out
    }
}
