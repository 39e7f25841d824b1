internal import DequeModule
internal import Foundation
internal import HotlineCore
internal import NIOCore

#if canImport(Glibc)
    internal import Glibc
#endif

/// How the front talks to Asterisk.
package struct AsteriskSettings: Sendable {
    /// Asterisk's outgoing spool (`/var/spool/asterisk/outgoing`): legs are originated with call files
    /// written there. Without it the front cannot bring an operator or a duty line into a call.
    package var outgoing: String?
    /// Where the prompts are under Asterisk's sounds directory: `hotline` → `hotline/zh/greeting`.
    package var promptPrefix = "hotline"
    /// The music-on-hold class callers wait with.
    package var musicClass = "default"
    /// While holding, the front waits this long for a digit between looks at the server's commands.
    package var holdPollMilliseconds = 250
    /// Seconds Asterisk has to answer a command (prompts and digit waits get their length on top);
    /// a PBX that does not answer in time loses the call, and the session is closed.
    package var commandTimeout: Double = 10
    /// The caller id legs show: the hotline's own number.
    package var callerID = "12345"
    /// Concurrent FastAGI sessions at most. At the limit, the oldest connection still without its
    /// header is closed to make room for a new one (a flood of idle connections cannot keep Asterisk's
    /// calls out for the header timeout); only when every session is past its header is one refused.
    package var maxSessions = 4096

    package init() {}
}

/// The Asterisk front of `hotline serve`: FastAGI connections (one per channel) turned into the line
/// protocol's events, and the server's commands carried out as AGI commands on them.
///
/// The front is an adapter inside the server: its calls go through the same switchboard, the same
/// commands and the same deadlines as an adapter's over the line protocol. Legs (an operator's phone,
/// a unit's duty line, a caller rung back) are originated with Asterisk call files and come back as
/// FastAGI sessions of their own, named by a token; a conference is a `ConfBridge` room per call.
final class AsteriskFront {

    let settings: AsteriskSettings
    unowned let host: SwitchboardHost
    /// Adapter names by admitted address (a peers file's `fastagi_from`); empty: loopback only, as `fastagi`.
    private let admitted: [String: String]
    private var adapters: [String: FrontAdapterLink] = [:]
    /// Sessions of calls, by adapter name and call id.
    private var sessions: [String: AGISession] = [:]
    private var open = 0
    /// Sessions that were still reading their header when they opened, oldest first; those past it
    /// or closed are dropped as they reach the front.
    private var inHeader: Deque<AGISession> = []
    /// Connections refused or closed for room since the last line logged about it, and when that was.
    private var roomEvents = (refused: 0, evicted: 0, loggedAt: -Double.infinity)
    /// The same since the start, for the summary at stop.
    private var roomTotals = (refused: 0, evicted: 0)
    private var serial = 0
    /// Legs originated and not yet come back, by token.
    private var legs: [String: PendingLeg] = [:]
    /// Legs in a call's room (their `EXEC ConfBridge` under way), by adapter name and call id.
    private var roomLegs: [String: [AGISession]] = [:]
    private var missingPrompts: Set<String> = []

    struct PendingLeg {
        let adapter: FrontAdapterLink
        let call: String
        let command: String
        /// `agent`, `unit` (both join the call's room), or nil: a call of its own (`dial` two-way).
        let party: String?
        let expires: Double
    }

    init(settings: AsteriskSettings, host: SwitchboardHost, admitted: [String: String]) {
        self.settings = settings
        self.host = host
        self.admitted = admitted
        // The adapters exist from the start, so that a survey or a phone dispatch due before the first
        // call comes in has a PBX to go out through.
        for name in Set(admitted.isEmpty ? ["fastagi"] : Array(admitted.values)) { _ = adapter(named: name) }
        // The host keeps the front (the handlers and adapters hold it unowned) until the server stops.
        host.atStop.append { [self] in log(summary) }
    }

    func log(_ text: String) { host.log("fastagi: \(text)") }

