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

/// What a peer is to the centre, stated in its `hello`.
package enum Role: String, Sendable, CaseIterable {
    /// A PBX adapter: offers calls, reports results of commands, hangups.
    case pbx
    /// An operator desktop: logs operators in and out, reports dispositions.
    case desktop
    /// A unit's case system: sees and acts on its own cases only (Art. 15).
    case unit
}

/// A connection's state in the switchboard.
final class Peer {
    let link: any PeerLink
    /// What the peer said it is; several roles share one connection when it says so (a test
    /// harness, an all-in-one integration, a script pasted into `--stdio`).
    var roles: Set<Role> = []
    /// The name the peer gave in its hello (an adapter's name survives its reconnects).
    var name = ""
    /// For a unit's connection: the unit.
    var unit: UnitID?
    /// Lines sent to this peer so far (each output line carries it as `seq`).
    var sent = 0
    /// Operators this desktop connection logged in.
    var operators: Set<String> = []

    init(link: any PeerLink) { self.link = link }
}

/// Recently seen event ids of one named peer, for idempotency: a bounded set, oldest forgotten first.
struct SeenEvents {
    private var set: Set<String> = []
    private var order: [String] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int = 65_536) { self.capacity = capacity }

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

    /// Forgets `id`, so that a refused event may be sent again with it.
    mutating func forget(_ id: String) { set.remove(id) }
}
