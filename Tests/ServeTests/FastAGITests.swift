import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `hotline serve --fastagi`: a fake Asterisk plays recorded exchanges against the real server.
@Suite(.serialized) struct FastAGITests {
    static let transcripts = ServerProcess.root.appendingPathComponent("Tests/ServeTests/AGITranscripts")

    private func server(_ extra: [String] = []) throws -> (ServerProcess, String, String) {
        let folder = try temporaryFolder()
        let store = folder.appendingPathComponent("cases.sqlite").path
        let server = try ServerProcess(
            ["--fastagi", "tcp:127.0.0.1:0", "--listen", "tcp:127.0.0.1:0", "--store", store] + extra)
        return (server, try server.address("fastagi tcp:"), try server.address("tcp:"))
    }

    /// Every recorded exchange: hangups before the reply, 510, one-line and multi-line 520, a line that
    /// is not AGI, a name cut mid-character. After all of them the server still takes a call.
    @Test(arguments: [
        "hangup-before-511", "hangup-before-minus-one", "hangup-while-holding", "hold-minus-one", "multiline-520",
        "unknown-command", "syntax-520", "not-agi", "truncated-name", "malformed-result",
    ])
    func recordedExchange(_ name: String) throws {
        let (server, fastagi, _) = try server()
        defer { if server.process.isRunning { server.kill9() } }
        let text = try String(
            contentsOf: Self.transcripts.appendingPathComponent("\(name).agi"), encoding: .utf8)
        let asterisk = try FakeAsterisk(address: fastagi)
        try asterisk.play(transcript: text, name: "\(name).agi")
        // The server goes on: the next call is answered and greeted.
        let next = try FakeAsterisk(address: fastagi)
        next.header(uniqueID: "1795913999.1")
        try next.answer()
        try next.expect(#"STREAM FILE hotline/zh/greeting """#)
        #expect(server.process.isRunning)
    }

    /// Art. 10: a dead PBX never holds a call for ever. Asterisk stops answering: after the command
    /// timeout the session is closed, and the server serves other calls meanwhile.
    @Test func aPBXThatStopsAnsweringLosesTheCallNotTheServer() throws {
        let (server, fastagi, _) = try server(["--asterisk-command-timeout", "1"])
        defer { if server.process.isRunning { server.kill9() } }
        let silent = try FakeAsterisk(address: fastagi)
        silent.header(uniqueID: "1.1")
        try silent.expect("ANSWER")
        let other = try FakeAsterisk(address: fastagi)
        other.header(uniqueID: "1.2")
        try other.answer()
        try other.expect(#"STREAM FILE hotline/zh/greeting """#)
        let start = Date()
        #expect(silent.closed(timeout: 5))
        #expect(Date().timeIntervalSince(start) < 4)
        for _ in 0..<100 where !server.stderr.contains("no reply to 'ANSWER' within 1.0 s") { usleep(20_000) }
        #expect(server.stderr.contains("no reply to 'ANSWER' within 1.0 s"))
    }

    /// A whole call: greeting, hold, an operator's phone rung with a call file, both legs in one
    /// ConfBridge room; the operator's desktop sees the UTF-8 name unchanged (never in the log, Art. 15).
    @Test func aCallReachesTheOperatorThroughAConference() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-7")
        let caller = try FakeAsterisk(address: fastagi)
        caller.header(uniqueID: "1795913978.1", name: Array("欧阳娜娜".utf8))
        try caller.throughGreeting()
        // The ACD picks op-7: a call file rings the operator's phone.
        let found = try waitForCallFile(in: spool)
        let callFile = try String(contentsOf: found, encoding: .utf8)
        #expect(callFile.contains("Channel: Local/op-7@hotline-agents\n"))
        #expect(callFile.contains("Context: hotline-leg\n"))
        let token = try legToken(found)
        // Asterisk keeps a call file in the spool for as long as its call lasts (with a StartRetry line).
        let kept = spool.appendingPathComponent("hotline-\(token).call")
        try (callFile + "StartRetry: 4242 1 (1796000000)\n").write(to: kept, atomically: true, encoding: .utf8)
        // The operator answers: Asterisk runs the leg's AGI.
        let leg = try FakeAsterisk(address: fastagi)
        leg.header(uniqueID: "1795913978.2", callerID: "12345", script: "hotline?leg=\(token)")
        try caller.answerUntil(#"EXEC ConfBridge "hotline-1795913978.1,hotline_bridge,hotline_caller""#)
        try leg.expect(#"EXEC ConfBridge "hotline-1795913978.1,hotline_bridge,hotline_member""#)
        let notice = try #require(desk.await { $0.string("notice") == "call" })
        #expect(notice.string("caller_name") == "欧阳娜娜")
        #expect(notice.string("caller") == "138****8000")
        // The caller hangs up: ConfBridge returns after the HANGUP line; the room ends for the operator
        // (the caller's session makes sure of it before it closes).
        caller.send("HANGUP")
        caller.send("200 result=-1")
        try caller.expect(#"EXEC ConfKick "hotline-1795913978.1,all""#)
        caller.send("200 result=0")
        #expect(caller.closed())
        leg.send("200 result=0")
        #expect(leg.closed())
        // The leg's call is over: its call file is gone too, so an Asterisk that crashed mid-call does not
        // ring the operator again when it restarts.
        for _ in 0..<50 where FileManager.default.fileExists(atPath: kept.path) { usleep(20_000) }
        #expect(!FileManager.default.fileExists(atPath: kept.path))
        #expect(!server.stderr.contains("欧阳娜娜"))
        #expect(!server.stderr.contains("13800138000"))
    }

    /// The operator hangs up first: the caller would hold alone in the room, so the operator's leg, its
    /// AGI still open, takes the caller out of it (ConfKick), and the caller's own session hangs up;
    /// the operator wraps up and the call's disposition may still be given.
    @Test func anOperatorWhoHangsUpEndsTheCall() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-4")
        let (caller, leg) = try callInRoom(fastagi, spool: spool, uniqueID: "11.1", legID: "11.2")
        #expect(desk.await { $0.string("notice") == "call" } != nil)
        // The operator's phone is put down: Asterisk reports the hangup, then ConfBridge returns.
        leg.send("HANGUP")
        leg.send("200 result=0")
        try leg.expect(#"EXEC ConfKick "hotline-11.1,all""#)
        leg.send("200 result=0")
        #expect(leg.closed())
        // Kicked, the caller's ConfBridge returns; the caller is hung up, not sent to the fallback.
        caller.send("200 result=0")
        try caller.expect("HANGUP")
        caller.send("200 result=1")
        #expect(caller.closed())
        // In wrap-up the operator still registers the caller's matter.
        desk.send(
            #"{"event":"disposition","operator":"op-4","call":"11.1","action":"work_order","category":"0204","territory":"dongan-xinan"}"#
        )
        let ack = try #require(desk.await { $0.string("reply") == "disposition" })
        #expect(ack.string("decision") == "work_order")
    }

    /// The operator's phone answers while the caller is still in a digit wait, and the caller hangs up
    /// before joining the room: the operator's leg, which waits for the caller to be in the room before
    /// it enters, is hung up, never left in a room alone to be rung for the next call.
    @Test func aCallerWhoHangsUpBeforeJoiningFreesTheOperatorsPhone() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-6")
        let (caller, leg) = try legWhileCallerWaits(fastagi, spool: spool, uniqueID: "13.1", legID: "13.2")
        // The leg waits: the caller is not in the room yet.
        #expect(leg.next(timeout: 0.5) == nil)
        caller.send("HANGUP")
        caller.send("200 result=-1")
        #expect(caller.closed())
        try leg.expect("HANGUP")
        leg.send("200 result=1")
        #expect(leg.closed())
        _ = desk
    }

    /// The operator's phone hangs up the moment it answers, while the caller is still in a digit wait:
    /// the caller is hung up at once, never put into the room alone to hold there with music.
    @Test func anOperatorWhoHangsUpAtOnceLeavesNoCallerInTheRoom() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-8")
        let (caller, leg) = try legWhileCallerWaits(fastagi, spool: spool, uniqueID: "14.1", legID: "14.2")
        // Put down while it waits for the caller to be in the room.
        leg.send("HANGUP")
        #expect(leg.closed())
        caller.send("200 result=0")
        try caller.expect("HANGUP")
        caller.send("200 result=1")
        #expect(caller.closed())
        _ = desk
    }

    /// The operator hangs up in the moment between the caller's join and the leg's: the leg's AGI, still
    /// open on the hung-up channel, takes the caller out of the room once the caller's join has made it,
    /// and the caller is hung up, never left there alone.
    @Test func anOperatorWhoHangsUpAsTheCallerJoinsLeavesNoCallerInTheRoom() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-10")
        let caller = try FakeAsterisk(address: fastagi)
        caller.header(uniqueID: "16.1")
        try caller.throughGreeting()
        let leg = try FakeAsterisk(address: fastagi)
        leg.header(uniqueID: "16.2", script: "hotline?leg=\(try legToken(try waitForCallFile(in: spool)))")
        try caller.answerUntil(#"EXEC ConfBridge "hotline-16.1,hotline_bridge,hotline_caller""#)
        // Within the leg's wait the operator's phone is put down.
        leg.send("HANGUP")
        try leg.expect(#"EXEC ConfKick "hotline-16.1,all""#)
        leg.send("200 result=0")
        #expect(leg.closed())
        caller.send("200 result=0")
        try caller.expect("HANGUP")
        caller.send("200 result=1")
        #expect(caller.closed())
        _ = desk
    }

    /// An operator becomes free while a queued caller hears the announcement (position, expected wait,
    /// the call-back offer): once the operator's leg has answered, the rest of the announcement and its
    /// digit wait are skipped and the caller joins at the end of the prompt under way, the operator's
    /// leg after it, instead of leaving the operator in silence for the rest of it.
    @Test func anOperatorInTheRoomCutsTheAnnouncementShort() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path, "--wrap-up", "1"])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-9")
        let (first, firstLeg) = try callInRoom(fastagi, spool: spool, uniqueID: "15.1", legID: "15.2")
        let second = try FakeAsterisk(address: fastagi)
        second.header(uniqueID: "15.3")
        try second.throughGreeting()
        try second.answerUntil(#"STREAM FILE hotline/zh/queue-position "0123456789*#""#)
        // The first caller hangs up; a second later the operator is ready and the leg is rung.
        first.send("HANGUP")
        first.send("200 result=-1")
        try first.expect("EXEC ConfKick *")
        first.send("200 result=0")
        firstLeg.send("200 result=0")
        let leg = try FakeAsterisk(address: fastagi)
        leg.header(uniqueID: "15.4", script: "hotline?leg=\(try legToken(try waitForCallFile(in: spool)))")
        #expect(desk.await { $0.string("notice") == "call" && $0.string("call") == "15.3" } != nil)
        // The prompt under way ends; the caller goes straight into the room, and the leg after it.
        second.send("200 result=0 endpos=8000")
        try second.expect(#"EXEC ConfBridge "hotline-15.3,hotline_bridge,hotline_caller""#)
        try leg.expect(#"EXEC ConfBridge "hotline-15.3,hotline_bridge,hotline_member""#)
        _ = desk
    }

    /// A caller in the queue presses only `#` during the announcement that ends with the call-back
    /// offer: no digits, so the offer is not taken and the caller holds on at once (an empty `digits`
    /// was refused by the server, which left the caller in silence until the command's timeout).
    @Test func aTerminatorAloneDuringTheAnnouncementIsNoChoice() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-5")
        // The first caller takes the only operator, so the second one queues.
        let busy = try callInRoom(fastagi, spool: spool, uniqueID: "12.1", legID: "12.2")
        let second = try FakeAsterisk(address: fastagi)
        second.header(uniqueID: "12.3")
        try second.throughGreeting()
        try second.answerUntil(#"STREAM FILE hotline/zh/queue-position "0123456789*#""#)
        second.send("200 result=35 endpos=4000")
        let started = Date()
        try second.answerUntil("WAIT FOR DIGIT *", timeout: 5)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(!server.stderr.contains("must not be empty"))
        #expect(desk.await { $0.string("notice") == "call" } != nil)
        withExtendedLifetime(busy) {}
    }

    /// A name Asterisk cut in the middle of a character reaches the operator without the broken
    /// character and with every whole one intact.
    @Test func aTruncatedNameIsDecodedLeniently() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-1")
        let caller = try FakeAsterisk(address: fastagi)
        caller.header(uniqueID: "7.1", name: [0xE5, 0xBC, 0xA0, 0xE4, 0xB8])
        try caller.throughGreeting()
        let token = try legToken(try waitForCallFile(in: spool))
        let leg = try FakeAsterisk(address: fastagi)
        leg.header(uniqueID: "7.2", script: "hotline?leg=\(token)")
        let notice = try #require(desk.await { $0.string("notice") == "call" })
        #expect(notice.string("caller_name") == "张")
    }

    /// A leg that was not answered: Asterisk runs the call file's `failed` extension, whose AGI reports
    /// the reason; the operator is set not ready and the caller goes back to the head of the queue.
    @Test func aLegThatFailsSendsTheCallerBackToTheQueue() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-2")
        let caller = try FakeAsterisk(address: fastagi)
        caller.header(uniqueID: "8.1")
        try caller.throughGreeting()
        let token = try legToken(try waitForCallFile(in: spool))
        let failed = try FakeAsterisk(address: fastagi)
        failed.header(uniqueID: "8.2", script: "hotline?leg=\(token)&failed=1&reason=5")
        #expect(failed.closed())
        #expect(desk.await { $0.string("notice") == "missed_offer" } != nil)
        // The caller still holds (digit waits go on); a forged or stale token is hung up.
        try caller.answerUntil("WAIT FOR DIGIT *")
        let stray = try FakeAsterisk(address: fastagi)
        stray.header(uniqueID: "8.3", script: "hotline?leg=\(token)")
        try stray.expect("HANGUP")
        stray.send("200 result=1")
        #expect(stray.closed())
    }

    /// Many calls at once, one connection each: every call gets its own dialogue, in order.
    @Test func manyCallsAtOnceKeepTheirOwnDialogues() throws {
        let (server, fastagi, _) = try server()
        defer { if server.process.isRunning { server.kill9() } }
        let calls = try (0..<60).map { i in
            let a = try FakeAsterisk(address: fastagi)
            a.header(uniqueID: "9.\(i)", callerID: "1380000\(String(format: "%04d", i))")
            return a
        }
        for a in calls { try a.expect("ANSWER") }
        // Replies in reverse order: each session matches its own.
        for a in calls.reversed() { a.send("200 result=0") }
        // Each call's own id comes back on its own connection.
        for (i, a) in calls.enumerated() { try a.expect("SET VARIABLE HOTLINE_CALL \"9.\(i)\"") }
        for a in calls.reversed() { a.send("200 result=1") }
        for a in calls { try a.expect(#"STREAM FILE hotline/zh/greeting """#) }
        for (i, a) in calls.enumerated() where i % 2 == 0 {
            a.send("HANGUP")
            a.send("200 result=-1 endpos=100")
        }
        for (i, a) in calls.enumerated() {
            if i % 2 == 0 {
                #expect(a.closed())
            } else {
                a.send("200 result=0 endpos=24000")
                try a.answerUntil("WAIT FOR DIGIT *")
            }
        }
    }

    /// Art. 10(3): a phone dispatch is a call of its own to the unit's duty line. The call file rings
    /// `Local/<unit>@hotline-units`; answered, its session reads the case and collects the unit's "1".
    @Test func aPhoneDispatchIsALegOfItsOwn() throws {
        let spool = try temporaryFolder()
        let (server, fastagi, lines) = try server(["--asterisk-outgoing", spool.path])
        defer { if server.process.isRunning { server.kill9() } }
        let desk = try readyDesk(lines, operator: "op-3")
        let caller = try FakeAsterisk(address: fastagi)
        caller.header(uniqueID: "10.1")
        try caller.throughGreeting()
        let agentLeg = try FakeAsterisk(address: fastagi)
        let agentFile: URL
        do { agentFile = try waitForCallFile(in: spool) } catch { throw ServeTestError("\(error): \(server.stderr)") }
        agentLeg.header(uniqueID: "10.2", script: "hotline?leg=\(try legToken(agentFile))")
        try caller.answerUntil("EXEC ConfBridge *")
        try agentLeg.expect("EXEC ConfBridge *")
        #expect(desk.await { $0.string("notice") == "call" } != nil)
        desk.send(
            #"{"event":"disposition","operator":"op-3","call":"10.1","action":"register","category":"0204","territory":"dongan-xinan","summary":"路灯不亮"}"#
        )
        let ack = try #require(desk.await { $0.string("reply") == "disposition" })
        let id = try #require(ack.string("case"))
        let file = try waitForCallFile(in: spool, containing: "@hotline-units")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("Channel: Local/\(ack.string("unit") ?? "?")@hotline-units\n"))
        let duty = try FakeAsterisk(address: fastagi)
        duty.header(uniqueID: "10.3", callerID: "12345", script: "hotline?leg=\(try legToken(file))")
        // The case is read with the digits escaping the prompt: the unit presses 1 during it.
        try duty.expect(#"STREAM FILE hotline/zh/case-dispatch "0123456789*#""#)
        duty.send("200 result=0 endpos=8000")
        let digitPrompt = try duty.expect(#"STREAM FILE hotline/zh/* "0123456789*#""#)
        #expect(!digitPrompt.contains("case-dispatch"))
        duty.send("200 result=49 endpos=2000")
        try duty.expect(#"STREAM FILE hotline/zh/case-signed """#)
        duty.send("200 result=0 endpos=8000")
        try duty.expect("HANGUP")
        duty.send("HANGUP")
        duty.send("200 result=1")
        #expect(duty.closed())
        desk.send(#"{"event":"show","case":"\#(id)"}"#)
        let shown = try #require(desk.await { $0.string("reply") == "show" })
        #expect(shown.string("state") == "signed_for")
    }

    /// A call through the greeting to the operator's phone: the caller and the operator's leg, both in
    /// the call's room.
    private func callInRoom(_ fastagi: String, spool: URL, uniqueID: String, legID: String) throws -> (
        FakeAsterisk, FakeAsterisk
    ) {
        let caller = try FakeAsterisk(address: fastagi)
        caller.header(uniqueID: uniqueID)
        try caller.throughGreeting()
        let leg = try FakeAsterisk(address: fastagi)
        leg.header(uniqueID: legID, script: "hotline?leg=\(try legToken(try waitForCallFile(in: spool)))")
        try caller.answerUntil("EXEC ConfBridge *")
        try leg.expect("EXEC ConfBridge *")
        return (caller, leg)
    }

    /// A caller holding in a digit wait when the operator's leg answers (its `WAIT FOR DIGIT` is still
    /// unanswered): the caller and the leg.
    private func legWhileCallerWaits(_ fastagi: String, spool: URL, uniqueID: String, legID: String) throws -> (
        FakeAsterisk, FakeAsterisk
    ) {
        let caller = try FakeAsterisk(address: fastagi)
        caller.header(uniqueID: uniqueID)
        try caller.throughGreeting()
        try caller.expect("SET MUSIC ON default")
        caller.send("200 result=0")
        try caller.expect("WAIT FOR DIGIT *")
        let leg = try FakeAsterisk(address: fastagi)
        leg.header(uniqueID: legID, script: "hotline?leg=\(try legToken(try waitForCallFile(in: spool)))")
        return (caller, leg)
    }

    /// A desktop with `operator` logged in and ready.
    private func readyDesk(_ address: String, operator id: String) throws -> LineClient {
        let desk = try LineClient(address: address)
        desk.send(#"{"event":"hello","role":"desktop","v":1}"#)
        desk.send(#"{"event":"login","operator":"\#(id)"}"#)
        desk.send(#"{"event":"ready","operator":"\#(id)"}"#)
        #expect(desk.await { $0.string("reply") == "ready" } != nil)
        return desk
    }

    /// The first call file in the spool (with `containing` in it), taken out as Asterisk would; a copy
    /// is returned.
    private func waitForCallFile(in spool: URL, containing: String = "") throws -> URL {
        for _ in 0..<250 {
            for url in try FileManager.default.contentsOfDirectory(at: spool, includingPropertiesForKeys: nil)
            where url.pathExtension == "call" {
                let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                guard containing.isEmpty || text.contains(containing) else { continue }
                try? FileManager.default.removeItem(at: url)
                let copy = try temporaryFolder().appendingPathComponent("leg.call")
                try text.write(to: copy, atomically: true, encoding: .utf8)
                return copy
            }
            usleep(20_000)
        }
        throw ServeTestError("no call file with '\(containing)' in \(spool.path)")
    }

    /// The token of a call file's leg (`Setvar: HOTLINE_LEG=…`).
    private func legToken(_ file: URL?) throws -> Substring {
        let found = try #require(file)
        let text = try String(contentsOf: found, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Setvar: HOTLINE_LEG=") })
        return try #require(line.split(separator: "=").last)
    }

    /// Without a peers file FastAGI is loopback only; an address elsewhere is refused at start.
    @Test func fastAGIStaysOnLoopbackWithoutPeers() throws {
        let process = Process()
        process.executableURL = ServerProcess.binary
        process.arguments = ["serve", "--fastagi", "tcp:0.0.0.0:0"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(text.contains("loopback only"))
    }

    /// Classic AGI: `hotline agi` is the program Asterisk forks; it relays to the FastAGI front, and
    /// Asterisk's SIGHUP (the caller hung up) reaches the server as a HANGUP line.
    @Test func classicAGIRelaysAndTurnsSIGHUPIntoAHangup() throws {
        let (server, fastagi, _) = try server()
        defer { if server.process.isRunning { server.kill9() } }
        let agi = Process()
        agi.executableURL = ServerProcess.binary
        agi.arguments = ["agi", "--connect", String(fastagi.dropFirst("fastagi ".count)), "--emergency"]
        let input = Pipe()
        let output = Pipe()
        agi.standardInput = input
        agi.standardOutput = output
        try agi.run()
        defer { if agi.isRunning { agi.terminate() } }
        func say(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }
        var pending = Data()
        func next() -> String? {
            while true {
                if let nl = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending = Data(pending[(nl + 1)...])
                    return line
                }
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { return nil }
                pending.append(chunk)
            }
        }
        for line in [
            "agi_request: /usr/local/bin/hotline", "agi_channel: PJSIP/trunk-00000007", "agi_uniqueid: 1795913978.7",
            "agi_callerid: 13900139000", "agi_calleridname: 李四", "agi_extension: 12345", "agi_arg_1: agi", "",
        ] {
            say(line)
        }
        #expect(next() == "ANSWER")
        say("200 result=0")
        #expect(next()?.hasPrefix("SET VARIABLE HOTLINE_CALL ") == true)
        say("200 result=1")
        #expect(next() == #"STREAM FILE hotline/zh/greeting """#)
        kill(agi.processIdentifier, SIGHUP)
        usleep(200_000)
        say("200 result=-1 endpos=1200")
        #expect(next() == nil)
        agi.waitUntilExit()
        #expect(agi.terminationStatus == 0)
        #expect(server.process.isRunning)
    }

    /// Asterisk hangs up before the header is through: the SIGHUP is not lost in the header, and not
    /// the end of the program; the server hears of the hangup and never answers the dead channel.
    @Test func classicAGIKeepsAHangupThatCameBeforeTheHeader() throws {
        let (server, fastagi, _) = try server()
        defer { if server.process.isRunning { server.kill9() } }
        let agi = Process()
        agi.executableURL = ServerProcess.binary
        agi.arguments = ["agi", "--connect", String(fastagi.dropFirst("fastagi ".count))]
        let input = Pipe()
        let output = Pipe()
        agi.standardInput = input
        agi.standardOutput = output
        try agi.run()
        usleep(300_000)
        kill(agi.processIdentifier, SIGHUP)
        usleep(200_000)
        let header = ["agi_request: hotline", "agi_uniqueid: 1795913978.30", "agi_callerid: 13900139000", "", ""]
        input.fileHandleForWriting.write(Data(header.joined(separator: "\n").utf8))
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        agi.waitUntilExit()
        #expect(agi.terminationReason == .exit)
        #expect(agi.terminationStatus == 0)
        #expect(!said.contains("ANSWER"))
    }

    /// `hotline agi` cannot reach the server: exit status 1, so the dialplan sees AGISTATUS=FAILURE and
    /// can fall back to the PBX's own queue.
    @Test func classicAGIWithoutAServerFails() throws {
        let agi = Process()
        agi.executableURL = ServerProcess.binary
        agi.arguments = ["agi", "--connect", "tcp:127.0.0.1:1"]
        agi.standardInput = Pipe()
        let err = Pipe()
        agi.standardError = err
        try agi.run()
        agi.waitUntilExit()
        #expect(agi.terminationStatus == 1)
        #expect(
            String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("cannot connect"))
    }

    /// With a peers file, FastAGI serves only the addresses an adapter's `fastagi_from` lists, and the
    /// calls belong to that adapter; an address it does not list is closed at once, before any command.
    @Test(arguments: [("127.0.0.1", true), ("10.9.9.9", false)])
    func aPeersFileAdmitsThePBXByAddress(_ address: String, _ admitted: Bool) throws {
        let folder = try temporaryFolder()
        let peers = folder.appendingPathComponent("peers.yaml").path
        let add = Process()
        add.executableURL = ServerProcess.binary
        add.arguments = ["peers", "add", peers, "--name", "asterisk-1", "--role", "adapter"]
        add.standardOutput = Pipe()
        try add.run()
        add.waitUntilExit()
        let text = try String(contentsOfFile: peers, encoding: .utf8) + "    fastagi_from: [\"\(address)\"]\n"
        try text.write(toFile: peers, atomically: true, encoding: .utf8)
        let (server, fastagi, _) = try server(["--peers", peers])
        defer { if server.process.isRunning { server.kill9() } }
        let asterisk = try FakeAsterisk(address: fastagi)
        asterisk.header(uniqueID: "11.1")
        if admitted {
            try asterisk.expect("ANSWER")
        } else {
            #expect(asterisk.closed())
            for _ in 0..<100 where !server.stderr.contains("no adapter of the peers file admits it") { usleep(20_000) }
            #expect(server.stderr.contains("no adapter of the peers file admits it"))
        }
    }

    /// `fastagi_from` is for a PBX: on another role, or with a name instead of an address, the peers
    /// file is refused with its line and field.
    @Test func fastagiFromIsCheckedInThePeersFile() throws {
        let folder = try temporaryFolder()
        let peers = folder.appendingPathComponent("peers.yaml").path
        let add = Process()
        add.executableURL = ServerProcess.binary
        add.arguments = ["peers", "add", peers, "--name", "asterisk-1", "--role", "adapter"]
        add.standardOutput = Pipe()
        try add.run()
        add.waitUntilExit()
        let text = try String(contentsOfFile: peers, encoding: .utf8) + "    fastagi_from: [\"pbx.example.org\"]\n"
        try text.write(toFile: peers, atomically: true, encoding: .utf8)
        let serve = Process()
        serve.executableURL = ServerProcess.binary
        serve.arguments = [
            "serve", "--peers", peers, "--fastagi", "tcp:127.0.0.1:0", "--store",
            folder.appendingPathComponent("c.sqlite").path,
        ]
        let err = Pipe()
        serve.standardError = err
        try serve.run()
        serve.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(serve.terminationStatus == 1)
        #expect(message.contains("peers.yaml:"))
        #expect(message.contains("peers[0].fastagi_from"))
        #expect(message.contains("not an IP address"))
    }

    /// SIGTERM with calls on the line: the server stops cleanly (exit 0, no trap), logs the front's
    /// figures, and the calls' connections close (Asterisk's dialplan then falls back).
    @Test func theServerStopsCleanlyWithCallsOnTheLine() throws {
        let (server, fastagi, _) = try server()
        defer { if server.process.isRunning { server.kill9() } }
        let holding = try FakeAsterisk(address: fastagi)
        holding.header(uniqueID: "12.1")
        try holding.throughGreeting()
        try holding.answerUntil("WAIT FOR DIGIT *")
        let midHeader = try FakeAsterisk(address: fastagi)
        midHeader.send("agi_network: yes")
        server.terminate()
        #expect(server.process.terminationStatus == 0)
        #expect(!server.stderr.contains("Fatal error"))
        #expect(server.stderr.contains("header to first command"))
        #expect(holding.closed())
    }

}
