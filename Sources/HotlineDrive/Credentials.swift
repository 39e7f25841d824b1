internal import Foundation
internal import Yams

/// The names and secrets of the peers `hotline drive` plays against a server with a peers file: the
/// control peer (adapter, desktop and supervisor, allowed to advance the clock) and one peer per unit.
/// Secrets never go on the command line; the file should be readable by its owner only.
package struct Credentials: Sendable {
    package struct Entry: Sendable, Hashable {
        package var name: String
        package var secret: String
        /// For a unit's peer: its unit (`nil`: learned from the server's hello reply).
        package var unit: String?

        package init(name: String, secret: String, unit: String? = nil) {
            self.name = name
            self.secret = secret
            self.unit = unit
        }
    }

    package var entries: [Entry]

    package init(entries: [Entry]) { self.entries = entries }

    /// Reads `peers: [{name, secret}]`; every problem names the file and the line.
    package static func load(path: String) throws -> Credentials {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DriveError("\(path): cannot be read (no such file, or no permission)")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text, .basic) } catch { throw DriveError("\(path): not YAML") }
        guard let list = node?.mapping?["peers"]?.sequence else {
            throw DriveError("\(path):1: error: peers: the file holds 'peers:', a list of {name, secret}")
        }
        var entries: [Entry] = []
        for (i, item) in list.enumerated() {
            guard let name = item.mapping?["name"]?.string, let secret = item.mapping?["secret"]?.string,
                !name.isEmpty, !secret.isEmpty
            else {
                throw DriveError("\(path):\(item.mark?.line ?? 0): error: peers[\(i)]: a name and a secret")
            }
            entries.append(Entry(name: name, secret: secret, unit: item.mapping?["unit"]?.string))
        }
        return Credentials(entries: entries)
    }

    /// The file's text for `entries`.
    package static func text(_ entries: [Entry]) -> String {
        "# hotline drive: the peers it plays and their secrets (keep this file 0600)\npeers:\n"
            + entries.map { e in
                "  - { name: \(e.name), secret: \"\(e.secret)\"\(e.unit.map { ", unit: \($0)" } ?? "") }\n"
            }.joined()
    }
}
