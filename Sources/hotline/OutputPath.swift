import Foundation

/// Why a result cannot be written, in plain words.
///
/// ArgumentParser prints a thrown `OutputError` as one line, `Error: cannot write the report to
/// out/day.html: out is a file, not a folder`, and exits with status 1: the path is a fact of the
/// machine, not a misuse of the command line.
struct OutputError: Error, Equatable, CustomStringConvertible {
    /// What was to be written: "the report", "the CSV files".
    var what: String
    /// The path as the user gave it.
    var path: String
    /// The reason, in plain words (never Foundation's error text).
    var reason: String

    var description: String { "cannot write \(what) to \(path): \(reason)" }
}

/// The files and folders `hotline` writes results to, made ready before a run starts, so that a bad
/// path fails at once and not after the simulation.
enum OutputPath {
    /// Makes the folder of a file ready: creates missing parent folders and checks that a file can be
    /// created there.
    /// - Throws: `OutputError` when `path` is a folder, a part of it is a file, or the folder cannot
    ///   be created or written to.
    static func prepareFile(_ path: String, what: String) throws(OutputError) {
        guard !path.isEmpty else { throw OutputError(what: what, path: path, reason: "the path is empty") }
        if isFolder(path) { throw OutputError(what: what, path: path, reason: "\(path) is a folder, not a file") }
        let parent = (path as NSString).deletingLastPathComponent
        try prepareFolder(parent.isEmpty ? "." : parent, what: what, path: path)
    }

    /// Makes a folder ready: creates it and its missing parents, and checks that a file can be
    /// created in it.
    /// - Parameter path: the path to name in the error, when it is not `folder` itself.
    /// - Throws: `OutputError` when a part of the path is a file or the folder cannot be created or
    ///   written to.
    static func prepareFolder(_ folder: String, what: String, path: String? = nil) throws(OutputError) {
        let path = path ?? folder
        func failure(_ reason: String) -> OutputError { OutputError(what: what, path: path, reason: reason) }
        guard !folder.isEmpty else { throw failure("the path is empty") }
        // The nearest part of the path that exists must be a folder.
        var existing = folder
        while !FileManager.default.fileExists(atPath: existing) {
            let up = (existing as NSString).deletingLastPathComponent
            if up.isEmpty || up == existing { break }
            existing = up
        }
        if FileManager.default.fileExists(atPath: existing) && !isFolder(existing) {
            throw failure("\(existing) is a file, not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw failure("cannot create the folder \(folder): \(reason(error, in: existing))")
        }
        // Creating a file is the only sure test (permissions, a read-only disk, /proc).
        let probe = (folder as NSString).appendingPathComponent(".hotline-write-check-\(getpid())")
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            let code = errno
            throw failure(
                code == ENOENT ? "\(folder) does not accept new files" : reason(posix: code, in: folder))
        }
        close(fd)
        unlink(probe)
    }

    /// Writes text to a file (atomically), translating a failure.
    /// - Throws: `OutputError` with the reason in plain words (a full disk, no permission, …).
    static func write(_ text: String, toFile path: String, what: String) throws(OutputError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw OutputError(what: what, path: path, reason: reason(error))
        }
    }

    /// The reason for a failed file operation in plain words, from the POSIX error under a
    /// Foundation error, or from the Foundation error's code; never Foundation's own text.
    /// - Parameter folder: the folder written to, when known, to name it in the reason.
    static func reason(_ error: any Error, in folder: String? = nil) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return reason(posix: Int32(ns.code), in: folder) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return reason(posix: Int32(underlying.code), in: folder)
        }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteOutOfSpace: return "the disk is full"
            case .fileWriteNoPermission, .fileReadNoPermission:
                return folder.map { "no permission to write in \($0)" } ?? "no permission to write there"
            case .fileWriteVolumeReadOnly: return "the disk is read-only"
            case .fileNoSuchFile, .fileReadNoSuchFile: return "the folder does not exist"
            case .fileWriteFileExists: return "something else is already at that path"
            case .fileWriteInvalidFileName: return "the name is not a valid file name"
            default: break
            }
        }
        return "the system refused to write it"
    }

    /// A POSIX error number in plain words.
    /// - Parameter folder: the folder written to, when known, to name it in the reason.
    static func reason(posix code: Int32, in folder: String? = nil) -> String {
        switch code {
        case ENOSPC: return "the disk is full"
        case EDQUOT: return "the disk quota is used up"
        case EACCES, EPERM: return folder.map { "no permission to write in \($0)" } ?? "no permission to write there"
        case EROFS: return "the disk is read-only"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case EISDIR: return "it is a folder, not a file"
        case ENOENT: return "the folder does not exist"
        case ENAMETOOLONG: return "the name is too long"
        case ELOOP: return "the path has a loop of symbolic links"
        case EEXIST: return "something else is already at that path"
        case EIO: return "the disk reported an input/output error"
        default:
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }

    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}
