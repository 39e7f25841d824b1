internal import DequeModule
package import HotlineCore
internal import HotlineEngine
package import HotlineStore
internal import Synchronization

/// The live centre: IVR, ACD and case register behind the line protocol (docs/protocol.md).
///
/// One switchboard serves every connection. It is confined to one thread (the transport's event loop):
/// lines come in through `receive`, time moves through `tick` (or `advance` on a manual clock), and
/// everything it says goes out through the peers' links. The routing core decides every call and case
/// exactly as it does in the simulator; the switchboard carries its decisions out and keeps the state of
/// calls, operators and duty lines.
package final class Switchboard {
    /// Settings of a serving centre.
    package struct Options: Sendable {
        /// The peers admitted, with their secrets' hashes; `nil` admits any local peer as what it says.
        package var peers: PeerDirectory?
        /// Languages offered after the greeting (`["zh", "en"]`: press 1 or 2); none for no choice.
        package var languages: [String] = []
        /// Seconds after a call before an operator is ready again unless the desktop says so sooner;
        /// `nil`: wrap-up lasts until the desktop's `wrap_up_done`.
        package var wrapUp: Double? = 30
        /// Seconds between queue announcements (position and expected wait).
        package var announceEvery: Double = 60
        /// Seconds a command may take before it ends as `timeout`; a collect adds its own timeouts.
        package var commandTimeout: Double = 30
        /// Seconds a disconnected adapter's calls wait for its `resync` before they are ended.
        package var resyncGrace: Double = 60
        /// Event ids kept per peer for idempotency (the oldest are forgotten first).
        package var maxEventIDs = 65_536
        /// The longest event id accepted, in bytes.
        package var maxEventIDBytes = 128
        /// Cases in one page of `cases` when the peer asks for none, and the most it may ask for.
        package var pageSize = 100
        package var maxPageSize = 1000

        package init() {}
    }

    let model: CityModel
    /// The model's mean handling time of a call (talk and after-call work), for expected waits.
    let meanHandle: Double
    var router: Router { model.router }
    let options: Options
    let clock: () -> Instant
    /// How the clock runs; a manual clock is moved by `setClock`.
    let clockMode: ClockMode
    let setClock: ((Instant) -> Void)?
    /// Hours east of UTC, for the times the server prints.
    var offsetHours: Int { model.utcOffsetHours }
    let store: CaseStore
    let commit: GroupCommit
    /// What the store hands back (acknowledgements of durable changes), run on this thread by `runAcks`.
    let acks = AckQueue()
    /// Asks the transport to call `runAcks` on the switchboard's thread soon.
    let wake: @Sendable () -> Void
    /// Where the switchboard logs (never a caller's number or text unmasked: Art. 15).
    let log: (String) -> Void

    var peers: [ObjectIdentifier: Peer] = [:]
    var nextPeerSerial = 0
    /// Event ids by peer name, kept across reconnects of the same name.
    var seenByName: [String: SeenEvents] = [:]
    /// The live connection of each adapter name (at most one; a new one takes over).
    var adapters: [String: Peer] = [:]
    /// Calls by `Call.key` (the owning adapter's name and the call id).
    var calls: [String: Call] = [:]
    /// Calls that ended recently, by key: late results for them are dropped without an error.
    var ended = SeenEvents(capacity: 16_384)
    var waitingLine = WaitingLine()
    var agents: [String: Agent] = [:]
    /// Operators in the order they became ready, with the generation they had then: the head is the
    /// longest idle (entries whose operator has moved on since are skipped).
    var readyOrder = Deque<(id: String, generation: Int)>()
    var linesBusy: [UnitID: Int] = [:]
    var timers = EventQueue<Timer>()
    var nextCommand = 0
    var nextOutbound = 0
    /// Open cases, as the core holds them, with what the centre took down.
    var cases: [CaseID: LiveCase] = [:]
    /// The ids of open cases by number.
    var caseIDs: [Int64: CaseID] = [:]
    /// Open cases by unit, for paging (`cases`).
    var index = CaseIndex()
    var lastCaseNumber: Int64
    /// Callers to call back: who hung up in the queue, or took the call-back offer.
    var callbackQueue = Deque<MissedCall>()
    /// Call-backs dialled and not yet answered (each will want a free operator).
    var callbackDials = 0
    /// Outbound legs that wait for an adapter to connect (after a restart, or while none is there).
    var parked: [ParkedLeg] = []
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
    ///   - clockMode: how it runs; `setClock` moves a manual clock.
    ///   - wake: asks the transport to call `runAcks()` on this thread soon (the group commit calls it
    ///     from its writer thread).
    package init(
        model: CityModel, store: CaseStore, options: Options = Options(), clock: @escaping () -> Instant,
        clockMode: ClockMode = .wall, setClock: ((Instant) -> Void)? = nil,
        wake: @escaping @Sendable () -> Void, log: @escaping (String) -> Void = { _ in }
    ) throws {
        self.model = model
        meanHandle = model.meanHandleTime
        self.options = options
        self.clock = clock
        self.clockMode = clockMode
        self.setClock = setClock
        self.wake = wake
        self.store = store
        self.commit = GroupCommit(store: store)
        self.log = log
        lastCaseNumber = try store.lastCaseNumber()
        try takeUpStoredCases()
        try takeUpPendingConferences()
    }

    // MARK: Connections

    package func connect(_ link: any PeerLink) {
        nextPeerSerial += 1
        peers[ObjectIdentifier(link)] = Peer(link: link, serial: nextPeerSerial)
    }

    /// Whether the connection has said its hello.
    package func hasSaidHello(_ link: any PeerLink) -> Bool {
        peers[ObjectIdentifier(link)]?.saidHello ?? false
    }

    /// The connection is gone: its operators log out, its calls wait for a `resync` (Art. 10: no call
    /// is dropped because an adapter restarted).
    package func disconnect(_ link: any PeerLink) {
        guard let peer = peers.removeValue(forKey: ObjectIdentifier(link)) else { return }
        let now = clock()
        for id in peer.operators where agents[id]?.desk === peer { logOut(id, at: now, force: true) }
        if let seen = peer.seen, peer.saidHello { keepSeen(seen, for: peer) }
        if peer.roles.contains(.adapter) {
            if adapters[peer.name] === peer { adapters[peer.name] = nil }
            detachCalls(of: peer, at: now)
        }
    }

    /// The calls an adapter carried wait `resyncGrace` for it to come back and resync them.
    func detachCalls(of peer: Peer, at now: Instant) {
        let orphans = calls.values.filter { $0.peer === peer }
        for call in orphans {
            call.peer = nil
            call.detachedAt = now
            schedule(.resyncExpiry(key: call.key), at: now + options.resyncGrace)
        }
        if !orphans.isEmpty {
            log(
                "\(peer.link.label): adapter '\(peer.name)' gone; \(orphans.count) calls wait \(Int(options.resyncGrace)) s for its resync"
            )
        }
    }

    /// Keeps a named peer's event ids for its next connection; an unnamed one's are dropped.
    private func keepSeen(_ seen: SeenEvents, for peer: Peer) {
        guard peer.name != "connection-\(peer.serial)" else { return }
        seenByName[peer.name] = seen
        // Bounded in all: without a peers file names are whatever peers say, so the ids kept for
        // peers that are gone share one budget (4 peers' worth); the oldest-named go first.
        var total = seenByName.values.reduce(0) { $0 + $1.count }
        while total > 4 * options.maxEventIDs, let (name, ids) = seenByName.first(where: { $0.key != peer.name }) {
            seenByName[name] = nil
            total -= ids.count
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
        guard peer.saidHello else {
            throw LineError("hello_first", "say hello first: {\"event\":\"hello\",\"role\":\"adapter\",\"v\":1}")
        }
        // Idempotency: an event id this peer (by its name) sent before is acknowledged and not applied again.
        let id = message.eventID
        if let id {
            guard id.utf8.count <= options.maxEventIDBytes else {
                throw LineError(
                    "wrong_type", "an event id may have at most \(options.maxEventIDBytes) bytes", field: "id")
            }
            if peer.seen == nil { peer.seen = SeenEvents(capacity: options.maxEventIDs) }
            if !peer.seen!.insert(id) {
                counters.duplicates += 1
                var out = OutputLine("reply", "duplicate")
                out.add("id", id)
                out.add("input_line", number)
                return send(out, to: peer)
            }
        }
        do {
            try route(event, message, from: peer, number: number)
        } catch {
            // A refused event may be sent again once corrected.
            if let id { peer.seen?.forget(id) }
            throw error
        }
    }

    /// Hands an event to the part of the centre its sender's role speaks to.
    private func route(_ event: String, _ m: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        if Self.adapterEvents.contains(event) && peer.roles.contains(.adapter) {
            return try adapterEvent(event, m, from: peer, number: number)
        }
        switch event {
        case "advance":
            return try advance(m, from: peer, number: number)
        case "cases", "show", "case":
            if peer.roles.contains(.unit), let unit = peer.unit {
                return try caseRequest(event, m, as: .unit(unit), from: peer, number: number)
            }
            // The supervisor reads every case and records the government's Art. 8 decision; the
            // centre's other steps are the desktop's.
            if peer.roles.contains(.desktop)
                || peer.roles.contains(.supervisor)
                    && (event != "case" || (try? m.string("action")) == "government_decided")
            {
                return try caseRequest(event, m, as: .centre, from: peer, number: number)
            }
            if peer.roles.contains(.supervisor) {
                throw LineError(
                    "not_permitted", "a supervisor records the government's decision only; other steps are a desktop's",
                    field: "action")
            }
        default:
            if peer.roles.contains(.desktop) && Self.desktopEvents.contains(event) {
                return try desktopEvent(event, m, from: peer, number: number)
            }
        }
        let roles = peer.roles.sorted().map(\.rawValue).joined(separator: "+")
        throw LineError("unknown_event", "unknown event '\(event)' for a peer with role \(roles)", field: "event")
    }

    /// Events a PBX adapter sends.
    static let adapterEvents: Set<String> = [
        "offer", "answered", "result", "played", "dtmf", "joined", "left", "hangup", "resync",
    ]

    /// Events an operator desktop sends (beside `case`, `cases` and `show`).
    static let desktopEvents: Set<String> = [
        "login", "logout", "ready", "not_ready", "wrap_up_done", "disposition", "transfer", "conference_outcome",
    ]

    // MARK: Output

    func send(_ line: OutputLine, to peer: Peer) {
        var line = line
        peer.sent += 1
        line.add("seq", peer.sent)
        peer.link.send(line)
    }

    /// A reply to an event that needs one.
    func acknowledge(_ event: String, line number: Int, to peer: Peer, _ fill: (inout OutputLine) -> Void = { _ in }) {
        var out = OutputLine("reply", event)
        out.add("input_line", number)
        fill(&out)
        send(out, to: peer)
    }

    /// A time as the server prints it: ISO 8601 with the centre's UTC offset.
    func text(_ time: Instant) -> String { time.iso(offsetHours: offsetHours) }

    // MARK: Time

    enum Timer {
        case commandDeadline(key: String, command: String)
        case announce(key: String, generation: Int)
        case wrapUpEnd(agent: String, generation: Int)
        case resyncExpiry(key: String)
        case caseTimer(CaseTimerDue)
        case satisfactionCallback(CaseID)
        case dispatchRetry(CaseID, attempt: Int)
        case notificationRetry(CaseID, UnitID, attempt: Int)
        case missedCallback
    }

    func schedule(_ timer: Timer, at time: Instant) { timers.schedule(timer, at: time.seconds) }

    /// Fires every timer that is due. The transport calls it when the next one is due.
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
        case .commandDeadline(let key, let commandID):
            guard let call = calls[key], call.pending[commandID] != nil else { return }
            finish(commandID, of: call, status: .timeout, digits: nil, reason: "no result in time", at: now)
        case .announce(let key, let generation):
            guard let call = calls[key], call.announceGeneration == generation else { return }
            announce(call, at: now)
        case .wrapUpEnd(let id, let generation):
            guard let agent = agents[id], agent.state == .wrapUp, agent.generation == generation else { return }
            endWrapUp(id, at: now)
        case .resyncExpiry(let key):
            guard let call = calls[key], call.peer == nil else { return }
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

    // MARK: Durable writes

    /// Submits a change to the group commit; `done` runs back on this thread once it is durable.
    func submit(_ change: CaseChange, then done: @escaping (Result<Void, StoreError>) -> Void = { _ in }) {
        submitWrite(.change(change), then: done)
    }

    /// Queues any write (a contact, a duty-line call) the same way.
    func submitWrite(_ write: StoreWrite, then done: @escaping (Result<Void, StoreError>) -> Void = { _ in }) {
        let box = UncheckedBox(done)
        let acks = self.acks
        let wake = self.wake
        commit.submit(write) { result in
            acks.add { box.value(result) }
            wake()
        }
    }

    /// Runs the acknowledgements of durable writes that came back; returns how many ran.
    @discardableResult
    package func runAcks() -> Int {
        let work = acks.takeAll()
        for w in work { w() }
        return work.count
    }

    /// Waits until every change so far is on disk and its acknowledgement has run (and the changes
    /// those made in turn): the state is then what a crash would leave. Blocks the thread.
    package func settleWrites() {
        repeat { commit.flush() } while runAcks() > 0
    }
}

/// Closures from the store's writer thread, waiting to run on the switchboard's thread.
final class AckQueue: Sendable {
    private let work = Mutex<[@Sendable () -> Void]>([])

    func add(_ w: @escaping @Sendable () -> Void) { work.withLock { $0.append(w) } }

    func takeAll() -> [@Sendable () -> Void] {
        work.withLock { w in
            defer { w = [] }
            return w
        }
    }
}

/// Carries a closure that is only ever called on the switchboard's thread across the writer's thread.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
