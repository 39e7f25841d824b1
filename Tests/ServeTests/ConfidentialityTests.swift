import Foundation
import Testing

/// Art. 15: callers with known numbers go through the live backend into its store; no output of the
/// server or of the commands that read the store (case lists, ageing, the contact log, a case, the
/// bulletin, the assessment) shows a number unmasked or the complaint's text.
@Suite(.serialized) struct ConfidentialityTests {
    static let numbers = ["13987654321", "18611112222"]
    static let complaint = "三盏路灯不亮"
    /// What would betray a number: the number whole, and its masked middle digits.
    static let secrets = numbers + numbers.map { String($0.dropFirst(3).prefix(4)) } + [complaint]

    /// Runs `hotline ARGUMENTS` with `input` on standard input; what it printed (standard output and
    /// error, or only the error stream: a server's standard output with --stdio is its protocol to the
    /// PBX adapter, which must carry the number to dial for the satisfaction survey).
    static func hotline(_ arguments: [String], input: String = "", errorsOnly: Bool = false) throws -> (
        status: Int32, out: String
    ) {
        let p = Process()
        p.executableURL = ServerProcess.binary
        p.arguments = arguments
        let stdin = Pipe()
        let out = Pipe()
        p.standardInput = stdin
        p.standardOutput = errorsOnly ? FileHandle.nullDevice : out
        p.standardError = out
        try p.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func noOutputShowsACallersNumberOrComplaint() throws {
        let dir = try temporaryFolder()
        let store = dir.appendingPathComponent("cases.sqlite").path
        let worked = try String(
            contentsOf: ServerProcess.root.appendingPathComponent("docs/examples/worked-call.jsonl"), encoding: .utf8)
        // The worked call from a known number, then a complaint from another one.
        var lines = worked.replacingOccurrences(of: "13800138000", with: Self.numbers[0])
            .split(separator: "\n").map(String.init)
        let more = [
            #"{"event":"offer","call":"call-2","from":"\#(Self.numbers[1])","to":"12345"}"#,
            #"{"event":"result","call":"call-2","command_id":"c8","status":"ok"}"#,
            #"{"event":"result","call":"call-2","command_id":"c9","status":"ok"}"#,
            #"{"event":"result","call":"call-2","command_id":"c10","status":"ok"}"#,
            #"{"event":"disposition","operator":"op-7","call":"call-2","action":"work_order","category":"0204","territory":"dongan-xinan","summary":"\#(Self.complaint)"}"#,
            #"{"event":"hangup","call":"call-2","cause":"normal"}"#,
            #"{"event":"wrap_up_done","operator":"op-7"}"#,
        ]
        lines += more
        let run = try Self.hotline(
            [
                "serve", "--model", ServerProcess.model, "--clock", "manual", "--start-at", "2026-11-30T09:12",
                "--stdio", "--store", store,
            ], input: lines.joined(separator: "\n") + "\n", errorsOnly: true)
        #expect(run.status == 0, "\(run.out)")
        #expect(run.out.contains("139****4321"), "the server's own log names the caller masked")
        var outputs: [(String, String)] = [("serve", run.out)]
        let commands: [[String]] = [
            ["cases", "list", "--store", store], ["cases", "list", "--store", store, "--json"],
            ["cases", "list", "--store", store, "--ageing", "--at", "2026-12-10T09:00"],
            ["cases", "list", "--store", store, "--ageing", "--at", "2026-12-10T09:00", "--json"],
            ["cases", "show", "20261130-000001", "--store", store],
            ["cases", "show", "20261130-000001", "--store", store, "--json"],
            ["cases", "contacts", "--store", store], ["cases", "contacts", "--store", store, "--json"],
            ["cases", "contacts", "--store", store, "--caller", Self.numbers[1]],
        ]
        var reports: [[String]] = []
        for format in ["text", "md", "html", "json"] {
            for lang in ["zh", "en"] {
                reports.append([
                    "report", "bulletin", "--period", "2026-11", "--store", store, "--format", format, "--lang", lang,
                ])
                reports.append([
                    "report", "assessment", "--year", "2026", "--store", store, "--format", format, "--lang", lang,
                ])
            }
        }
        for arguments in commands + reports {
            let r = try Self.hotline(arguments)
            #expect(r.status == 0, "\(arguments.joined(separator: " ")): \(r.out)")
            outputs.append((arguments.joined(separator: " "), r.out))
        }
        // The outputs do show the callers, masked: the test would pass vacuously otherwise.
        #expect(outputs.contains { $0.1.contains("186****2222") })
        for (name, text) in outputs {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "\(name) shows '\(secret)'")
            }
        }
    }
}