    /// The front's figures since the start, for the log when the server stops.
    var summary: String {
        let sorted = firstCommandLatency.sorted()
        func at(_ p: Double) -> String {
            guard !sorted.isEmpty else { return "-" }
            let v = sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))] / 1000
            return String(format: "%.3f ms", v)
        }
        let room =
            roomTotals == (0, 0)
            ? ""
            : "; at the session limit (\(settings.maxSessions)): \(roomTotals.evicted) connections without their header closed to make room, \(roomTotals.refused) refused"
        return
            "\(sessionsServed) sessions; header to first command over the last \(sorted.count) calls: p50 \(at(0.5)), p99 \(at(0.99)), max \(at(1))\(room)"
    }

    // MARK: Connections

    /// The adapter a connection from `address` belongs to; nil: refused.
    func admit(address: String?) -> FrontAdapterLink? {
        let name: String
        if admitted.isEmpty {
            guard let address, Listener.isLoopback(address) else {
                log("connection from \(address ?? "?") refused: without a peers file only loopback is served")
                return nil
            }
            name = "fastagi"
        } else {
            guard let address, let entry = admitted[address] else {
                log("connection from \(address ?? "?") refused: no adapter of the peers file admits it (fastagi_from)")
                return nil
            }
            name = entry
        }
        // Only an admitted address may make room (an address refused anyway closes nobody).
        guard open < settings.maxSessions || makeRoom() else {
            roomEvents.refused += 1
            roomTotals.refused += 1
            logRoom()
            return nil
        }
        open += 1
        return adapter(named: name)
    }

    /// A connection just opened is reading its header. (Those ahead of it that are past their header
    /// or closed are let go here, so the list holds at most the header timeout's worth of connections.)
    func headerStarted(_ s: AGISession) {
        while let oldest = inHeader.first, !oldest.readingHeader { inHeader.removeFirst() }
        inHeader.append(s)
    }

    /// At the session limit: closes the oldest connection still without its header; false when none is.
    private func makeRoom() -> Bool {
        while let oldest = inHeader.popFirst() {
            guard oldest.readingHeader else { continue }
            oldest.fail("closed without its header to make room (\(settings.maxSessions) sessions open)", quiet: true)
            roomEvents.evicted += 1
            roomTotals.evicted += 1
            logRoom()
            return true
        }
        return false
    }

    /// One line at most every 10 s about connections refused or closed for room, with their counts.
    private func logRoom() {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        guard now - roomEvents.loggedAt >= 10 else { return }
        log(
            "sessions at the limit (\(settings.maxSessions)): connections without their header closed to make room \(roomEvents.evicted), refused \(roomEvents.refused) (since the last such line)"
        )
        roomEvents = (0, 0, now)
    }

    private func adapter(named name: String) -> FrontAdapterLink {
        if let a = adapters[name] { return a }
        let link = FrontAdapterLink(name: name, front: self)
        adapters[name] = link
        host.opened(link)
        host.board.attachInternalAdapter(link, name: name)
        host.flushAll()
        return link
    }

    /// Real time from each call's header to its first command, in microseconds (the last 100,000).
    private var firstCommandLatency: [Double] = []
    private var latencyNext = 0
    private var sessionsServed = 0

    func wrote(_ session: AGISession, _ buffer: ByteBuffer) {
        if let start = session.headerAt {
            session.headerAt = nil
            let micros = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000
            if firstCommandLatency.count < 100_000 {
                firstCommandLatency.append(micros)
            } else {
                firstCommandLatency[latencyNext] = micros
                latencyNext = (latencyNext + 1) % 100_000
            }
        }
        session.channel.writeAndFlush(buffer, promise: nil)
    }

    /// The header block is in: an inbound call is offered to the server; a leg finds what it is for.
    func headerComplete(_ s: AGISession) {
        s.headerAt = DispatchTime.now().uptimeNanoseconds
        sessionsServed += 1
        // Asterisk always says which script and channel: anything else (an HTTP request, a port scan)
        // is not a call.
        guard s.header.known("agi_request") != nil || s.header.known("agi_channel") != nil else {
            log("a connection sent a header without agi_request or agi_channel; it is closed")
            return s.close()
        }
        let query = s.header.query
        if let token = query["leg"] {
            // The figure is the calls': a leg may rightly wait for its caller before its first command.
            s.headerAt = nil
            return legArrived(s, token: token, failed: query["failed"] != nil, reason: query["reason"])
        }
        serial += 1
        var id = s.header.known("agi_uniqueid").map(AGICommandText.token) ?? "agi-\(serial)"
        // `out-N` are the centre's own outbound calls: a channel whose id looks like one is renamed.
        if id.hasPrefix("out-") { id = "agi-" + id }
        if sessions[key(s.adapter, id)] != nil { id += "-\(serial)" }
        s.role = .call(id)
        sessions[key(s.adapter, id)] = s
        let emergency =
            query["priority"] == "emergency" || s.header.arguments.contains { $0.lowercased() == "emergency" }
        s.adapter.offers[s.adapter.linesSent + 1] = s
        event("offer", call: id, via: s.adapter) { out in
            out.add("from", Self.number(s.header.known("agi_callerid")) ?? "unknown")
            out.add("to", Self.number(s.header.known("agi_dnid") ?? s.header.known("agi_extension")))
            out.add("name", Self.name(s.header.known("agi_calleridname")))
            if emergency { out.add("priority", "emergency") }
        }
    }

    /// A dialled or calling number as the server takes it: digits, `+`, `*`, `#`, at most 32.
    static func number(_ text: String?) -> String? {
        guard let text else { return nil }
        let kept = text.filter { $0.isASCII && ($0.isNumber || "+*#".contains($0)) }.prefix(32)
        return kept.isEmpty ? nil : String(kept)
    }

    /// The caller's name, already decoded leniently (a character Asterisk cut at the end is dropped),
    /// at most 240 bytes, cut between characters.
    static func name(_ text: String?) -> String? {
        guard let text else { return nil }
        var out = ""
        for c in text {
            guard out.utf8.count + c.utf8.count <= 240 else { break }
            out.append(c)
        }
        return out
    }

    func sessionHungUp(_ s: AGISession, cause: String) {
        switch s.role {
        case .call(let id):
            event("hangup", call: id, via: s.adapter) { $0.add("cause", cause) }
        case .conferenceLeg(let id, let party):
            event("left", call: id, via: s.adapter) { $0.add("party", party) }
        default: break
        }
    }

    func sessionEnded(_ s: AGISession) {
        if !s.adapter.offers.isEmpty { s.adapter.offers = s.adapter.offers.filter { $0.value !== s } }
        if case .call(let id) = s.role, sessions[key(s.adapter, id)] === s { sessions[key(s.adapter, id)] = nil }
        if case .conferenceLeg(let id, _) = s.role { leftRoom(s, call: id) }
        s.jobs.removeAll()
        // Legs that waited for this caller to join: the caller is gone, and so is their call.
        for leg in s.waitingLegs where !leg.closed && !leg.busy {
            leg.hangUpAndClose()
        }
        s.waitingLegs = []
        // The leg's call is over: its call file goes too. Asterisk deletes it itself when the call ends;
        // one that crashed meanwhile would otherwise dial it again when it restarts.
        if let token = s.legToken { deleteCallFile(token) }
    }

    private func leftRoom(_ s: AGISession, call: String) {
        let k = key(s.adapter, call)
        roomLegs[k]?.removeAll { $0 === s }
        if roomLegs[k]?.isEmpty == true { roomLegs[k] = nil }
    }

    /// The command a session sends before it closes to leave nobody in its call's room alone; `nil`:
    /// nobody to take out. EXEC is allowed on a hung-up channel, so a session whose channel is gone can
    /// still send it.
    /// - A caller's session (the caller hung up before joining, or left): legs still in the room.
    /// - A leg's (the operator hung up first): the server ends the call, but the caller's AGI takes no
    ///   command until its ConfBridge returns; taken out of the room, the caller's own session carries
    ///   out the hangup.
    ///
    /// The kick waits until the caller's join has been under way for `callerFirst`: a ConfKick before
    /// the caller's own join has made the room finds no room, and the caller then holds in it alone.
    func roomKick(leaving s: AGISession) -> (command: String, afterNanoseconds: UInt64)? {
        switch s.role {
        case .call(let id):
            guard roomLegs[key(s.adapter, id)]?.isEmpty == false else { return nil }
            return (kick(id), 0)
        case .conferenceLeg(let id, _):
            guard let caller = sessions[key(s.adapter, id)], caller.inConference, !caller.hungUp,
                !caller.leavingRoom, caller.jobs.contains(where: { $0.name == "hangup" })
            else { return nil }
            caller.leavingRoom = true
            let elapsed = DispatchTime.now().uptimeNanoseconds &- (caller.inRoomSince ?? 0)
            return (kick(id), elapsed < Self.callerFirst ? Self.callerFirst - elapsed : 0)
        default:
            return nil
        }
    }

    private func kick(_ call: String) -> String {
        AGICommandText.line(["EXEC", "ConfKick"], quoting: ["hotline-\(AGICommandText.token(call)),all"])
    }

    func connectionClosed(_ s: AGISession) {
        open -= 1
        s.connectionClosed()
    }

    private func key(_ adapter: FrontAdapterLink, _ call: String) -> String { adapter.name + "\u{0}" + call }

    // MARK: The server's side

    /// Sends one line event to the server as the session's adapter.
    func event(
        _ name: String, call: String, via adapter: FrontAdapterLink, _ fill: (inout OutputLine) -> Void = { _ in }
    ) {
        var out = OutputLine("event", name)
        out.add("call", call)
        fill(&out)
        adapter.linesSent += 1
        host.receiveLine(.line(out.encoded), from: adapter)
        host.flushAll()
    }

    func result(
        _ command: FrontCommand, _ status: String, digits: String? = nil, reason: String? = nil,
        via adapter: FrontAdapterLink
    ) {
        event("result", call: command.call, via: adapter) { out in
            out.add("command_id", command.id)
            out.add("status", status)
            out.add("digits", digits)
            out.add("reason", reason)
        }
    }

    /// Lines the server sent to the front's adapters, not yet carried out.
    private var inbox: [(line: OutputLine, adapter: FrontAdapterLink)] = []
    private var draining = false

    /// Lines the server sent to an adapter of the front, carried out at once, in order: lines that
    /// come while earlier ones are carried out (the server answering an event the front sent meanwhile)
    /// wait their turn.
    func deliver(_ lines: [OutputLine], from adapter: FrontAdapterLink) {
        inbox.append(contentsOf: lines.map { ($0, adapter) })
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while !inbox.isEmpty {
            let batch = inbox
            inbox.removeAll(keepingCapacity: true)
            // A batch's commands are all queued before any runs: a `queue` and the announcement after
            // it go out as one dialogue, without music started and stopped between them.
            var touched: [ObjectIdentifier: AGISession] = [:]
            for (line, adapter) in batch {
                if let s = handle(line, from: adapter) { touched[ObjectIdentifier(s)] = s }
            }
            for s in touched.values { s.pump() }
        }
    }

    /// One line for an adapter: a command is queued on its call's session (returned, to be pumped).
    private func handle(_ line: OutputLine, from adapter: FrontAdapterLink) -> AGISession? {
        do {
            guard let m = try? LineMessage(line: line.encoded) else { return nil }
            if let name = try? m.string("command") {
                guard let command = FrontCommand(name: name, m) else { return nil }
                return route(command, from: adapter)
            } else if m.has("error") {
                let number = (try? m.int("input_line")) ?? nil
                if let number, let refused = adapter.offers.removeValue(forKey: number) {
                    // The server would not take the call: the AGI ends, and the dialplan's fallback
                    // takes the caller.
                    log(
                        "the server refused a call's offer (\((try? m.string("code")) ?? "?")); its AGI session is closed"
                    )
                    refused.reported = true
                    refused.close()
                } else if (try? m.string("code")) != "unknown_call" {
                    log("the server refused an event of adapter '\(adapter.name)': \(line.text)")
                }
            }
        }
        return nil
    }

    /// Queues a command on its call's session (returned, to be pumped), or originates a leg.
    private func route(_ command: FrontCommand, from adapter: FrontAdapterLink) -> AGISession? {
        if command.name == "dial", command.mode != "conference" {
            // A call of its own (a survey, a phone dispatch, a call-back): the leg's session will be it.
            originate(command, party: nil, via: adapter)
            return nil
        }
        guard let s = sessions[key(adapter, command.call)] else {
            // The call is gone (its hangup is on its way to the server, or there already).
            result(command, "hungup", via: adapter)
            return nil
        }
        if !adapter.offers.isEmpty { adapter.offers = adapter.offers.filter { $0.value !== s } }
        // A call the server ends does not join a room first (an operator who hung up the moment the leg
        // answered leaves the caller's join still queued behind a digit wait).
        if command.name == "hangup" { s.jobs.removeAll { $0.name == "_join" } }
        switch command.name {
        case "bridge":
            // The caller hears music while the operator's phone rings (and after, should it fail).
            s.holding = !s.inConference
            originate(command, party: "agent", via: adapter)
        case "dial": originate(command, party: "unit", via: adapter)
        default: s.jobs.append(command)
        }
        return s
    }

    // MARK: Legs

    private func originate(_ command: FrontCommand, party: String?, via adapter: FrontAdapterLink) {
        guard let outgoing = settings.outgoing else {
            return result(command, "error", reason: "no_originate", via: adapter)
        }
        let (context, target): (String, String) =
            if let agent = command.agent { ("hotline-agents", agent) } else if let unit = command.unit {
                ("hotline-units", unit)
            } else if let number = command.number {
                ("hotline-numbers", number)
            } else {
                ("", "")
            }
        guard !target.isEmpty else { return result(command, "error", reason: "no_target", via: adapter) }
        let ring = command.ringTimeout ?? 30
        let token = Self.newToken()
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        forgetExpiredLegs(now: now)
        legs[token] = PendingLeg(
            adapter: adapter, call: command.call, command: command.id, party: party, expires: now + ring + 120)
        let file = CallFile(
            channel: "Local/\(AGICommandText.token(target))@\(context)", callerID: settings.callerID,
            waitTime: Int(ring.rounded(.up)), variables: ["HOTLINE_LEG": token, "HOTLINE_CALL": command.call])
        do {
            try file.spool(into: outgoing, name: "hotline-\(token)")
        } catch {
            legs[token] = nil
            log("cannot originate to \(context): \(error)")
            result(command, "error", reason: "originate_failed", via: adapter)
        }
    }

    /// Legs that never came back by their expiry are forgotten, and their call files taken out of the
    /// spool: an Asterisk that crashed mid-attempt would dial them again when it restarts (a `StartRetry`
    /// line is in the file), ringing an operator or a duty line for a call long over.
    private func forgetExpiredLegs(now: Double) {
        let expired = legs.filter { $0.value.expires <= now }
        guard !expired.isEmpty else { return }
        for token in expired.keys {
            legs[token] = nil
            deleteCallFile(token)
        }
    }

    /// Takes a leg's call file out of the spool (gone already when Asterisk deleted it).
    private func deleteCallFile(_ token: String) {
        if let outgoing = settings.outgoing { unlink("\(outgoing)/hotline-\(token).call") }
    }

    private static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    /// A leg came back: answered (its own session), or failed (Asterisk ran the call file's `failed`
    /// extension).
    private func legArrived(_ s: AGISession, token: String, failed: Bool, reason: String?) {
        guard let leg = legs.removeValue(forKey: token) else {
            log("a leg with an unknown or expired token came back; it is hung up")
            s.role = .finished
            return s.hangUpAndClose()
        }
        let command = FrontCommand(id: leg.command, call: leg.call, name: "dial")
        if failed {
            // Asterisk's originate reasons (`pbx_dial_reason`): 3 rang out unanswered, 5 busy, 8 congestion,
            // 1 hung up; 0 could not be placed at all (no such extension or endpoint).
            s.role = .finished
            switch reason {
            case "3", nil: result(command, "timeout", reason: "no_answer", via: leg.adapter)
            case "5": result(command, "error", reason: "busy", via: leg.adapter)
            case "8": result(command, "error", reason: "congestion", via: leg.adapter)
            case "1": result(command, "error", reason: "hangup", via: leg.adapter)
            default: result(command, "error", reason: "failed", via: leg.adapter)
            }
            return s.close()
        }
        guard let party = leg.party else {
            // A call of its own: the session is that call from now on (no inbound call has an `out-`
            // id, so nothing else holds its place).
            s.role = .call(leg.call)
            sessions[key(leg.adapter, leg.call)] = s
            return result(command, "ok", via: leg.adapter)
        }
        guard let caller = sessions[key(leg.adapter, leg.call)], !caller.hungUp else {
            s.role = .finished
            result(command, "hungup", via: leg.adapter)
            return s.hangUpAndClose()
        }
        s.role = .conferenceLeg(call: leg.call, party: party)
        s.legToken = token
        result(command, "ok", via: leg.adapter)
        event("joined", call: leg.call, via: leg.adapter) { $0.add("party", party) }
        if !caller.inConference {
            caller.jobs.prepend(FrontCommand(id: "", call: leg.call, name: "_join"))
            caller.pump()
        }
        enterAfterCaller(s, caller: caller)
    }

    /// A leg enters the call's room only once the caller is in it: the caller's join went out at least
    /// `callerFirst` ago. A room whose last member leaves while the caller's join is under way is gone
    /// by name, and the caller would hold in it alone, out of ConfKick's reach. Until then the leg
    /// waits (the operator hears silence for what is left of the caller's prompt).
    private func enterAfterCaller(_ s: AGISession, caller: AGISession) {
        guard let since = caller.inRoomSince else { return caller.waitingLegs.append(s) }
        let elapsed = DispatchTime.now().uptimeNanoseconds &- since
        guard elapsed < Self.callerFirst else { return enterRoom(s) }
        let me = NIOLoopBound(self, eventLoop: s.channel.eventLoop)
        let leg = NIOLoopBound(s, eventLoop: s.channel.eventLoop)
        s.channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(Self.callerFirst - elapsed))) {
            me.value.enterRoom(leg.value)
        }
    }

    /// How long a caller's join has to be under way before a leg enters the room after it.
    private static let callerFirst: UInt64 = 150_000_000

    /// The caller's join went out: the legs that waited for it follow.
    func callerJoining(_ caller: AGISession) {
        let waiting = caller.waitingLegs
        caller.waitingLegs = []
        for leg in waiting { enterAfterCaller(leg, caller: caller) }
    }

    /// A leg goes into its call's room; when it comes out (its phone hung up, or the caller left and
    /// ended the room) the server hears that it left.
    private func enterRoom(_ s: AGISession) {
        guard case .conferenceLeg(let call, _) = s.role, !s.closed, !s.hungUp else { return }
        guard let caller = sessions[key(s.adapter, call)], !caller.hungUp, !caller.closed else {
            // The caller went while the leg waited.
            return s.hangUpAndClose()
        }
        roomLegs[key(s.adapter, call), default: []].append(s)
        s.send(conference(call, profile: "hotline_member"), timeout: nil) { [self] _ in
            s.report(hangup: "left")
            leftRoom(s, call: call)
            s.closeLeavingRoom()
        }
    }

    func conference(_ call: String, profile: String) -> String {
        AGICommandText.line(
            ["EXEC", "ConfBridge"], quoting: ["hotline-\(AGICommandText.token(call)),hotline_bridge,\(profile)"])
    }

    // MARK: Carrying out a command on a session

    func run(_ command: FrontCommand, on s: AGISession) {
        let done: (String, String?, String?) -> Void = { [self] status, digits, reason in
            if !command.id.isEmpty, !s.reported || status == "hungup" || command.name == "hangup" {
                result(command, status, digits: digits, reason: reason, via: s.adapter)
            }
            s.pump()
        }
        switch command.name {
        case "answer":
            s.send("ANSWER", timeout: settings.commandTimeout) { [self] outcome in
                guard Self.status(outcome) == "ok" else { return done(Self.status(outcome), nil, Self.reason(outcome)) }
                // The call's id on the channel, for the dialplan and the CDR (`${HOTLINE_CALL}`).
                s.send(
                    AGICommandText.line(["SET", "VARIABLE", "HOTLINE_CALL"], quoting: [command.call]),
                    timeout: settings.commandTimeout
                ) { _ in done("ok", nil, nil) }
            }
        case "play":
            s.stopMusic { [self] in
                let escape = command.bargeIn ? "0123456789*#" : ""
                play(files(command), escape: escape, on: s) { status, digit in
                    done(status, digit.map { String($0) }, nil)
                }
            }
        case "collect":
            s.stopMusic { [self] in collect(command, on: s) { status, digits in done(status, digits, nil) } }
        case "queue":
            s.holding = true
            done("ok", nil, nil)
        case "_join":
            s.holding = false
            s.stopMusic { [self] in
                s.inConference = true
                s.inRoomSince = DispatchTime.now().uptimeNanoseconds
                s.send(conference(command.call, profile: "hotline_caller"), timeout: nil) { outcome in
                    s.inConference = false
                    // Taken out of the room because the server ends the call: its hangup runs next.
                    if s.leavingRoom, !s.hungUp { return }
                    if case .reply(let r) = outcome, r.number == -1, !s.hungUp {
                        // Also what a caller who hung up as they joined gets, with the HANGUP line
                        // still to come: the log says both.
                        self.log(
                            "ConfBridge ended at once for call \(command.call) (result -1): the caller hung up as they joined, or app_confbridge or its profiles are not loaded"
                        )
                    }
                    // The caller left the room: the call is over for the centre.
                    s.report(hangup: "caller")
                    s.closeLeavingRoom()
                }
                callerJoining(s)
            }
        case "transfer":
            guard !s.inConference else { return done("error", nil, "in_conference") }
            let (context, target) =
                command.unit.map { ("hotline-units", $0) } ?? ("hotline-numbers", command.number ?? "")
            guard !target.isEmpty else { return done("error", nil, "no_target") }
            s.holding = false
            s.stopMusic { [self] in
                s.send("SET CONTEXT \(context)", timeout: settings.commandTimeout) { _ in
                    s.send("SET EXTENSION \(AGICommandText.token(target))", timeout: self.settings.commandTimeout) {
                        _ in
                        s.send("SET PRIORITY 1", timeout: self.settings.commandTimeout) { outcome in
                            let status = Self.status(outcome)
                            s.reported = status == "ok" || s.reported
                            done(status, nil, Self.reason(outcome))
                            // Leaving the AGI hands the channel to the dialplan at the new place.
                            if status == "ok" { s.close() }
                        }
                    }
                }
            }
        case "hangup":
            s.holding = false
            // The server ends the call with this command's result: a HANGUP line Asterisk sends before
            // the reply is not the caller's doing.
            s.reported = true
            s.send("HANGUP", timeout: settings.commandTimeout) { _ in
                done("ok", nil, nil)
                s.close()
            }
        default:
            done("error", nil, "unsupported")
        }
    }

    /// The prompt files of a `play`/`collect`: each prompt name spoken in the call's language.
    private func files(_ command: FrontCommand) -> [String] {
        // The sounds exist in the catalogue's languages only: `en-GB` plays the English ones, and any
        // other code the Mandarin ones (`SpokenPrompt` reads numbers for the same language).
        let language = PromptLanguage(code: command.language)
        return command.prompts.flatMap { prompt in
            SpokenPrompt.ids(for: prompt, language: language).map {
                "\(settings.promptPrefix)/\(language.rawValue)/\(AGICommandText.token($0))"
            }
        }
    }

    /// Plays `files` in order; with escape digits, a digit stops the prompts (barge-in).
    private func play(
        _ files: [String], escape: String, on s: AGISession, from index: Int = 0,
        _ done: @escaping (String, Character?) -> Void
    ) {
        guard index < files.count else { return done("ok", nil) }
        // An operator already in the room waits for nobody: the caller's prompts stop between files.
        guard !s.intoRoomNext else { return done("ok", nil) }
        let file = files[index]
        s.send(
            AGICommandText.line(["STREAM", "FILE", file], quoting: [escape]),
            timeout: settings.commandTimeout + 300
        ) { [self] outcome in
            guard case .reply(let r) = outcome, r.code == 200 else { return done(Self.status(outcome), nil) }
            if let digit = AGISession.digit(r.number) { return done("ok", digit) }
            guard r.number == -1 else { return play(files, escape: escape, on: s, from: index + 1, done) }
            // -1 is a hangup, or a missing file (`endpos=0`): ask the channel which.
            guard !s.hungUp else { return done("hungup", nil) }
            s.send("CHANNEL STATUS", timeout: settings.commandTimeout) { [self] status in
                guard case .reply(let c) = status, c.code == 200, (c.number ?? -1) >= 0 else {
                    return done("hungup", nil)
                }
                if missingPrompts.insert(file).inserted {
                    log("Asterisk cannot play \(file): install the prompts (docs/asterisk.md)")
                }
                play(files, escape: escape, on: s, from: index + 1, done)
            }
        }
    }

    /// Plays the prompts and collects up to `max` digits: the first may interrupt the prompts, then
    /// `first_timeout_ms` for the first and `inter_digit_timeout_ms` between the others; a terminator
    /// ends it and is not kept. `ok` with digits, or `timeout` with none.
    private func collect(_ command: FrontCommand, on s: AGISession, _ done: @escaping (String, String?) -> Void) {
        let max = Swift.max(1, command.max)
        let terminators = command.terminators
        let prompts = files(command)
        // Asterisk's own GET DATA does exactly this for one prompt, `#` as the terminator and one timeout
        // (one digit, or the same wait before and between digits).
        if prompts.count == 1, terminators == "#", max == 1 || command.firstTimeout == command.interDigitTimeout {
            let line = "GET DATA \(prompts[0]) \(command.firstTimeout) \(max)"
            return s.send(
                line, timeout: settings.commandTimeout + 300 + Double(command.firstTimeout) / 1000 * Double(max)
            ) {
                outcome in
                guard case .reply(let r) = outcome, r.code == 200 else { return done(Self.status(outcome), nil) }
                guard r.result != "-1" else { return done("hungup", nil) }
                let digits = r.result.filter { "0123456789*#ABCD".contains($0) }
                done(digits.isEmpty ? "timeout" : "ok", digits.isEmpty ? nil : String(digits.prefix(max)))
            }
        }
        play(prompts, escape: "0123456789*#", on: s) { [self] status, first in
            guard status == "ok" else { return done(status, nil) }
            var digits = ""
            func take(_ c: Character) -> Bool {
                if terminators.contains(c) { return true }
                digits.append(c)
                return digits.count >= max
            }
            if let first, take(first) { return done(digits.isEmpty ? "timeout" : "ok", digits.isEmpty ? nil : digits) }
            func wait() {
                // An operator already in the room: no more waiting for digits (the call-back offer's
                // answer, say); the caller joins the operator.
                guard !s.intoRoomNext else {
                    return done(digits.isEmpty ? "timeout" : "ok", digits.isEmpty ? nil : digits)
                }
                let ms = digits.isEmpty ? command.firstTimeout : command.interDigitTimeout
                s.send("WAIT FOR DIGIT \(ms)", timeout: settings.commandTimeout + Double(ms) / 1000) { outcome in
                    guard case .reply(let r) = outcome, r.code == 200, (r.number ?? -1) >= 0 else {
                        return done(Self.status(outcome), nil)
                    }
                    guard let c = AGISession.digit(r.number) else {
                        return done(digits.isEmpty ? "timeout" : "ok", digits.isEmpty ? nil : digits)
                    }
                    if take(c) { return done(digits.isEmpty ? "timeout" : "ok", digits.isEmpty ? nil : digits) }
                    wait()
                }
            }
            wait()
        }
    }

    /// A command's status for the server: `ok`, `hungup` (-1, 511, a dead session) or `error` (510, 520).
    static func status(_ outcome: AGISession.Outcome) -> String {
        switch outcome {
        case .reply(let r) where r.code == 200:
            // A result that is not a number (`result=`, `result=abc`) is not a success.
            r.number.map { $0 >= 0 ? "ok" : "hungup" } ?? "error"
        case .reply: "error"
        case .hungUp, .failed: "hungup"
        }
    }

    static func reason(_ outcome: AGISession.Outcome) -> String? {
        if case .reply(let r) = outcome, r.code != 200 { return "agi_\(r.code)" }
        return nil
    }
}

