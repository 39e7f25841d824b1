internal import ArgumentParser
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// `hotline agi`: classic AGI, a program Asterisk forks per call and talks to over standard input and
/// output. It relays the dialogue to a running `hotline serve --fastagi`, so that one front serves
/// both; Asterisk's SIGHUP (the caller hung up) becomes FastAGI's `HANGUP` line.
struct ClassicAGI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agi",
        abstract: "Classic AGI: relay a call Asterisk forked this program for to hotline serve --fastagi.",
        discussion: """
            In the dialplan: AGI(/usr/local/bin/hotline,agi,--connect,tcp:127.0.0.1:4573). Classic AGI has no
            query string, so what FastAGI says in ?leg=…&failed=1&reason=… or ?priority=emergency is given as
            options here. A hangup (SIGHUP) is passed on as a HANGUP line; the program ends when the server
            closes the session. Exit status 1 when the server cannot be reached (AGISTATUS=FAILURE).
            """
    )

    @Option(name: .long, help: "The FastAGI address of hotline serve: tcp:HOST:PORT or tcp:PORT.")
    var connect = "tcp:127.0.0.1:4573"

    @Flag(name: .long, help: "The call came in on an emergency line: answered before every other caller.")
    var emergency = false

    @Option(name: .long, help: "The token of a leg hotline originated (the call file's HOTLINE_LEG).")
    var leg: String?

    @Flag(name: .long, help: "The leg was not answered (the call file's failed extension).")
    var failed = false

    @Option(name: .long, help: "Asterisk's REASON for a failed leg (3 no answer, 5 busy, 8 congestion).")
    var reason: String?

    func validate() throws {
        guard let address = Self.address(connect) else {
            throw ValidationError("--connect takes tcp:HOST:PORT or tcp:PORT, not '\(connect)'")
        }
        _ = address
        if failed && leg == nil { throw ValidationError("--failed is about a leg: give --leg TOKEN") }
    }

    static func address(_ text: String) -> (host: String, port: UInt16)? {
        guard text.hasPrefix("tcp:") else { return nil }
        let rest = text.dropFirst(4)
        if let port = UInt16(rest) { return ("127.0.0.1", port) }
        guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else {
            return nil
        }
        return (String(rest[..<colon]), port)
    }

    /// The query FastAGI would carry, from the options.
    var query: String {
        var parts: [String] = []
        if let leg { parts.append("leg=\(leg)") }
        if failed { parts.append("failed=1") }
        if let reason { parts.append("reason=\(reason)") }
        if emergency { parts.append("priority=emergency") }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    func run() throws {
        // Asterisk may hang up before this program has done anything: the signal is taken as a
        // report from the very start, never as the end of the program.
        signal(SIGHUP, SIG_IGN)
        let hangups = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        let relay = AGIRelay()
        hangups.setEventHandler { relay.hangUp() }
        hangups.resume()
        signal(SIGPIPE, SIG_IGN)
        let (host, port) = Self.address(connect)!
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let info = found else {
            printToStandardError("hotline agi: cannot resolve \(host)")
            throw ExitCode(1)
        }
        defer { freeaddrinfo(found) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0, Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            printToStandardError("hotline agi: cannot connect to \(connect): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        // The header Asterisk sends a forked program has no `agi_network_script`: this line gives the
        // server the script and query a FastAGI request would have had.
        relay.connect(socket: fd, prelude: Array("agi_network_script: hotline\(query)\n".utf8))
        Thread.detachNewThread { relay.forwardStandardInput() }
        relay.forwardToStandardOutput()
        hangups.cancel()
    }
}

/// The two directions of `hotline agi`: whole lines from Asterisk to the server (a HANGUP never lands in
/// the middle of a reply), and the server's bytes to Asterisk as they come.
final class AGIRelay: @unchecked Sendable {
    private var fd: Int32 = -1
    private let lock = NSLock()
    /// The header's empty line has gone to the server: a hangup can be reported now.
    private var headerSent = false
    private var hangupPending = false

    func connect(socket: Int32, prelude: [UInt8]) {
        lock.lock()
        fd = socket
        lock.unlock()
        write(prelude)
    }

    /// Asterisk's SIGHUP: a `HANGUP` line, once the header is through (one inside the header would be
    /// taken for a header line and lost).
    func hangUp() {
        lock.lock()
        let now = headerSent && fd >= 0
        if !now { hangupPending = true }
        lock.unlock()
        if now { write(Array("HANGUP\n".utf8)) }
    }

    func write(_ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    func forwardStandardInput() {
        var partial: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            partial.append(contentsOf: chunk[0..<n])
            while let end = partial.firstIndex(of: 10) {
                let line = Array(partial[...end])
                partial.removeSubrange(...end)
                write(line)
                if !headerSent, line == [10] || line == [13, 10] { headerDone() }
            }
        }
        if !partial.isEmpty { write(partial + [10]) }
        shutdown(fd, Int32(SHUT_WR))
    }

    private func headerDone() {
        lock.lock()
        headerSent = true
        let pending = hangupPending
        hangupPending = false
        lock.unlock()
        if pending { write(Array("HANGUP\n".utf8)) }
    }

    func forwardToStandardOutput() {
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            var offset = 0
            while offset < n {
                let w = chunk[offset..<n].withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else { return }
                offset += w
            }
        }
    }
}
