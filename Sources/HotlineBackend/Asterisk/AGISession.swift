internal import DequeModule
internal import HotlineCore
internal import NIOCore

/// One FastAGI connection: one Asterisk channel, either an inbound call or a leg hotline originated.
///
/// Commands go out strictly one at a time, each with a deadline, and each reply is matched to the
/// command in flight. A bare `HANGUP` line is a report, never a reply: the call is over for the
/// server at once, and the reply still owed to the command in flight is read and dropped. Everything
/// runs on the server's event loop.
final class AGISession {
    /// How a command of the session ended.
    enum Outcome {
        case reply(AGIReply)
        /// The channel is gone (a `HANGUP` line, a 511, or the connection closed).
        case hungUp
        /// No reply in time, or a line that is not AGI: the session is over.
        case failed(String)
    }

    /// What the session is for, once its header is read.
    enum Role {
        case header
        /// The channel of a call the server knows by `call`.
        case call(String)
        /// A leg that joined a conference room for `call` as `party`.
        case conferenceLeg(call: String, party: String)
        case finished
    }

    let channel: any Channel
    unowned let front: AsteriskFront
    /// The adapter the session's calls belong to.
    let adapter: FrontAdapterLink
    let label: String

    var header = AGIHeader()
    var role = Role.header
    private var reader = AGIReplyReader()
    private var inFlight: (text: String, done: (Outcome) -> Void, deadline: Scheduled<Void>?)?
    /// Server commands waiting their turn.
    var jobs = Deque<FrontCommand>()
    /// Asterisk said `HANGUP`, or a command was refused as on a dead channel.
    private(set) var hungUp = false
    /// The connection is closed or closing: nothing more is sent.
    private(set) var closed = false
    /// Between `queue` and a bridge: music on hold, and short digit waits between commands.
    var holding = false
    private var musicOn = false
    /// In `ConfBridge`: the command does not return until the channel leaves the room.
    var inConference = false
    /// The server ended the call while the caller was in the room: a leg's AGI took the caller out of
    /// it (`ConfKick`), and the hangup waiting in `jobs` runs when `ConfBridge` returns.
    var leavingRoom = false
    /// When a caller's join (`EXEC ConfBridge`) went out (uptime nanoseconds); legs enter after it.
    var inRoomSince: UInt64?
    /// Legs answered before this caller's join went out, waiting to enter the room after it.
    var waitingLegs: [AGISession] = []
    /// A leg's token: its call file is `hotline-<token>.call` in the spool.
    var legToken: String?
    /// The session sent its last command, taking the call's legs out of its room, and closes after it.
    private var kickSent = false
    /// The server was told the call is over (or it ended it): no more events.
    var reported = false
    private var headerLines = 0
    /// When the header was complete (uptime nanoseconds), until the first command goes out.
    var headerAt: UInt64?
    /// The lines of a read are being taken in: commands wait for the end of the read.
    var reading = false

    init(channel: any Channel, front: AsteriskFront, adapter: FrontAdapterLink, label: String) {
        self.channel = channel
        self.front = front
        self.adapter = adapter
        self.label = label
    }

    var callID: String? {
        switch role {
        case .call(let id), .conferenceLeg(let id, _): id
        default: nil
        }
    }

    // MARK: Input

    func receive(_ line: [UInt8]) {
        guard !closed else { return }
        if case .header = role {
            // `agi_network: yes` comes before the block on FastAGI; the block ends at an empty line.
            if line.isEmpty {
                guard !header.fields.isEmpty else { return }
                role = .finished
                front.headerComplete(self)
                return
            }
            headerLines += 1
            header.add(line: line)
            if headerLines > 512 { fail("a header of more than 512 lines") }
            return
        }
        switch reader.take(line) {
        case nil: return
        case .hangup?: channelHungUp()
        case .reply(let reply)?:
            guard let command = inFlight else {
                // A reply nobody asked for: the dialogue is out of step and cannot be trusted.
                return fail("a reply with no command in flight: \(reply.code) \(reply.text.prefix(60))")
            }
            inFlight = nil
            command.deadline?.cancel()
            if reply.code == 511 {
                hungUp = true
                report(hangup: "caller")
                command.done(.hungUp)
            } else {
                command.done(.reply(reply))
            }
            pump()
        case .garbage(let text)?:
            fail("not an AGI reply: \(text)")
        }
    }

    /// The connection closed (Asterisk ended the AGI, or the network went).
    func connectionClosed() {
        guard !closed else { return }
        closed = true
        hungUp = true
        if let command = inFlight {
            inFlight = nil
            command.deadline?.cancel()
            command.done(.hungUp)
        }
        report(hangup: "caller")
        front.sessionEnded(self)
    }

