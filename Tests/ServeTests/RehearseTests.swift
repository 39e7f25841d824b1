import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `hotline rehearse` as a trainee meets it: keystrokes on standard input, under tmux, Ctrl-C mid-way;
/// every session leaves a log that `--replay` reproduces.
@Suite(.serialized) struct RehearseTests {
    static let scenario = ServerProcess.root.appendingPathComponent("Scenarios/training/duty-line-no-answer.yaml").path

    private func run(_ arguments: [String], input: String = "") throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = ServerProcess.binary
        p.arguments = ["rehearse"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = stderr
        try p.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out, err)
    }

    private func score(_ out: String) throws -> [String: Any] { try scoreDocument(out) }

    /// Art. 10(2), 10(3): keystrokes for a full-marks handling; the log replays to the same score.
    @Test func aSessionAtTheTerminalScoresAndReplays() throws {
        let log = try temporaryFolder().appendingPathComponent("s.log").path
        // Ask where, the three-party call, register (category, unit, summary), end the call, two days.
        let keys = "1\n1\n3\n4\n0204\nurban\n长安路路灯不亮\n10\n1\n1\n"
        let session = try run([Self.scenario, "--log", log, "--json", "--mode", "exam"], input: keys)
        #expect(session.status == 0, "\(session.err)")
        let s = try score(session.out)
        #expect(s["score"] as? Int == 100)
        #expect(!session.out.contains("✓"))  // exam: no feedback on the way
        let replay = try run(["--replay", log, "--json"])
        #expect(replay.status == 0)
        #expect(NSDictionary(dictionary: try score(replay.out)) == NSDictionary(dictionary: s))
    }

    /// Coaching: feedback after each step, with the article; a wrong step says what was asked for.
    @Test func coachingSaysWhatTheRegulationAsks() throws {
        let log = try temporaryFolder().appendingPathComponent("c.log").path
        let session = try run([Self.scenario, "--log", log], input: "4\n0204\nurban\n路灯\n10\n1\n1\n")
        #expect(session.out.contains("✗ The regulation asks to make a three-party call here (Art. 10(2))"))
        #expect(session.out.contains("registered without first trying a three-party call"))
        #expect(session.out.contains("score 60 / 100"))
    }

    /// Art. 10(9), 13: on the day the supervision's limit passes too, the centre supervises again and
    /// then reports the unit: several steps on one day, each in the log.
    @Test func theCentreTakesSeveralStepsOnOneDay() throws {
        let scenario = ServerProcess.root.appendingPathComponent("Scenarios/training/overdue-accountability.yaml").path
        let log = try temporaryFolder().appendingPathComponent("o.log").path
        // three-party, register, end the call; day 1 nothing; day 7 supervise; day 10 supervise + report;
        // day 15 nothing.
        let keys = "3\n4\n0201\nurban\n垃圾点一周未清运\n10\n1\n4\n1\n4\n5\n1\n1\n"
        let session = try run([scenario, "--log", log, "--mode", "exam"], input: keys)
        #expect(session.out.contains("score 100 / 100"), "\(session.out.suffix(600))")
        let replay = try run(["--replay", log])
        #expect(replay.out.contains("score 100 / 100"))
    }

    /// `--audio`: the caller's lines and the survey prompt go to ALSA's null device (or, where ALSA or
    /// espeak-ng is missing, one warning); the session and its score are those of a text session.
    @Test func audioOnTheNullDeviceChangesNothingButTheSound() throws {
        let folder = try temporaryFolder()
        let keys = "3\n1\n1\n"
        let quiet = try run([Self.scenario, "--log", folder.appendingPathComponent("q.log").path], input: keys)
        let loud = try run(
            [Self.scenario, "--log", folder.appendingPathComponent("l.log").path, "--audio", "--audio-device", "null"],
            input: keys)
        #expect(loud.status == 0)
        #expect(loud.out.contains("score 40 / 100") && quiet.out.contains("score 40 / 100"))
        #expect(loud.err.components(separatedBy: "\n").filter { !$0.isEmpty }.count <= 2, "\(loud.err)")
        let nowhere = try run(
            [
                Self.scenario, "--log", folder.appendingPathComponent("n.log").path, "--audio", "--audio-device",
                "nosuch",
            ],
            input: keys)
        #expect(nowhere.status == 0 && nowhere.out.contains("score 40 / 100"))
        #expect(nowhere.err.contains("hotline rehearse:"))
    }

    /// Nonsense keys are asked again, never a crash; the end of input ends the session with a log.
    @Test func strayKeysAndTheEndOfInputAreSafe() throws {
        let log = try temporaryFolder().appendingPathComponent("k.log").path
        let session = try run([Self.scenario, "--log", log], input: "x\n99\n\u{1b}[A\n-1\n3\n")
        #expect(session.status == 0)
        #expect(session.out.contains("Type a number from 1 to 10."))
        let replay = try run(["--replay", log])
        #expect(replay.out.contains("score 40 / 100"))
    }

    /// Driven under tmux with send-keys through a whole scenario to its score; then Ctrl-C mid-way in
    /// a second session leaves a log that `--replay` reproduces.
    @Test(.enabled(if: TmuxSession.isAvailable))
    func underTmuxAndCtrlC() throws {
        let folder = try temporaryFolder()
        let whole = TmuxSession()
        whole.start("\(ServerProcess.binary.path) rehearse \(Self.scenario) --log \(folder.path)/w.log; sleep 30")
        defer { whole.kill() }
        #expect(whole.waitFor("What do you do?"))
        // Ask where, the three-party call, register (category, unit, summary), end the call, two days;
        // typed at a trainee's pace, each line echoed by the terminal.
        for key in ["1", "1", "3", "4", "0204", "urban", "长安路路灯不亮", "10", "1", "1"] {
            whole.type(key)
            usleep(150_000)
        }
        #expect(whole.waitFor("score 100 / 100"), "\(whole.screen().suffix(800))")
        let replayWhole = try run(["--replay", "\(folder.path)/w.log"])
        #expect(replayWhole.out.contains("score 100 / 100"))

        let log = folder.appendingPathComponent("t.log").path
        let interrupted = TmuxSession()
        interrupted.start("\(ServerProcess.binary.path) rehearse \(Self.scenario) --log \(log); sleep 30")
        defer { interrupted.kill() }
        #expect(interrupted.waitFor("What do you do?"))
        interrupted.type("3")
        #expect(interrupted.waitFor("nobody answers"))
        interrupted.press("C-c")
        #expect(interrupted.waitFor("session interrupted"))
        let replay = try run(["--replay", log])
        #expect(replay.out.contains("score 40 / 100"))
        #expect(replay.out.contains("three_party at"))
    }
}

/// The last JSON object a rehearsal printed (the score document): from the last line that is a lone
/// `{` to the last lone `}`.
func scoreDocument(_ out: String) throws -> [String: Any] {
    let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
    let start = try #require(lines.lastIndex { $0 == "{" })
    let end = try #require(lines.lastIndex { $0 == "}" })
    let text = lines[start...end].joined(separator: "\n")
    return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}
