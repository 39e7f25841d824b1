internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// One writer per store: an exclusive lock on `STORE.lock`, held for as long as the store is open for
/// writing. The kernel drops it when the process ends, `kill -9` included, so a crash never leaves
/// a stale lock. The file says who holds it, for the message a second server prints.
final class StoreLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of the store at `storePath`, or throws naming the holder.
    init(storePath: String) throws(StoreError) {
        let path = storePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError("cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.holder(fd)
            close(fd)
            throw StoreError(
                "the store \(storePath) is in use by \(holder); stop it first, or give another --store")
        }
        descriptor = fd
        let info =
            "hotline serve, pid \(getpid()), since \(ISO8601DateFormatter().string(from: Date())), on \(ProcessInfo.processInfo.hostName)\n"
        _ = ftruncate(fd, 0)
        _ = info.withCString { pwrite(fd, $0, strlen($0), 0) }
        _ = fsync(fd)
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }

    /// What the holder wrote into the lock file, or a plain description when it wrote nothing.
    private static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let text =
            n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "another process, which holds its lock file" : text
    }
}