    private func channelHungUp() {
        hungUp = true
        holding = false
        report(hangup: "caller")
        // The reply owed to the command in flight still comes (a 511 or `result=-1`); once it is
        // read the connection is closed. Without one in flight, at once; and a reply that does not
        // come within the command timeout (a conference has none of its own) is not waited for.
        guard let command = inFlight else { return closeLeavingRoom() }
        command.deadline?.cancel()
        let me = NIOLoopBound(self, eventLoop: channel.eventLoop)
        let limit = front.settings.commandTimeout
        let text = String(command.text.prefix(40))
        inFlight?.deadline = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(limit * 1000))) {
            me.value.fail("no reply to '\(text)' within \(limit) s of the hangup")
        }
    }

    /// Tells the server the call is over, once.
    func report(hangup cause: String) {
        guard !reported else { return }
        reported = true
        front.sessionHungUp(self, cause: cause)
    }

    // MARK: Commands

    /// Sends one AGI command; `done` runs with its reply, or `.hungUp`/`.failed`. `timeout` nil: no
    /// deadline (a conference, which lasts as long as the call).
    func send(_ text: String, timeout: Double?, _ done: @escaping (Outcome) -> Void) {
        guard !closed else { return done(.hungUp) }
        precondition(inFlight == nil, "one AGI command at a time")
        var deadline: Scheduled<Void>?
        if let timeout {
            let me = NIOLoopBound(self, eventLoop: channel.eventLoop)
            deadline = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
                me.value.fail("no reply to '\(text.prefix(40))' within \(timeout) s")
            }
        }
        inFlight = (text, done, deadline)
        var buffer = channel.allocator.buffer(capacity: text.utf8.count + 1)
        buffer.writeString(text)
        buffer.writeInteger(UInt8(ascii: "\n"))
        front.wrote(self, buffer)
    }

    /// An operator's (or a duty line's) leg is in the call's room and the caller's join is next: the
    /// caller's prompts and digit waits stop early.
    var intoRoomNext: Bool { jobs.first?.name == "_join" }

    /// Whether the connection is open and its `agi_*` header not yet complete.
    var readingHeader: Bool {
        guard case .header = role else { return false }
        return !closed
    }

    /// Whether a command is out and unanswered.
    var busy: Bool { inFlight != nil }

    /// Ends the session for a reason that makes the dialogue untrustworthy (no reply in time, a line
    /// that is not AGI): the server hears of a hangup and the connection closes.
    func fail(_ why: String, quiet: Bool = false) {
        guard !closed else { return }
        if !quiet { front.log("\(label): \(why); the AGI session is closed") }
        hungUp = true
        holding = false
        report(hangup: "pbx_failed")
        let command = inFlight
        inFlight = nil
        command?.deadline?.cancel()
        // Closed before the command hears of it: nothing more is written to this connection.
        close()
        command?.done(.failed(why))
    }

    /// Closes a caller's session that is over; legs of the call still in its room are taken out of it
    /// first (EXEC is allowed on a hung-up channel), so that none is left there alone.
    func closeLeavingRoom() {
        // A kick waiting its moment, or under way, closes the session when it is done.
        guard !kickSent else { return }
        guard !closed, let (kick, after) = front.roomKick(leaving: self) else { return close() }
        kickSent = true
        guard after > 0 else { return send(kick, timeout: front.settings.commandTimeout) { [self] _ in close() } }
        let me = NIOLoopBound(self, eventLoop: channel.eventLoop)
        channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(after))) {
            let s = me.value
            s.send(kick, timeout: s.front.settings.commandTimeout) { _ in s.close() }
        }
    }

    /// Hangs the channel up, then closes the connection.
    func hangUpAndClose() {
        send("HANGUP", timeout: front.settings.commandTimeout) { [self] _ in close() }
    }

    /// Closes the connection; Asterisk carries on with the dialplan after the `AGI()` application.
    func close() {
        guard !closed else { return }
        closed = true
        holding = false
        if let command = inFlight {
            inFlight = nil
            command.deadline?.cancel()
            command.done(.hungUp)
        }
        front.sessionEnded(self)
        channel.close(promise: nil)
    }

    // MARK: Running the server's commands

    /// Runs the next server command, or, while holding, waits a moment for a digit so that the next
    /// command is taken up soon.
    func pump() {
        // Lines of one read came before anything the front writes now: all of them are taken in (a
        // HANGUP among them, a reply nobody asked for) before the next command goes out.
        guard !closed, inFlight == nil, !reading else { return }
        if hungUp {
            closeLeavingRoom()
            return
        }
        if let job = jobs.popFirst() {
            front.run(job, on: self)
            return
        }
        guard holding else { return }
        if !musicOn {
            musicOn = true
            send("SET MUSIC ON \(front.settings.musicClass)", timeout: front.settings.commandTimeout) { [self] _ in
                pump()
            }
            return
        }
        send("WAIT FOR DIGIT \(front.settings.holdPollMilliseconds)", timeout: front.settings.commandTimeout + 1) {
            [self] outcome in
            // -1: the caller is gone (the HANGUP line may come after it, or not at all).
            if case .reply(let r) = outcome, r.number == -1 { return channelHungUp() }
            if case .reply(let r) = outcome, let digit = Self.digit(r.number), let call = callID {
                front.event("dtmf", call: call, via: adapter) { $0.add("digit", String(digit)) }
            }
            pump()
        }
    }

    /// Stops the music on hold before a prompt, a digit wait or a bridge.
    func stopMusic(then next: @escaping () -> Void) {
        guard musicOn, !hungUp else { return next() }
        musicOn = false
        send("SET MUSIC OFF", timeout: front.settings.commandTimeout) { _ in next() }
    }

    /// The character of an ASCII code from `STREAM FILE`/`WAIT FOR DIGIT` (0: none, -1: hangup).
    static func digit(_ code: Int?) -> Character? {
        guard let code, code > 0, let scalar = Unicode.Scalar(code) else { return nil }
        let c = Character(scalar)
        return "0123456789*#ABCD".contains(c) ? c : nil
    }
}
