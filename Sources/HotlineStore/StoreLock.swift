internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// One writer per store: an exclusive lock on the database file itself, held for as long as the store
/// is open for writing (a lock on a file beside it could be deleted from under the server). The kernel
/// drops it when the process ends, `kill -9` included, so a crash never leaves a stale lock. `STORE.lock`
/// says who holds it, for the message a second server prints; it is information, not the lock.
final class StoreLock: Sendable {
    private let database: Int32
    private let descriptor: Int32

    /// Takes the lock of the store at `storePath` (creating the file, 0600, when missing), or throws
    /// naming the holder.
    init(storePath: String) throws(StoreError) {
        let db = open(storePath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard db >= 0 else {
            throw StoreError("cannot open the store \(storePath): \(String(cString: strerror(errno)))")
        }
        let path = storePath + ".lock"
        guard flock(db, LOCK_EX | LOCK_NB) == 0 else {
            let info = open(path, O_RDONLY | O_CLOEXEC)
            let holder = info >= 0 ? Self.holder(info) : "another process"
            if info >= 0 { close(info) }
            close(db)
            throw StoreError(
                "the store \(storePath) is in use by \(holder); stop it first, or give another --store")
        }
        database = db
        unlink(path)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            close(db)
            throw StoreError("cannot create \(path): \(String(cString: strerror(errno)))")
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
        close(database)
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
