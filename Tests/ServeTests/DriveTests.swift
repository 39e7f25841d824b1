import Foundation
import Testing

/// `hotline drive` plays a simulated day through `hotline serve` (a peers file, TCP, a manual clock),
/// and the server does what the simulator does: every call, every case.
@Suite(.serialized) struct DriveTests {
    @Test func aSimulatedDayThroughTheServerMatchesTheSimulator() throws {
        let dir = try temporaryFolder()
        let peers = dir.appendingPathComponent("peers.yaml").path
        let credentials = dir.appendingPathComponent("drive.yaml").path
        let model = ServerProcess.model
        let add = Process()
        add.executableURL = ServerProcess.binary
        add.arguments = ["peers", "add-drive", peers, "--credentials", credentials, "--model", model]
        add.standardOutput = FileHandle.nullDevice
        try add.run()
        add.waitUntilExit()
        #expect(add.terminationStatus == 0)
        let server = try ServerProcess([
            "--listen", "tcp:0", "--store", dir.appendingPathComponent("day.sqlite").path, "--peers", peers,
            "--clock", "manual", "--start-at", "2026-01-05T00:00", "--wrap-up", "desktop",
        ])
        defer { server.terminate() }
        let address = try server.address("tcp:")
        let drive = Process()
        drive.executableURL = ServerProcess.binary
        drive.arguments = [
            "drive", "--model", model, "--connect", address, "--credentials", credentials, "--days", "1", "--start",
            "2026-01-05", "--json", "--quiet",
        ]
        let out = Pipe()
        drive.standardOutput = out
        try drive.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        drive.waitUntilExit()
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(drive.terminationStatus == 0)
        #expect(report["passed"] as? Bool == true, "\(report["mismatches"] ?? "")")
        #expect((report["calls_offered"] as? Int ?? 0) > 1000)
        let cases = report["sim_cases"] as? Int ?? 0
        #expect(cases > 300)
        #expect(report["cases_equal"] as? Int == cases)
        #expect(report["protocol_error_count"] as? Int == 0)
    }

    @Test(arguments: [["--clock", "wall"], ["--clock", "manual", "--wrap-up", "30"]])
    func aServerThatCannotBeDrivenIsRefusedSayingWhy(flags: [String]) throws {
        let dir = try temporaryFolder()
        let server = try ServerProcess(
            ["--listen", "tcp:0", "--store", dir.appendingPathComponent("s.sqlite").path] + flags)
        defer { server.terminate() }
        let drive = Process()
        drive.executableURL = ServerProcess.binary
        drive.arguments = [
            "drive", "--model", ServerProcess.model, "--connect",
            try server.address("tcp:"), "--quiet",
        ]
        let err = Pipe()
        drive.standardError = err
        try drive.run()
        drive.waitUntilExit()
        #expect(drive.terminationStatus == 1)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains(flags.contains("wall") ? "--clock manual" : "--wrap-up desktop"), "\(message)")
    }
}
