internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// An Asterisk call file: a leg Asterisk originates when the file appears in its outgoing spool.
///
/// Asterisk reads a call file as soon as it shows up, so the file is written whole in a directory
/// beside the spool (`outgoing.hotline-tmp`, on the same file system) and renamed into it.
struct CallFile {
    /// `Local/op-7@hotline-agents`.
    var channel: String
    var callerID: String
    /// Seconds the leg may ring.
    var waitTime: Int
    /// Channel variables of the leg (`HOTLINE_LEG`, the token its FastAGI session comes back with).
    var variables: [(String, String)]
    var context = "hotline-leg"

    init(channel: String, callerID: String, waitTime: Int, variables: KeyValuePairs<String, String>) {
        self.channel = channel
        self.callerID = callerID
        self.waitTime = waitTime
        self.variables = variables.map { ($0.key, $0.value) }
    }

    /// The file's text.
    var text: String {
        var lines = [
            "Channel: \(channel)",
            "CallerID: \"\(callerID)\" <\(callerID)>",
            "WaitTime: \(max(1, waitTime))",
            "MaxRetries: 0",
            "Context: \(context)",
            "Extension: s",
            "Priority: 1",
        ]
        for (name, value) in variables { lines.append("Setvar: \(name)=\(value)") }
        lines.append("Archive: no")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the file beside `outgoing` and renames it in.
    func spool(into outgoing: String, name: String) throws {
        let staging = (outgoing.hasSuffix("/") ? String(outgoing.dropLast()) : outgoing) + ".hotline-tmp"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let temporary = "\(staging)/\(name).call"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw CallFileError("cannot write \(temporary)")
        }
        guard rename(temporary, "\(outgoing)/\(name).call") == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw CallFileError("cannot move the call file into \(outgoing): \(why)")
        }
    }
}

struct CallFileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
