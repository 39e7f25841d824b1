package import HotlineCore
internal import HotlineEngine
package import HotlineStore

/// The live centre: IVR, ACD and case register behind the line protocol (docs/protocol.md).
///
/// One switchboard serves every connection. It is confined to one thread (the transport's event loop):
/// lines come in through `receive`, time moves through `tick`, and everything it says goes out through
/// the peers' links. The routing core decides every call and case exactly as it does in the simulator;
/// the switchboard only carries its decisions out and keeps the state of calls, operators and duty lines.
package final class Switchboard {
    /// Settings of a serving centre.
    package struct Options: Sendable {
        /// A shared secret every hello must carry, or `nil` for none.
        package var token: String?
        /// Languages offered after the greeting (`["zh", "en"]`: press 1 or 2); none for no choice.
        package var languages: [String] = []
        /// Seconds after a call before an operator is ready again, unless the desktop says so sooner.
        package var wrapUp: Double = 30
        /// Seconds between queue announcements (position and expected wait).
        package var announceEvery: Double = 60
        /// Seconds a command may take before it ends as `timeout`; a collect adds its own timeouts.
        package var commandTimeout: Double = 30
        /// Seconds a disconnected adapter's calls wait for its `resync` before they are ended.
        package var resyncGrace: Double = 60
        /// Seconds between attempts to read a case to a unit whose duty line did not answer (Art. 10(3)).
        package var dispatchRetry: Double = 300
        /// Attempts before a phone dispatch falls back to a written work order.
        package var dispatchAttempts: Int = 3
        /// Seconds between attempts to reach an assisting unit of an emergency (Art. 11).
        package var notificationRetry: Double = 60

        package init() {}
    }

    let model: CityModel
    /// The model's mean handling time of a call (talk and after-call work), for expected waits.
    let meanHandle: Double
    var router: Router { model.router }
    let options: Options
    let clock: () -> Instant
    /// Runs a closure on the switchboard's thread later (the group commit's acknowledgements hop back here).
    let hop: @Sendable (@escaping @Sendable () -> Void) -> Void
    let store: CaseStore
    let commit: GroupCommit
    /// Where the switchboard logs (never a caller's number or text unmasked: Art. 15).
    let log: (String) -> Void

    var peers: [ObjectIdentifier: Peer] = [:]
    var seen: [String: SeenEvents] = [:]
    var calls: [String: Call] = [:]
    /// Calls that ended recently: late results for them are dropped without an error.
    var ended = SeenEvents(capacity: 16_384)
    var waiting: [String] = []
    var waitingHead = 0
    var agents: [String: Agent] = [:]
    /// Operators in the order they became ready, with the generation they had then: the head is the
    /// longest idle (entries whose operator has moved on since are skipped).
    var readyOrder: [(id: String, generation: Int)] = []
    var readyHead = 0
    var linesBusy: [UnitID: Int] = [:]
    var timers = EventQueue<Timer>()
    var nextCommand = 0
    var nextOutbound = 0
    var tickets = 0
    /// Open cases, as the core holds them, with what the centre took down.
    var cases: [CaseID: LiveCase] = [:]
    var lastCaseNumber: Int64
    /// Outbound work waiting for a free operator: call-backs of missed calls.
    var callbackQueue: [MissedCall] = []
    /// Three-party calls under way: what the operator took down, and the line of their disposition.
    var pendingConferences: [String: (intake: Intake, line: Int)] = [:]
    /// Counts for `status` and the benchmark.
    package internal(set) var counters = Counters()

    package struct Counters: Sendable {
        package var lines = 0
        package var errors = 0
        package var duplicates = 0
        package var commands = 0
        package var callsOffered = 0
        package var casesRegistered = 0
    }

    /// - Parameters:
    ///   - clock: the centre's local time now.
    ///   - hop: runs a closure on the switchboard's thread.
    package init(
        model: CityModel, store: CaseStore, options: Options = Options(), clock: @escaping () -> Instant,
        hop: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void, log: @escaping (String) -> Void = { _ in }
    ) throws {
        self.model = model
        meanHandle = model.handling.values.reduce(0.0) { $0 + $1.share * ($1.talk.mean + ($1.afterCall?.mean ?? 0)) }
        self.options = options
        self.clock = clock
        self.hop = hop
        self.store = store
        self.commit = GroupCommit(store: store)
        self.log = log
        lastCaseNumber = try store.lastCaseNumber()
        try takeUpStoredCases()
    }

    // MARK: Connections

    package func connect(_ link: any PeerLink) {
        peers[ObjectIdentifier(link)] = Peer(link: link)
    }

    /// The connection is gone: its operators log out, its calls wait for a `resync` (Art. 10: no call
    /// is dropped because an adapter restarted).
    package func disconnect(_ link: any PeerLink) {
        guard let peer = peers.removeValue(forKey: ObjectIdentifier(link)) else { return }
        let now = clock()
        for id in peer.operators { logOut(id, at: now) }
        if peer.roles.contains(.pbx) {
            let orphans = calls.values.filter { $0.peer === peer }
            for call in orphans {
                call.peer = nil
                call.detachedAt = now
                schedule(.resyncExpiry(call: call.id), at: now + options.resyncGrace)
            }
            if !orphans.isEmpty {
                log(
                    "\(link.label): adapter '\(peer.name)' disconnected; \(orphans.count) calls wait \(Int(options.resyncGrace)) s for its resync"
                )
            }
        }
    }

    // MARK: Input

    /// One input line (without its newline) from `link`; `number` is its line number on that connection.
    package func receive(_ line: [UInt8], from link: any PeerLink, number: Int) {
        guard let peer = peers[ObjectIdentifier(link)] else { return }
        counters.lines += 1
        do {
            let message = try LineMessage(line: line)
            try handle(message, from: peer, number: number)
        } catch {
            reject(error, line: number, to: peer)
        }
    }

    /// An input line longer than the limit was skipped.
    package func receiveOversized(from link: any PeerLink, number: Int, limit: Int) {
        guard let peer = peers[ObjectIdentifier(link)] else { return }
        counters.lines += 1
        reject(
            LineError("line_too_long", "the line is longer than \(limit) bytes and was skipped"), line: number, to: peer
        )
    }

    func reject(_ error: LineError, line: Int, id: String? = nil, to peer: Peer) {
        counters.errors += 1
        var out = OutputLine("error", error.message)
        out.add("code", error.code)
        out.add("input_line", line)
        out.add("field", error.field)
        out.add("id", id)
        send(out, to: peer)
    }

    private func handle(_ message: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        let event = try message.event()
        if event == "hello" { return try hello(message, from: peer, number: number) }
        if event == "ping" {
            var out = OutputLine("reply", "pong")
            out.add("input_line", number)
            return send(out, to: peer)
        }
        guard !peer.roles.isEmpty else {
            throw LineError("hello_first", "say hello first: {\"event\":\"hello\",\"role\":\"pbx\",\"v\":1}")
        }
        // Idempotency: an event id seen before from this peer is acknowledged and not applied again.
        let id = message.eventID
        if let id, !seen[peer.name, default: SeenEvents()].insert(id) {
            counters.duplicates += 1
            var out = OutputLine("reply", "duplicate")
            out.add("id", id)
            out.add("input_line", number)
            return send(out, to: peer)
        }
        do {
            if Self.pbxEvents.contains(event) && peer.roles.contains(.pbx) {
                try pbxEvent(event, message, from: peer, number: number)
            } else if peer.roles.contains(.desktop) {
                try desktopEvent(event, message, from: peer, number: number)
            } else if peer.roles.contains(.unit) {
                try unitEvent(event, message, from: peer, number: number)
            } else {
                try pbxEvent(event, message, from: peer, number: number)
            }
        } catch {
            // A refused event may be sent again once corrected.
            if let id { seen[peer.name]?.forget(id) }
            throw error
        }
    }

    /// Events a PBX adapter sends.
    static let pbxEvents: Set<String> = [
        "offer", "answered", "result", "played", "dtmf", "joined", "left", "hangup", "resync",
    ]

    private func hello(_ message: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        let names = message.has("roles") ? try message.strings("roles") : [try message.string("role")]
        var roles: Set<Role> = []
        for name in names {
            guard let role = Role(rawValue: name) else {
                throw LineError(
                    "wrong_type", "a role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: message.has("roles") ? "roles" : "role")
            }
            roles.insert(role)
        }
        guard !roles.isEmpty else { throw LineError("missing_field", "'role' is required", field: "role") }
        if roles.contains(.unit) && roles.count > 1 {
            throw LineError("refused", "a unit's connection has the unit role only (Art. 15)", field: "roles")
        }
        if let v = try message.int("v"), v != protocolVersion {
            throw LineError(
                "wrong_type", "this server speaks protocol version \(protocolVersion), not \(v)", field: "v")
        }
        if let token = options.token, (try message.optionalString("token")) != token {
            var out = OutputLine("error", "wrong or missing token")
            out.add("code", "not_permitted")
            out.add("input_line", number)
            send(out, to: peer)
            peer.link.close()
            return
        }
        if roles.contains(.unit) {
            let unit = UnitID(try message.string("unit"))
            guard router.directory.snapshot(at: clock()).contains(unit) else {
                throw LineError("refused", "no unit '\(unit)' in the directory", field: "unit")
            }
            peer.unit = unit
        }
        peer.roles = roles
        let kind = roles.map(\.rawValue).sorted().joined(separator: "+")
        peer.name =
            (try message.optionalString("name")).map { "\(kind):\($0)" }
            ?? "\(kind)#\(ObjectIdentifier(peer).hashValue)"
        var out = OutputLine("reply", "hello")
        out.add("v", protocolVersion)
        out.add("server", "hotline")
        out.add("centre", model.name)
        out.add("input_line", number)
        send(out, to: peer)
    }

    // MARK: Output

    func send(_ line: OutputLine, to peer: Peer) {
        var line = line
        peer.sent += 1
        line.add("seq", peer.sent)
        peer.link.send(line)
    }

    /// A reply to an event that needs one (desktop and unit events).
    func acknowledge(_ event: String, line number: Int, to peer: Peer, _ fill: (inout OutputLine) -> Void = { _ in }) {
        var out = OutputLine("reply", event)
        out.add("input_line", number)
        fill(&out)
        send(out, to: peer)
    }

    // MARK: Time

    enum Timer {
        case commandDeadline(call: String, command: String)
        case announce(call: String, generation: Int)
        case wrapUpEnd(agent: String, generation: Int)
        case resyncExpiry(call: String)
        case caseTimer(CaseTimerDue)
        case satisfactionCallback(CaseID)
        case dispatchRetry(CaseID, attempt: Int)
        case notificationRetry(CaseID, UnitID, attempt: Int)
        case missedCallback
    }

    func schedule(_ timer: Timer, at time: Instant) { timers.schedule(timer, at: time.seconds) }

    /// Fires every timer that is due. The transport calls it often (every few milliseconds).
    package func tick() {
        let now = clock()
        while let t = timers.nextTime, t <= now.seconds, let (_, timer) = timers.popNext() {
            fire(timer, at: now)
        }
    }

    /// The time of the next timer, if any.
    package var nextTimer: Instant? { timers.nextTime.map { Instant(seconds: $0) } }

    private func fire(_ timer: Timer, at now: Instant) {
        switch timer {
        case .commandDeadline(let callID, let commandID):
            guard let call = calls[callID], call.pending[commandID] != nil else { return }
            finish(commandID, of: call, status: .timeout, digits: nil, reason: "no result in time", at: now)
        case .announce(let callID, let generation):
            guard let call = calls[callID], call.announceGeneration == generation else { return }
            announce(call, at: now)
        case .wrapUpEnd(let id, let generation):
            guard let agent = agents[id], agent.state == .wrapUp, agent.generation == generation else { return }
            becomeReady(id, at: now)
        case .resyncExpiry(let callID):
            guard let call = calls[callID], call.peer == nil else { return }
            log("call \(call.id): no resync from its adapter; ended")
            callEnded(call, cause: "adapter_lost", at: now)
        case .caseTimer(let due):
            caseTimerFired(due, at: now)
        case .satisfactionCallback(let id):
            startSatisfactionCallback(id, at: now)
        case .dispatchRetry(let id, let attempt):
            startPhoneDispatch(id, attempt: attempt, at: now)
        case .notificationRetry(let id, let unit, let attempt):
            startNotification(id, unit: unit, attempt: attempt, at: now)
        case .missedCallback:
            offerOutboundWork(at: now)
        }
    }

    /// Waits until every case change so far is on disk (for a graceful stop).
    package func flush() { commit.flush() }
}
