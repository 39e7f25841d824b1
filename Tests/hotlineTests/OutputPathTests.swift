import ArgumentParser
import Foundation
import Testing

@testable import hotline

/// `--report` and `--csv` are made ready before a run: missing folders are created, and a path that
/// cannot be written fails at once with the reason in plain words, never Foundation's error text.
struct OutputPathTests {
    /// A fresh folder for one test.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func simulate(_ arguments: [String]) throws -> Simulate {
        try #require(try Hotline.parseAsRoot(["simulate", "--quiet"] + arguments) as? Simulate)
    }

    /// The message ArgumentParser prints for what `body` throws.
    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return Hotline.message(for: error)
        }
    }

    static func expectPlain(_ message: String?) {
        for raw in ["The operation could not be completed", "NSCocoaErrorDomain", "Error Domain=", "NSPOSIX"] {
            #expect(message?.contains(raw) == false, "\(message ?? "")")
        }
    }

    @Test func missingFoldersAreCreated() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("a/b/day.html").path
        let csv = dir.appendingPathComponent("c/d").path
        try Self.simulate(["--report", report, "--csv", csv]).prepareOutputs()
        #expect(OutputPath.isFolder(dir.appendingPathComponent("a/b").path))
        #expect(OutputPath.isFolder(csv))
        // Only the folders: no report yet, and the write check leaves nothing behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("a/b").path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: csv).isEmpty)
    }

    @Test func aFileInThePathIsNamed() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("notes").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let report = "\(file)/sub/day.html"
        let message = Self.message { try Self.simulate(["--report", report]).prepareOutputs() }
        #expect(message == "cannot write the report to \(report): \(file) is a file, not a folder")
        // --csv naming an existing file.
        #expect(
            Self.message { try Self.simulate(["--csv", file]).prepareOutputs() }
                == "cannot write the CSV files to \(file): \(file) is a file, not a folder")
    }

    @Test func aReportThatIsAFolderIsRefused() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(
            Self.message { try Self.simulate(["--report", dir.path]).prepareOutputs() }
                == "cannot write the report to \(dir.path): \(dir.path) is a folder, not a file")
    }

    /// The check comes first: with a model that does not exist, the path is what fails.
    @Test func aBadPathFailsBeforeTheModelIsLoaded() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("notes").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let command = try Self.simulate(["--model", dir.appendingPathComponent("none.yaml").path, "--csv", file])
        await #expect(throws: OutputError.self) { try await command.run() }
    }

    @Test(.enabled(if: getuid() != 0, "root may write anywhere"))
    func aFolderWithoutWritePermissionIsNamed() throws {
        let dir = try Self.scratch()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path)
            try? FileManager.default.removeItem(at: dir)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: dir.path)
        let report = dir.appendingPathComponent("day.html").path
        let message = Self.message { try Self.simulate(["--report", report]).prepareOutputs() }
        #expect(message == "cannot write the report to \(report): no permission to write in \(dir.path)")
        let csv = dir.appendingPathComponent("csv").path
        let csvMessage = Self.message { try Self.simulate(["--csv", csv]).prepareOutputs() }
        #expect(csvMessage?.hasPrefix("cannot write the CSV files to \(csv): ") == true)
        Self.expectPlain(csvMessage)
    }

    /// A folder no file can be created in, even by root (Linux's /proc).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
    func aFolderThatTakesNoFilesIsNamed() throws {
        #expect(
            Self.message { try Self.simulate(["--report", "/proc/day.html"]).prepareOutputs() }
                == "cannot write the report to /proc/day.html: /proc does not accept new files")
    }

    /// A write that fails after the run (here, into a folder that has gone) is translated too.
    @Test func aFailedWriteIsTranslated() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("gone/day.html").path
        let message = Self.message { try OutputPath.write("<html>", toFile: report, what: "the report") }
        #expect(message == "cannot write the report to \(report): the folder does not exist")
    }

    @Test func foundationErrorsBecomePlainWords() {
        let full = NSError(
            domain: NSCocoaErrorDomain, code: CocoaError.fileWriteOutOfSpace.rawValue,
            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))])
        #expect(OutputPath.reason(full) == "the disk is full")
        #expect(OutputPath.reason(CocoaError(.fileWriteOutOfSpace)) == "the disk is full")
        #expect(OutputPath.reason(CocoaError(.fileWriteVolumeReadOnly)) == "the disk is read-only")
        #expect(
            OutputPath.reason(NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES)), in: "/srv")
                == "no permission to write in /srv")
        let odd = OutputPath.reason(NSError(domain: "Elsewhere", code: 7))
        #expect(odd == "the system refused to write it")
        Self.expectPlain(OutputPath.reason(CocoaError(.fileWriteUnknown)))
    }
}
