import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `hotline serve` as a real process, on a store in a temporary folder.
final class ServerProcess: @unchecked Sendable {
    static let binary: URL = {
        // The test bundle sits beside the built products.
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [products, products.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("hotline")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/hotline")
    }()

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The bundled city model's folder.
    static let model = root.appendingPathComponent("Scenarios/mudanjiang").path

    let process = Process()
    let stderrPipe = Pipe()
    private var stderrText = ""
    private let lock = NSLock()

    /// Starts `hotline serve ARGS` and waits until it listens; returns the bound addresses.
    init(_ arguments: [String], stdin: Pipe? = nil, stdout: Pipe? = nil) throws {
        process.executableURL = Self.binary
        process.arguments =
            ["serve", "--model", Self.model] + arguments
        process.standardError = stderrPipe
        if let stdin { process.standardInput = stdin }
        if let stdout { process.standardOutput = stdout }
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.stderrText += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
        try process.run()
    }

    var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return stderrText
    }

    /// The address it printed for `prefix` (`tcp:` or `unix:`), once it listens.
    func address(_ prefix: String, timeout: Double = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stderr.split(separator: "\n").first(where: { $0.contains("listening on \(prefix)") }),
                let range = line.range(of: "listening on ")
            {
                return String(line[range.upperBound...])
            }
            if !process.isRunning { throw ServeTestError("the server exited: \(stderr)") }
            usleep(20_000)
        }
        throw ServeTestError("the server did not listen in time: \(stderr)")
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A blocking JSON Lines client over TCP or a Unix socket, as a scripted adapter or desktop would be.
final class LineClient {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    /// - Parameter receiveBuffer: a small socket receive buffer makes a peer that does not read felt sooner.
    init(address: String, receiveBuffer: Int32? = nil) throws {
        if address.hasPrefix("unix:") {
            let path = String(address.dropFirst(5))
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                let bytes = Array(path.utf8)
                raw.copyBytes(from: bytes.prefix(raw.count - 1))
            }
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard r == 0 else { throw ServeTestError("cannot connect to \(address): errno \(errno)") }
        } else {
            let parts = address.dropFirst(4).split(separator: ":")
            let port = UInt16(parts.last!)!
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            if var size = receiveBuffer {
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard r == 0 else { throw ServeTestError("cannot connect to \(address): errno \(errno)") }
        }
    }

    deinit { Glibc.close(fd) }

    func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// The next line as a JSON object, or nil after `timeout` seconds or at the end of the stream.
    func next(timeout: Double = 10) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let nl = buffer[start...].firstIndex(of: 10) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                if start > 1 << 20 {
                    buffer.removeSubrange(..<start)
                    start = 0
                }
                return try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return nil }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(left * 1000)) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// Reads until a line matches; nil if none does in time.
    func await(timeout: Double = 10, _ match: ([String: Any]) -> Bool) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let o = next(timeout: deadline.timeIntervalSinceNow) else { return nil }
            if match(o) { return o }
        }
        return nil
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ k: String) -> String? { self[k] as? String }
}
