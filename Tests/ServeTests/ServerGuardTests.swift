import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `hotline serve` as a process defends its store, its sockets and its peers.
@Suite(.serialized) struct ServerGuardTests {
    /// Runs `hotline ARGS` to the end; its exit status and standard error.
    func run(_ arguments: [String], timeout: Double = 30) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = ServerProcess.binary
        p.arguments = arguments
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// Runs `hotline serve --model <the bundled model> ARGS` to the end; its exit status and standard error.
    func serve(_ arguments: [String]) throws -> (Int32, String) {
        try run(["serve", "--model", ServerProcess.model] + arguments)
    }

    /// Whether the server at `address` answers a ping.
    func answersPing(_ address: String) throws -> Bool {
        let client = try LineClient(address: address)
        client.send(#"{"event":"ping"}"#)
        return client.await { $0.string("reply") == "pong" } != nil
    }

    @Test func aSecondServerOnTheSameStoreExitsNamingTheFirst() throws {
        let dir = try temporaryFolder()
        let store = dir.appendingPathComponent("cases.sqlite").path
        let first = try ServerProcess(["--listen", "tcp:0", "--store", store])
        defer { first.terminate() }
        _ = try first.address("tcp:")
        let (code, err) = try serve(["--listen", "tcp:0", "--store", store])
        #expect(code == 1)
        #expect(err.contains("in use by hotline serve, pid \(first.process.processIdentifier)"))
        // The first server still serves.
        #expect(try answersPing(try first.address("tcp:")))
    }

    @Test func theUnixSocketIsPrivateAndALiveOneIsNeverTakenOver() throws {
        let dir = try temporaryFolder()
        let socket = dir.appendingPathComponent("h.sock").path
        let previous = umask(0)
        defer { umask(previous) }
        let first = try ServerProcess([
            "--listen", "unix:\(socket)", "--store", dir.appendingPathComponent("a.sqlite").path,
        ])
        defer { first.terminate() }
        _ = try first.address("unix:")
        var info = stat()
        #expect(lstat(socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        // Another server (another store) on the same socket path: refused; the first one's socket stays.
        let (code, err) = try serve([
            "--listen", "unix:\(socket)", "--store", dir.appendingPathComponent("b.sqlite").path,
        ])
        #expect(code == 1)
        #expect(err.contains("another server is listening there"))
        #expect(try answersPing("unix:\(socket)"))
    }

    @Test func aSocketPathTooLongIsRefusedBeforeAnythingIsTouched() throws {
        let dir = try temporaryFolder()
        let short = dir.appendingPathComponent("h.sock").path
        let first = try ServerProcess([
            "--listen", "unix:\(short)", "--store", dir.appendingPathComponent("a.sqlite").path,
        ])
        defer { first.terminate() }
        _ = try first.address("unix:")
        // The same socket named through a path longer than a socket address holds.
        let long = dir.path + "/" + String(repeating: "./", count: 60) + "h.sock"
        let (code, err) = try serve([
            "--listen", "unix:\(long)", "--store", dir.appendingPathComponent("b.sqlite").path,
        ])
        #expect(code == 1)
        #expect(err.contains("longer than a socket address holds"))
        #expect(FileManager.default.fileExists(atPath: short))
        #expect(try answersPing("unix:\(short)"))
    }

    @Test func aManualClockMayNotStartBeforeTheStoresLatestChange() throws {
        let dir = try temporaryFolder()
        let store = dir.appendingPathComponent("s.sqlite").path
        let first = Process()
        first.executableURL = ServerProcess.binary
        first.arguments = [
            "serve", "--model", ServerProcess.model, "--stdio", "--clock", "manual", "--start-at", "2026-12-05T09:00",
            "--store", store, "--quiet",
        ]
        let input = Pipe()
        first.standardInput = input
        first.standardOutput = FileHandle.nullDevice
        try first.run()
        input.fileHandleForWriting.write(
            Data(
                try String(
                    contentsOf: ServerProcess.root.appendingPathComponent("docs/examples/worked-call.jsonl"),
                    encoding: .utf8
                ).utf8))
        try input.fileHandleForWriting.close()
        first.waitUntilExit()
        let (code, err) = try serve([
            "--listen", "tcp:0", "--clock", "manual", "--start-at", "2026-11-30T09:00",
            "--store", store,
        ])
        #expect(code == 1)
        #expect(err.contains("was last changed at 2026-12-"))
    }

    @Test func withoutPeersOnlyLoopbackAndABusyPortIsNamed() throws {
        let (code, err) = try serve(["--listen", "tcp:0.0.0.0:0", "--store", "/tmp/x.sqlite"])
        #expect(code == 64)
        #expect(err.contains("loopback only"))
        let dir = try temporaryFolder()
        let first = try ServerProcess(["--listen", "tcp:0", "--store", dir.appendingPathComponent("a.sqlite").path])
        defer { first.terminate() }
        let address = try first.address("tcp:")
        let (busy, message) = try serve(["--listen", address, "--store", dir.appendingPathComponent("b.sqlite").path])
        #expect(busy == 1)
        #expect(message.contains("cannot listen on \(address)"))
        #expect(first.stderr.contains("no --peers file: listening on loopback"))
    }

    @Test func aSilentConnectionIsClosedAndTheConnectionCapHolds() throws {
        let dir = try temporaryFolder()
        let server = try ServerProcess([
            "--listen", "tcp:0", "--store", dir.appendingPathComponent("a.sqlite").path, "--hello-timeout", "0.5",
            "--max-connections", "2",
        ])
        defer { server.terminate() }
        let address = try server.address("tcp:")
        do {
            let silent = try LineClient(address: address)
            let e = silent.await(timeout: 5) { $0["error"] != nil }
            #expect(e?.string("code") == "hello_timeout")
        }
        usleep(300_000)
        let a = try LineClient(address: address)
        a.send(#"{"event":"hello","role":"desktop"}"#)
        let b = try LineClient(address: address)
        b.send(#"{"event":"hello","role":"desktop"}"#)
        #expect(a.await { $0.string("reply") == "hello" } != nil)
        #expect(b.await { $0.string("reply") == "hello" } != nil)
        let c = try LineClient(address: address)
        #expect(c.await(timeout: 5) { $0["error"] != nil }?.string("code") == "too_many_connections")
    }

    @Test func aPeersFileAdmitsOnlyItsPeersAndKeepsNoSecret() throws {
        let dir = try temporaryFolder()
        let peers = dir.appendingPathComponent("peers.yaml").path
        let add = Process()
        add.executableURL = ServerProcess.binary
        add.arguments = ["peers", "add", peers, "--name", "ast-1", "--role", "adapter"]
        let out = Pipe()
        add.standardOutput = out
        try add.run()
        add.waitUntilExit()
        let secret = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.count == 64)
        let file = try String(contentsOfFile: peers, encoding: .utf8)
        #expect(!file.contains(secret))
        var info = stat()
        #expect(stat(peers, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let server = try ServerProcess([
            "--listen", "tcp:0", "--store", dir.appendingPathComponent("a.sqlite").path, "--peers", peers,
        ])
        defer { server.terminate() }
        let address = try server.address("tcp:")
        let good = try LineClient(address: address)
        good.send(#"{"event":"hello","name":"ast-1","secret":"\#(secret)","v":1}"#)
        #expect(good.await { $0.string("reply") == "hello" }?["roles"] as? [String] == ["adapter"])
        let bad = try LineClient(address: address)
        bad.send(#"{"event":"hello","role":"unit","unit":"urban","v":1}"#)
        #expect(bad.await { $0["error"] != nil }?.string("code") == "missing_field")
        let guess = try LineClient(address: address)
        guess.send(#"{"event":"hello","name":"ast-1","secret":"nope","v":1}"#)
        #expect(guess.await { $0["error"] != nil }?.string("code") == "not_permitted")
    }
}
