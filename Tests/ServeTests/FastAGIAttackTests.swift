import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Attacks on the FastAGI front by a hostile or broken PBX, kept as regression tests: the first two
/// held a call for ever before they were fixed.
@Suite(.serialized) struct FastAGIAttackTests {
    private func server(_ extra: [String] = []) throws -> (ServerProcess, String, String) {
        let folder = try temporaryFolder()
        let store = folder.appendingPathComponent("cases.sqlite").path
        let server = try ServerProcess(
            ["--fastagi", "tcp:127.0.0.1:0", "--listen", "tcp:127.0.0.1:0", "--store", store] + extra)
        return (server, try server.address("fastagi tcp:"), try server.address("tcp:"))
    }

    private func stillServes(_ fastagi: String) throws {
        let next = try FakeAsterisk(address: fastagi)
        next.header(uniqueID: "1795913999.\(Int.random(in: 1...1_000_000))")
        try next.answer()
        try next.expect(#"STREAM FILE hotline/zh/greeting """#)
    }

    /// An `agi_uniqueid` beginning with `out-` (an ARI/originate-chosen channel id) looks like one of the
    /// centre's own outbound calls, whose ids the server refuses for an offer. The call must be served
    /// under another id (or closed at once, so that the dialplan's fallback takes it), never held.
    @Test func aUniqueIDThatLooksLikeTheCentresOwnDoesNotHoldTheCall() throws {
        let (server, fastagi, _) = try server(["--asterisk-command-timeout", "1"])
        defer { if server.process.isRunning { server.kill9() } }
        let odd = try FakeAsterisk(address: fastagi)
        odd.header(uniqueID: "out-1")
        let served = odd.next(timeout: 3).map { $0 == "ANSWER" } ?? false
        #expect(served || odd.closed(timeout: 3), "the call is held: neither answered nor closed")
        try stillServes(fastagi)
        #expect(server.process.isRunning)
    }

    /// Something that is not Asterisk (an HTTP request, a scanner) sends `name: value` lines and an
    /// empty one: without `agi_request` or `agi_channel` it is not a call, and it is closed unanswered.
    @Test func aHeaderThatIsNotAsterisksIsNotACall() throws {
        let (server, fastagi, _) = try server()
        defer { if server.process.isRunning { server.kill9() } }
        let http = try FakeAsterisk(address: fastagi)
        http.send("GET / HTTP/1.1")
        http.send("Host: 127.0.0.1")
        http.send("")
        #expect(http.closed(timeout: 3))
        #expect(server.stderr.contains("without agi_request or agi_channel"))
        try stillServes(fastagi)
    }

    /// A `HANGUP` line while `EXEC ConfBridge` is in flight: the reply owed to ConfBridge has no deadline
    /// of its own, so a PBX that never sends it would hold the session (and a slot) for ever. After a
    /// HANGUP the owed reply gets the command timeout.
    @Test func aHangupWhoseReplyNeverComesDoesNotHoldTheSessionForEver() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server([
            "--asterisk-outgoing", spool.path, "--asterisk-command-timeout", "1",
        ])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try LineClient(address: lines)
        desk.send(#"{"event":"hello","role":"desktop","v":1}"#)
        desk.send(#"{"event":"login","operator":"op-7"}"#)
        desk.send(#"{"event":"ready","operator":"op-7"}"#)
        #expect(desk.await { $0.string("reply") == "ready" } != nil)
        let caller = try FakeAsterisk(address: fastagi)
        caller.header(uniqueID: "1795913978.1")
        try caller.throughGreeting()
        var file: URL?
        for _ in 0..<200 where file == nil {
            file = try FileManager.default.contentsOfDirectory(at: spool, includingPropertiesForKeys: nil).first {
                $0.pathExtension == "call"
            }
            if file == nil { usleep(20_000) }
        }
        let callFile = try String(contentsOf: try #require(file), encoding: .utf8)
        let token = try #require(
            callFile.split(separator: "\n").first { $0.hasPrefix("Setvar: HOTLINE_LEG=") }?.split(separator: "=").last)
        let leg = try FakeAsterisk(address: fastagi)
        leg.header(uniqueID: "1795913978.2", callerID: "12345", script: "hotline?leg=\(token)")
        try caller.answerUntil("EXEC ConfBridge *")
        try leg.expect("EXEC ConfBridge *")
        // The caller hangs up; the PBX never sends ConfBridge's reply.
        caller.send("HANGUP")
        #expect(caller.closed(timeout: 5), "the session waits for ever for the reply owed to ConfBridge")
        try stillServes(fastagi)
        #expect(server.process.isRunning)
    }

    /// A reply before any command closes that session only, and does not stop the server taking calls.
    @Test func oddFramingDoesNotStopTheServer() throws {
        let (server, fastagi, _) = try server(["--asterisk-command-timeout", "1"])
        defer { if server.process.isRunning { server.kill9() } }
        let early = try FakeAsterisk(address: fastagi)
        early.header(uniqueID: "1.1")
        early.send("200 result=0")
        #expect(early.closed(timeout: 3))
        try stillServes(fastagi)
        #expect(server.process.isRunning)
    }

    /// Connections that never finish their header (a slow-loris flood) cannot keep Asterisk's calls out
    /// for the header timeout: at the session limit the oldest of them is closed to make room. Only
    /// when every session is a call past its header is a new connection refused.
    @Test func idleConnectionsMakeRoomForCallsAtTheSessionLimit() throws {
        let (server, fastagi, _) = try server(["--asterisk-max-sessions", "4"])
        defer { if server.process.isRunning { server.kill9() } }
        var idle: [FakeAsterisk] = []
        for _ in 0..<4 {
            let c = try FakeAsterisk(address: fastagi)
            c.send("agi_network: yes")  // a header begun and never finished
            idle.append(c)
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Four open, the limit: a call still gets through, and the oldest idle connection makes room.
        let call = try FakeAsterisk(address: fastagi)
        call.header(uniqueID: "1795913990.1")
        try call.answer()
        #expect(idle[0].closed(timeout: 3))
        #expect(!idle[3].closed(timeout: 0.3))
        // Three more calls take the rest of the room from the idle connections.
        var calls = [call]
        for n in 2...4 {
            let c = try FakeAsterisk(address: fastagi)
            c.header(uniqueID: "1795913990.\(n)")
            try c.answer()
            calls.append(c)
        }
        #expect(idle.allSatisfy { $0.closed(timeout: 3) })
        // Every session is a call now: the next connection is refused at once (the dialplan falls back).
        let refused = try FakeAsterisk(address: fastagi)
        refused.header(uniqueID: "1795913990.5")
        #expect(refused.closed(timeout: 3))
        let logged = Date().addingTimeInterval(3)
        while !server.stderr.contains("without their header closed to make room"), Date() < logged {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(server.stderr.contains("without their header closed to make room 1, refused 0"))
        withExtendedLifetime(calls) {}
    }
}
