import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `hotline rehearse --serve`: the scenario at a real desk. The trainee's desktop works the call over the
/// line protocol against the live backend; the score is the terminal's for the same steps.
@Suite(.serialized) struct RehearseDeskTests {
    /// `hotline rehearse SCENARIO --serve tcp:127.0.0.1:0` with its terminal on pipes.
    final class DeskRehearsal: @unchecked Sendable {
        let process = Process()
        let stdin = Pipe()
        private let stdout = Pipe()
        private let lock = NSLock()
        private var text = ""
        let log: String

        init(_ scenario: String, folder: URL, temporary: URL? = nil) throws {
            log = folder.appendingPathComponent("desk.log").path
            process.executableURL = ServerProcess.binary
            process.arguments = [
                "rehearse", ServerProcess.root.appendingPathComponent("Scenarios/training/\(scenario).yaml").path,
                "--serve", "tcp:127.0.0.1:0", "--log", log, "--json", "--mode", "exam",
                "--report", folder.appendingPathComponent("desk.html").path,
            ]
            if let temporary {
                process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
            }
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.text += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var output: String { lock.withLock { text } }

        /// Waits until the terminal shows `needle` (`count` times).
        func waitFor(_ needle: String, count: Int = 1, timeout: Double = 20) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if output.components(separatedBy: needle).count - 1 >= count { return }
                usleep(20_000)
            }
            throw ServeTestError("the terminal never showed '\(needle)':\n\(output.suffix(1500))")
        }

        /// The address the centre opened for the desk.
        func address() throws -> String {
            try waitFor("The centre is open on ")
            let line = output.split(separator: "\n").first { $0.contains("The centre is open on ") }!
            let rest = line[line.range(of: "open on ")!.upperBound...]
            return String(rest).components(separatedBy: ": ")[0]
        }

        func type(_ line: String) { stdin.fileHandleForWriting.write(Data((line + "\n").utf8)) }

