internal import HotlineCore

/// The other end of a connection, as the switchboard sees it: somewhere to send lines.
///
/// A transport implements it (stdio, TCP, Unix socket); every call to it happens on the switchboard's
/// thread.
package protocol PeerLink: AnyObject {
    /// Sends one line (the link adds the newline).
    func send(_ line: OutputLine)
    /// Closes the connection after the lines already sent, e.g. after a failed hello.
    func close()
    /// A short name for logs: `tcp 127.0.0.1:50412`, `unix`, `stdio`.
    var label: String { get }
}

/// A connection's state in the switchboard.
final class Peer {
    let link: any PeerLink
    /// Numbers connections in the order they came, for the names of peers that give none (never a
    /// memory address, which a later connection may reuse).
    let serial: Int
    /// What the peer is, fixed by its one hello; empty before it.
    var roles: Set<Role> = []
    /// Who the peer is: its peers-file name, the name it gave in its hello (no peers file), or
    /// `connection-N`. An adapter's calls and every peer's event ids belong to this name.
    var name = ""
    /// Whether the name was proven with a secret from the peers file.
    var authenticated = false
    /// For a unit's connection: the unit.
    var unit: UnitID?
    /// The server's own adapter (the FastAGI front), which no connection may take over.
    var isInternal = false
    /// May send `advance` (a manual clock).
    var mayAdvanceClock = false
    /// Lines sent to this peer so far (each output line carries it as `seq`).
    var sent = 0
    /// Operators this desktop connection logged in.
    var operators: Set<String> = []
    /// Event ids this peer sent, for idempotency; kept with the peer's name across reconnects.
    var seen: SeenEvents?

    init(link: any PeerLink, serial: Int) {
        self.link = link
        self.serial = serial
    }

    var saidHello: Bool { !roles.isEmpty }
}

/// Recently seen event ids of one named peer, for idempotency: a bounded set, oldest forgotten first.
struct SeenEvents {
    private var set: Set<String> = []
    private var order: [String] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int = 65_536) { self.capacity = max(1, capacity) }

    /// Records `id`; false when it was seen already.
    mutating func insert(_ id: String) -> Bool {
        guard set.insert(id).inserted else { return false }
        if order.count < capacity {
            order.append(id)
        } else {
            set.remove(order[next])
            order[next] = id
            next = (next + 1) % capacity
        }
        return true
    }

    func contains(_ id: String) -> Bool { set.contains(id) }

    /// Ids kept now.
    var count: Int { self.set.count }

    /// Forgets `id`, so that a refused event may be sent again with it.
    mutating func forget(_ id: String) { set.remove(id) }
}