/// A server command for a call of the front, read from its line.
struct FrontCommand {
    var id: String
    var call: String
    var name: String
    var prompts: [String] = []
    var bargeIn = false
    var language: String?
    var max = 1
    var terminators = "#"
    var firstTimeout = 8000
    var interDigitTimeout = 3000
    var mode: String?
    var agent: String?
    var unit: String?
    var number: String?
    var ringTimeout: Double?

    init(id: String, call: String, name: String) {
        self.id = id
        self.call = call
        self.name = name
    }

    init?(name: String, _ m: LineMessage) {
        guard let id = try? m.string("id"), let call = try? m.string("call") else { return nil }
        self.init(id: id, call: call, name: name)
        prompts = (try? m.strings("prompts")) ?? []
        bargeIn = (try? m.bool("barge_in", default: false)) ?? false
        language = try? m.optionalString("lang")
        max = ((try? m.int("max")) ?? nil) ?? 1
        terminators = ((try? m.optionalString("terminators")) ?? nil) ?? "#"
        firstTimeout = Swift.min(600_000, Swift.max(0, ((try? m.int("first_timeout_ms")) ?? nil) ?? 8000))
        interDigitTimeout = Swift.min(600_000, Swift.max(0, ((try? m.int("inter_digit_timeout_ms")) ?? nil) ?? 3000))
        mode = try? m.optionalString("mode")
        ringTimeout = (try? m.double("ring_timeout_s")) ?? nil
        if case .object(let to)? = m.object["to"] {
            if case .string(let a)? = to["agent"] { agent = a }
            if case .string(let u)? = to["unit"] { unit = u }
            if case .string(let n)? = to["number"] { number = n }
        }
    }
}

/// The front's adapter as the switchboard's peer: the server's lines for it are handed to the front
/// when the host flushes its output (never inside the switchboard's own call).
final class FrontAdapterLink: FlushableLink {
    let name: String
    unowned let front: AsteriskFront
    private var pending: [OutputLine] = []
    /// Event lines sent to the server on this adapter (the server numbers them the same way).
    var linesSent = 0
    /// Sessions whose `offer` is the line of that number, until the server answers them with a command.
    var offers: [Int: AGISession] = [:]

    init(name: String, front: AsteriskFront) {
        self.name = name
        self.front = front
    }

    var label: String { "fastagi \(name)" }

    func send(_ line: OutputLine) {
        if pending.isEmpty { front.host.markDirty(self) }
        pending.append(line)
    }

    func flush() {
        guard !pending.isEmpty else { return }
        let lines = pending
        pending = []
        front.deliver(lines, from: self)
    }

    /// The server's own adapter is never closed by a peer's doing.
    func close() {}
}