        /// The score document, once the session is over.
        func score() throws -> [String: Any] {
            try? stdin.fileHandleForWriting.close()
            process.waitUntilExit()
            return try scoreDocument(output)
        }
    }

    /// An operator desktop: logs op-1 in, makes them ready, and waits for the call.
    private func desktop(_ address: String) throws -> (LineClient, String) {
        let desk = try LineClient(address: address)
        desk.send(#"{"event":"hello","v":1,"name":"trainee","roles":["desktop"]}"#)
        #expect(desk.await { $0.string("reply") == "hello" } != nil)
        desk.send(#"{"event":"login","operator":"op-1"}"#)
        desk.send(#"{"event":"ready","operator":"op-1"}"#)
        let call = try #require(desk.await { $0.string("notice") == "call" })
        return (desk, try #require(call.string("call")))
    }

    private func scripted(_ scenario: String, _ answers: String) throws -> [String: Any] {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("a.answers")
        try answers.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = ServerProcess.binary
        p.arguments = [
            "rehearse", ServerProcess.root.appendingPathComponent("Scenarios/training/\(scenario).yaml").path,
            "--script", file.path, "--json",
        ]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private static func articles(_ score: [String: Any]) -> [String] {
        ((score["findings"] as? [[String: Any]]) ?? []).map { "\($0["article"] ?? "") \($0["points"] ?? "")" }
            .sorted()
    }

    /// Art. 10(2): the three-party call at the desk, settled on the spot: full marks, and the log
    /// replays to the same score. The desk may not move the rehearsal's clock.
    @Test func aThreePartyCallAtTheDeskScoresFullMarks() throws {
        let folder = try temporaryFolder()
        let session = try DeskRehearsal("three-party-call", folder: folder)
        let (desk, call) = try desktop(try session.address())
        desk.send(#"{"event":"advance","by":86400}"#)
        let refused = try #require(desk.await { $0["error"] != nil })
        #expect(refused.string("code") == "not_permitted")
        desk.send(
            #"{"event":"disposition","operator":"op-1","call":"\#(call)","action":"three_party","category":"0204","territory":"dongan-xinan","summary":"路灯坏了"}"#
        )
        #expect(desk.await { $0.string("decision") == "conference" } != nil)
        #expect(desk.await { $0.string("notice") == "unit_joined" } != nil)
        desk.send(#"{"event":"conference_outcome","operator":"op-1","call":"\#(call)","outcome":"answered_on_spot"}"#)
        let score = try session.score()
        #expect(score["score"] as? Int == 100, "\(session.output.suffix(800))")
        #expect((score["findings"] as? [Any])?.isEmpty == true)
        let html = try String(contentsOf: folder.appendingPathComponent("desk.html"), encoding: .utf8)
        #expect(html.contains("100 / 100") && !html.contains("<script"))
        let replay = Process()
        replay.executableURL = ServerProcess.binary
        replay.arguments = ["rehearse", "--replay", session.log, "--json"]
        let out = Pipe()
        replay.standardOutput = out
        try replay.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        replay.waitUntilExit()
        let again = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(again["score"] as? Int == 100)
    }

    /// Art. 10(2): registering at the desk without the three-party call loses what the same step loses
    /// in a script, with the same articles.
    @Test func aWrongHandlingAtTheDeskLosesWhatTheScriptLoses() throws {
        let folder = try temporaryFolder()
        let session = try DeskRehearsal("three-party-call", folder: folder)
        let (desk, call) = try desktop(try session.address())
        desk.send(
            #"{"event":"disposition","operator":"op-1","call":"\#(call)","action":"register","category":"0204","territory":"dongan-xinan","summary":"路灯坏了"}"#
        )
        #expect(desk.await { $0.string("reply") == "disposition" } != nil)
        try session.waitFor("hangs up")
        let atDesk = try session.score()
        let scripted = try scripted(
            "three-party-call", "10 register category=0204 territory=dongan-xinan unit=urban summary=\"路灯坏了\"\n")
        #expect(atDesk["score"] as? Int == scripted["score"] as? Int)
        #expect((atDesk["score"] as? Int ?? 100) < 100)
        #expect(Self.articles(atDesk) == Self.articles(scripted))
        #expect(Self.articles(atDesk).contains { $0.hasPrefix("Art. 10(2)") })
    }

    /// Art. 10(2), 10(3), 10(8): the conference fails to settle it, the case is registered; over the days
    /// the unit asks twice for an extension: granted at the desk once; the second, which the live centre
    /// does not take, refused at the terminal.
    @Test func extensionsAreDecidedAtTheDesk() throws {
        let folder = try temporaryFolder()
        let session = try DeskRehearsal("second-extension", folder: folder)
        let (desk, call) = try desktop(try session.address())
        desk.send(
            #"{"event":"disposition","operator":"op-1","call":"\#(call)","action":"three_party","category":"0601","territory":"xian-xianfeng","summary":"欠薪"}"#
        )
        #expect(desk.await { $0.string("decision") == "conference" } != nil)
        // The unit answers before it can say it cannot settle the matter (an outcome while its line
        // rings is refused).
        #expect(desk.await { $0.string("notice") == "unit_joined" } != nil)
        desk.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"\#(call)","outcome":"cannot_answer_on_spot"}"#)
        let registered = try #require(desk.await { $0["case"] != nil })
        let id = try #require(registered.string("case"))
        try session.waitFor("-- Day 1")
        session.type("1")
        try session.waitFor("-- Day 2")
        desk.send(#"{"event":"case","case":"\#(id)","action":"grant_extension"}"#)
        let granted = try #require(desk.await { $0.string("reply") == "case" || $0["error"] != nil })
        #expect(granted["error"] == nil, "\(granted)")
        usleep(300_000)
        session.type("1")
        // The live centre takes one application only: the second never reaches the desktop, and the
        // trainee answers the unit at the terminal (3: refuse), as in a terminal session.
        try session.waitFor("-- Day 9")
        try session.waitFor("answer the unit here")
        session.type("3")
        session.type("1")
        try session.waitFor("-- Day 13")
        session.type("1")
        let score = try session.score()
        #expect(score["score"] as? Int == 100, "\(session.output.suffix(1500))")
    }

    /// The desk is a desktop and nothing else, whatever its hello says: it cannot be the world's adapter,
    /// take the world's name, or move the clock, however the `advance` is written.
    @Test func aDeskIsADesktopOnly() throws {
        let folder = try temporaryFolder()
        let session = try DeskRehearsal("duty-line-no-answer", folder: folder)
        let address = try session.address()
        let intruder = try LineClient(address: address)
        intruder.send(#"{"event":"hello","v":1,"name":"rehearsal-world","roles":["adapter"]}"#)
        let refused = try #require(intruder.await { $0["error"] != nil || $0["reply"] != nil })
        #expect(refused.string("code") == "not_permitted", "\(refused)")
        let (desk, call) = try desktop(address)
        for line in [
            #"{"event":"advance","by":2592000}"#, #"{"event":"advance","by":2592000,"x":1e999}"#,
            #"{"event":"\u0061dvance","by":86400}"#,
        ] {
            desk.send(line)
            let answer = try #require(desk.await { $0["error"] != nil || $0.string("reply") == "advance" })
            #expect(answer.string("code") == "not_permitted", "\(line) → \(answer)")
        }
        desk.send(
            #"{"event":"disposition","operator":"op-1","call":"\#(call)","action":"three_party","category":"0204","territory":"dongan-xinan","summary":"路灯"}"#
        )
        #expect(desk.await { $0.string("decision") == "phone_dispatch" } != nil)
        session.type("1")
        session.type("1")
        let score = try session.score()
        #expect(score["score"] as? Int == 100, "\(session.output.suffix(1200))")
    }

    /// kill -9 of a rehearsal at a desk leaves no server behind: the server's input is a pipe only the
    /// rehearsal holds, and its end stops the server.
    @Test func noServerOutlivesItsRehearsal() throws {
        let folder = try temporaryFolder()
        let temporary = folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let session = try DeskRehearsal("three-party-call", folder: folder, temporary: temporary)
        _ = try session.address()
        func servers() -> Int {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return pids.filter { pid in
                guard Int(pid) != nil,
                    let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
                else { return false }
                let text = String(decoding: cmdline.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                return text.contains(" serve ") && text.contains(temporary.path)
            }.count
        }
        #expect(servers() == 1)
        kill(session.process.processIdentifier, SIGKILL)
        session.process.waitUntilExit()
        let deadline = Date().addingTimeInterval(10)
        while servers() > 0 && Date() < deadline { usleep(50_000) }
        #expect(servers() == 0)
    }

    /// Only loopback: a desk elsewhere would connect without any secret of its own.
    @Test func aDeskListensOnLoopbackOnly() throws {
        let p = Process()
        p.executableURL = ServerProcess.binary
        p.arguments = [
            "rehearse", ServerProcess.root.appendingPathComponent("Scenarios/training/three-party-call.yaml").path,
            "--serve", "tcp:0.0.0.0:0",
        ]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        #expect(text.contains("loopback only"))
    }
}
