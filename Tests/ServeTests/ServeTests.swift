import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

func temporaryFolder() throws -> URL {
    let url = URL(fileURLWithPath: "/tmp").appendingPathComponent("hl-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Answers one call's IVR commands (`ok`; a call-back offer is let time out) until the operator has it.
func walkToOperator(_ adapter: LineClient, call: String) throws {
    while true {
        let command = try #require(adapter.await { $0.string("command") != nil && $0.string("call") == call })
        let status = command.string("command") == "collect" ? "timeout" : "ok"
        adapter.send(
            #"{"event":"result","call":"\#(call)","command_id":"\#(command.string("id")!)","status":"\#(status)"}"#)
        if command.string("command") == "bridge" { return }
    }
}

/// The server over real sockets: a scripted PBX adapter on TCP and an operator desktop on a Unix socket.
@Suite(.serialized) struct SocketTests {
    @Test func aCallOverTCPAndAUnixSocket() throws {
        let folder = try temporaryFolder()
        let socket = folder.appendingPathComponent("hotline.sock").path
        let store = folder.appendingPathComponent("cases.sqlite").path
        let server = try ServerProcess(["--listen", "tcp:127.0.0.1:0", "--listen", "unix:\(socket)", "--store", store])
        defer { if server.process.isRunning { server.kill9() } }
        let adapter = try LineClient(address: try server.address("tcp:"))
        let desk = try LineClient(address: try server.address("unix:"))
        adapter.send(#"{"event":"hello","role":"pbx","v":1,"name":"asterisk-1"}"#)
        #expect(adapter.next()?.string("reply") == "hello")
        desk.send(#"{"event":"hello","role":"desktop","v":1}"#)
        desk.send(#"{"event":"login","operator":"op-1"}"#)
        desk.send(#"{"event":"ready","operator":"op-1"}"#)
        #expect(desk.await { $0.string("reply") == "ready" } != nil)
        adapter.send(#"{"event":"offer","call":"pbx-1","from":"13800138000"}"#)
        try walkToOperator(adapter, call: "pbx-1")
        let notice = try #require(desk.await { $0.string("notice") == "call" })
        #expect(notice.string("caller") == "138****8000")
        desk.send(
            #"{"event":"disposition","operator":"op-1","call":"pbx-1","action":"work_order","category":"0204","territory":"dongan-xinan","summary":"路灯"}"#
        )
        let ack = try #require(desk.await { $0.string("reply") == "disposition" })
        let id = try #require(ack.string("case"))
        adapter.send(#"{"event":"hangup","call":"pbx-1"}"#)
        // A malformed line on the adapter's connection: an error, and the connection goes on.
        adapter.send("{oops")
        #expect(adapter.await { $0["error"] != nil }?.string("code") == "malformed_json")
        // A line over 64 KiB is refused and skipped to its newline.
        adapter.send(#"{"event":"ping","pad":""# + String(repeating: "x", count: 70_000) + #""}"#)
        #expect(adapter.await { $0["error"] != nil }?.string("code") == "line_too_long")
        adapter.send(#"{"event":"ping"}"#)
        #expect(adapter.await { $0.string("reply") == "pong" } != nil)
        // SIGTERM: a graceful stop; the Unix socket file is removed; the case is in the store.
        server.terminate()
        #expect(server.process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
        let list = Process()
        list.executableURL = ServerProcess.binary
        list.arguments = ["cases", "list", "--store", store, "--json"]
        let out = Pipe()
        list.standardOutput = out
        try list.run()
        list.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains(id))
        #expect(!text.contains("13800138000"))
    }

    @Test func aPeerThatStopsReadingIsCutOff() throws {
        let folder = try temporaryFolder()
        let server = try ServerProcess([
            "--listen", "tcp:127.0.0.1:0", "--store", folder.appendingPathComponent("c.sqlite").path,
            "--max-output-bytes", "1000000",
        ])
        defer { if server.process.isRunning { server.kill9() } }
        let address = try server.address("tcp:")
        let greedy = try LineClient(address: address, receiveBuffer: 4096)
        greedy.send(#"{"event":"hello","role":"pbx"}"#)
        // Pings without ever reading the pongs: 10 MB of replies the peer never takes.
        let ping = String(repeating: #"{"event":"ping"}"# + "\n", count: 1000)
        for _ in 0..<200 { greedy.send(String(ping.dropLast())) }
        // Another peer is still served.
        let other = try LineClient(address: address)
        other.send(#"{"event":"ping"}"#)
        #expect(other.await(timeout: 60) { $0.string("reply") == "pong" } != nil)
        #expect(server.process.isRunning)
        // The greedy peer, still not reading, is cut off; when it reads at last it learns why.
        var cut: [String: Any]?
        let deadline = Date().addingTimeInterval(60)
        while !server.stderr.contains("cut off") && Date() < deadline { usleep(50_000) }
        #expect(server.stderr.contains("peer cut off"))
        while cut == nil, let o = greedy.next(timeout: 30) { if o["error"] != nil { cut = o } }
        #expect(cut?.string("code") == "slow_peer")
    }
}

/// kill -9 in the middle of a stream of registrations loses no acknowledged case and no deadline.
@Suite(.serialized) struct CrashTests {
    @Test func killNineLosesNoAcknowledgedCase() throws {
        let folder = try temporaryFolder()
        let socket = folder.appendingPathComponent("s.sock").path
        let store = folder.appendingPathComponent("cases.sqlite").path
        var server = try ServerProcess(["--listen", "unix:\(socket)", "--store", store, "--wrap-up", "0"])
        defer { if server.process.isRunning { server.kill9() } }
        var client = try LineClient(address: try server.address("unix:"))
        client.send(#"{"event":"hello","roles":["pbx","desktop"],"name":"crash"}"#)
        client.send(#"{"event":"login","operator":"op-1"}"#)
        client.send(#"{"event":"ready","operator":"op-1"}"#)
        var acknowledged: [String] = []
        for k in 1...60 {
            client.send(#"{"event":"offer","call":"k\#(k)","from":"1390000\#(k)"}"#)
            try walkToOperator(client, call: "k\(k)")
            client.send(
                #"{"event":"disposition","operator":"op-1","call":"k\#(k)","action":"work_order","category":"0204","territory":"dongan-xinan"}"#
            )
            if k == 60 { break }  // the last disposition is in flight when the server dies
            let ack = try #require(client.await { $0.string("reply") == "disposition" })
            acknowledged.append(ack.string("case")!)
            client.send(#"{"event":"hangup","call":"k\#(k)"}"#)
        }
        server.kill9()
        #expect(acknowledged.count == 59)

        // Back up on the same store: every acknowledged case is there, with its deadlines.
        server = try ServerProcess(["--listen", "unix:\(socket)", "--store", store])
        defer { if server.process.isRunning { server.kill9() } }
        client = try LineClient(address: try server.address("unix:"))
        client.send(#"{"event":"hello","role":"desktop"}"#)
        client.send(#"{"event":"cases"}"#)
        let list = try #require(client.await { $0.string("reply") == "cases" })
        let open = Set(((list["cases"] as? [[String: Any]]) ?? []).compactMap { $0.string("case") })
        #expect(Set(acknowledged).isSubset(of: open))
        let show = Process()
        show.executableURL = ServerProcess.binary
        show.arguments = ["cases", "show", acknowledged.last!, "--store", store, "--json"]
        let out = Pipe()
        show.standardOutput = out
        try show.run()
        show.waitUntilExit()
        let detail =
            try JSONSerialization.jsonObject(with: out.fileHandleForReading.readDataToEndOfFile()) as! [String: Any]
        #expect(detail["state"] as? String == "dispatched")
        let timers = (detail["timers"] as? [[String: Any]]) ?? []
        #expect(timers.contains { $0["timer"] as? String == "sign_for" && $0["outcome"] as? String == "pending" })
    }

    /// kill -9 in the middle of a three-party call (Art. 10(2)), the moment the operator heard
    /// "conference", no outcome yet: the next start registers the matter with what the operator took
    /// down (Art. 10(3)).
    @Test func killNineMidConferenceLosesNotTheMatter() throws {
        let folder = try temporaryFolder()
        let socket = folder.appendingPathComponent("s.sock").path
        let store = folder.appendingPathComponent("cases.sqlite").path
        var server = try ServerProcess(["--listen", "unix:\(socket)", "--store", store])
        defer { if server.process.isRunning { server.kill9() } }
        let client = try LineClient(address: try server.address("unix:"))
        client.send(#"{"event":"hello","roles":["pbx","desktop"],"name":"crash"}"#)
        client.send(#"{"event":"login","operator":"op-1"}"#)
        client.send(#"{"event":"ready","operator":"op-1"}"#)
        client.send(#"{"event":"offer","call":"c1","from":"13900001111"}"#)
        try walkToOperator(client, call: "c1")
        client.send(
            #"{"event":"disposition","operator":"op-1","call":"c1","action":"three_party","category":"0204","territory":"dongan-xinan","summary":"路灯倒在路上"}"#
        )
        let reply = try #require(client.await { $0.string("reply") == "disposition" })
        server.kill9()
        #expect(reply.string("decision") == "conference")
        #expect(try sqlite(store, "SELECT count(*) FROM cases") == "0")

        server = try ServerProcess(["--listen", "unix:\(socket)", "--store", store])
        _ = try server.address("unix:")
        let registered = Date().addingTimeInterval(10)
        while !server.stderr.contains("when the server stopped"), Date() < registered { usleep(20_000) }
        #expect(try sqlite(store, "SELECT count(*) FROM cases WHERE call = 'c1' AND summary = '路灯倒在路上'") == "1")
        #expect(try sqlite(store, "SELECT count(*) FROM pending_conferences") == "0")
        // Art. 15: the log names the call and the case, never the number or the summary.
        #expect(server.stderr.contains("three-party call under way when the server stopped"))
        #expect(!server.stderr.contains("13900001111") && !server.stderr.contains("路灯倒在路上"))
    }

    /// One value read from the store by another process (python's sqlite3), as an outside check would.
    private func sqlite(_ path: String, _ query: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])",
            path, query,
        ]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Random and mutated lines thrown at --stdio: the server answers each bad one and never dies.
@Suite(.serialized) struct FuzzTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
    }

    static let templates = [
        #"{"event":"offer","call":"f1","from":"13800138000"}"#,
        #"{"event":"result","call":"f1","command_id":"c1","status":"ok"}"#,
        #"{"event":"result","call":"f1","command_id":"c2","status":"hungup","digits":"12"}"#,
        #"{"event":"dtmf","call":"f1","digit":"5"}"#,
        #"{"event":"hangup","call":"f1","cause":"normal"}"#,
        #"{"event":"login","operator":"op-1"}"#,
        #"{"event":"ready","operator":"op-1"}"#,
        #"{"event":"disposition","operator":"op-1","call":"f1","action":"work_order","category":"0204"}"#,
        #"{"event":"resync","calls":["f1","f2"]}"#,
        #"{"event":"case","case":"20260101-000001","action":"sign_for"}"#,
        #"{"event":"cases"}"#,
    ]

    func mutate(_ line: String, _ g: inout Generator) -> [UInt8] {
        var bytes = Array(line.utf8)
        switch g.next() % 9 {
        case 0: return (0..<Int(g.next() % 200)).map { _ in UInt8(truncatingIfNeeded: g.next()) }.filter { $0 != 10 }
        case 1: if !bytes.isEmpty { bytes.removeSubrange(Int(g.next() % UInt64(bytes.count))...) }
        case 2: bytes.insert(g.pick([0xFF, 0xC3, 0x00, 0x22, 0x7B, 0x5D]), at: Int(g.next() % UInt64(bytes.count + 1)))
        case 3: return Array((line.replacingOccurrences(of: "\"ok\"", with: "17")).utf8)
        case 4: return Array(line.replacingOccurrences(of: "\"f1\"", with: "{\"nested\":[1,2]}").utf8)
        case 5: return Array(repeating: UInt8(ascii: "x"), count: 70_000)
        case 6: return Array(line.replacingOccurrences(of: "event", with: "evnt").utf8)
        case 7: return Array("\(line.dropLast()),\"id\":\(g.next() % 5)}".utf8)
        default: break
        }
        return bytes
    }

    @Test func randomAndMutatedLinesNeverKillTheServer() throws {
        let folder = try temporaryFolder()
        let input = Pipe()
        let output = Pipe()
        let server = try ServerProcess(
            ["--stdio", "--store", folder.appendingPathComponent("f.sqlite").path, "--quiet"], stdin: input,
            stdout: output)
        var g = Generator(state: 20_261_129)
        var lines: [[UInt8]] = [Array(#"{"event":"hello","roles":["pbx","desktop"],"v":1}"#.utf8)]
        for _ in 0..<3000 { lines.append(mutate(g.pick(Self.templates), &g)) }
        lines.append(Array(#"{"event":"ping"}"#.utf8))
        let script = lines
        let writer = Thread {
            let handle = input.fileHandleForWriting
            for l in script { handle.write(Data(l + [10])) }
            try? handle.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0, "stderr: \(server.stderr.suffix(2000))")
        let replies = String(decoding: data, as: UTF8.self).split(separator: "\n")
        // Every output line is JSON, the errors name their input line, and the last ping got its pong.
        var errors = 0
        for r in replies {
            let o = try #require(try? JSONSerialization.jsonObject(with: Data(r.utf8)) as? [String: Any], "\(r)")
            if o["error"] != nil {
                errors += 1
                #expect(o["input_line"] as? Int != nil)
            }
        }
        #expect(errors > 1000)
        // The last line, a ping, was answered (replies that wait for the disk may come after it).
        #expect(replies.contains { $0.contains(#""reply":"pong""#) && $0.contains(#""input_line":\#(script.count),"#) })
        #expect(!server.stderr.contains("Fatal error"))
    }
}
