import Foundation
import HotlineBackend
import HotlineCore
import HotlineDrive
import HotlineModel

#if canImport(Glibc)
    import Glibc
#endif

/// `hotline rehearse SCENARIO --serve ADDRESS`: the scenario at a real desk. A live backend
/// (`hotline serve`, on a manual clock at the scenario's hour, with its own case store) runs behind a
/// relay on ADDRESS; the trainee's own operator desktop connects there and works the call over the line
/// protocol. This session plays the rest of the world through the same server: the PBX and the caller
/// (the adapter), the unit's duty line and its steps over the following days, and the clock.
///
/// The desktop's lines that the server accepted are the trainee's steps, scored by the same rubric as
/// at the terminal. The centre's steps the protocol has no event for (supervision, a report for
/// accountability, re-handling, an answer through the media) are numbered choices at this terminal.
final class RehearsalDesk {
    let scenario: TrainingScenario
    let model: CityModel
    let record: RehearsalRecord
    let address: Listener
    private let folder: URL
    private var server: Process?
    /// The server's standard input: it stops at its end of input, when this process ends.
    private let lifeline = Pipe()
    /// The peers of the rehearsal's server: the world, which may move the clock, and the desk, which
    /// may be a desktop only. Their secrets live in this process and the server's peers file (0600).
    static let worldName = "rehearsal-world"
    static let deskName = "trainee-desk"
    private let worldSecret = SecretHash.newSecret()
    private let deskSecret = SecretHash.newSecret()
    private var world: LineConnection?
    private var relay: DeskRelay?
    private let keys = TerminalKeys()
    private var started: Date?
    private var aftermathClock: Double?

    // The call, as the world sees it.
    private let callID = "rehearsal-1"
    private var callOver = false
    private var connected = false
    /// When something last happened on the call (the bridge, a step of the trainee's).
    private var idleSince = Date()
    /// The registered case, once the desktop's disposition opened one.
    private var caseID: String?
    /// Whether a repeat caller's earlier call reached the world's operator.
    private var earlierBridged = false

    // The desktop's lines by (connection, line), until the server answers them.
    private var sent: [Int: [Int: [String: Any]]] = [:]
    /// The fields of a three-party call under way, for the registration that may follow it.
    private var conferenceFields: [String: String]?

    /// The desk running now, for Ctrl-C to stop its server.
    private static let current = CurrentDesk()

    /// Stops the server of the desk running now, if any (on Ctrl-C).
    static func stopAll() { current.take()?.stop() }

    /// The caller's lines and the centre's prompts on the sound card (`--audio`).
    let voice: RehearsalVoice?

    init(
        scenario: TrainingScenario, model: CityModel, record: RehearsalRecord, address: Listener,
        voice: RehearsalVoice? = nil
    ) {
        self.voice = voice
        self.scenario = scenario
        self.model = model
        self.record = record
        self.address = address
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-rehearsal-\(UUID().uuidString)")
    }

    private func say(_ text: String = "") { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

    private var now: Double { aftermathClock ?? started.map { Date().timeIntervalSince($0) } ?? 0 }

    /// Starts the server and the relay, plays the call and its aftermath, and stops the server.
    func run(modelPath: String?) throws {
        Self.current.set(self)
        defer {
            _ = Self.current.take()
            stop()
        }
        try startServer(modelPath: modelPath)
        let world = try LineConnection.connect(
            to: .unix(path: folder.appendingPathComponent("world.sock").path), label: "world")
        self.world = world
        send([
            "event": "hello", "v": 1, "name": Self.worldName, "secret": worldSecret,
            "roles": ["adapter", "desktop", "supervisor"],
        ])
        try awaitReply("hello")
        if repeatCaller { try openEarlierCase() }
        let relay = try DeskRelay(
            listening: address, server: .unix(path: folder.appendingPathComponent("desk.sock").path),
            identity: (Self.deskName, deskSecret))
        self.relay = relay
        keys.start()

        say("== \(scenario.title.zh) / \(scenario.title.en)  (at a real desk)")
        say("The centre is open on \(relay.address): connect the operator desktop there (hello with the role desktop),")
        say("log an operator in and make them ready. The centre's clock stands at \(callText) and moves only")
        say("when this session moves it. The call rings as soon as an operator is ready. Ctrl-C saves the session.")
        offer()
        try playCall()
        guard !keys.endOfInput || callOver else { return }
        try aftermath()
    }

    // MARK: The server

    /// A repeat caller's scenario: the case of the earlier call must be open when the call rings.
    private var repeatCaller: Bool { scenario.expected.contains { $0.step == .joinOpenCase } }

    /// The server's clock starts at the call, or a day before it for a repeat caller's earlier call.
    private var startText: String { localTime(scenario.truth.callAt + (repeatCaller ? -86_400 : 0)) }

    private var callText: String { localTime(scenario.truth.callAt) }

    /// `YYYY-MM-DDTHH:MM:SS` in the centre's time, as `--start-at` takes it.
    private func localTime(_ instant: Instant) -> String {
        String(instant.iso(offsetHours: model.utcOffsetHours).prefix(19))
    }

    /// Yesterday's call of a repeat caller, worked by an operator of the world's own: it opens the case
    /// the trainee's call must join; then the clock moves to the trainee's call.
    private func openEarlierCase() throws {
        let op = "earlier-shift"
        send(["event": "login", "operator": op])
        try awaitReply("login")
        send(["event": "ready", "operator": op])
        try awaitReply("ready")
        send(["event": "offer", "call": "earlier-1", "from": scenario.caller.number, "to": "12345"])
        let deadline = Date().addingTimeInterval(30)
        while !earlierBridged {
            guard Date() < deadline else {
                throw RehearsalError("the centre never put the caller's earlier call through")
            }
            pump(timeout: 0.05)
        }
        var line: [String: Any] = [
            "event": "disposition", "operator": op, "call": "earlier-1", "action": "work_order",
            "category": scenario.truth.category.rawValue, "summary": "(the caller's first call)",
        ]
        if let t = scenario.truth.territory { line["territory"] = t.rawValue }
        send(line)
        try awaitReply("disposition")
        send(["event": "hangup", "call": "earlier-1", "cause": "normal"])
        send(["event": "logout", "operator": op])
        try awaitReply("logout")
        send(["event": "advance", "to": scenario.truth.callAt.iso(offsetHours: model.utcOffsetHours)])
        try awaitReply("advance")
    }

    /// Folders of rehearsals killed before they could clean up: their server has gone (it removes its
    /// sockets as it stops) and they are over a minute old.
    private func sweepAbandoned() {
        let fm = FileManager.default
        let temporary = fm.temporaryDirectory
        for name in (try? fm.contentsOfDirectory(atPath: temporary.path)) ?? []
        where name.hasPrefix("hotline-rehearsal-") {
            let other = temporary.appendingPathComponent(name)
            guard other != folder, !fm.fileExists(atPath: other.appendingPathComponent("world.sock").path),
                let made = (try? fm.attributesOfItem(atPath: other.path))?[.creationDate] as? Date
                    ?? (try? fm.attributesOfItem(atPath: other.path))?[.modificationDate] as? Date,
                Date().timeIntervalSince(made) > 60
            else { continue }
            try? fm.removeItem(at: other)
        }
    }

    private func startServer(modelPath: String?) throws {
        sweepAbandoned()
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let peers = folder.appendingPathComponent("peers.yaml")
        let entries =
            "peers:\n"
            + PeerDirectory.entryText(
                name: Self.worldName, roles: ["adapter", "desktop", "supervisor"],
                secret: SecretHash(hashing: worldSecret),
                advanceClock: true)
            + PeerDirectory.entryText(
                name: Self.deskName, roles: ["desktop"], secret: SecretHash(hashing: deskSecret), advanceClock: false)
        try Peers.writePrivate(entries, to: peers.path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        // `--stdio` on a pipe only this process writes to: when it ends, even by kill -9, the pipe
        // closes, and the server's end of input stops it; no server outlives its rehearsal.
        p.arguments =
            [
                "serve", "--stdio", "--clock", "manual", "--start-at", startText, "--wrap-up", "desktop",
                "--listen", "unix:" + folder.appendingPathComponent("world.sock").path,
                "--listen", "unix:" + folder.appendingPathComponent("desk.sock").path,
                "--store", folder.appendingPathComponent("cases.sqlite").path, "--peers", peers.path,
            ] + (modelPath.map { ["--model", $0] } ?? [])
        let log = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: log)
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = lifeline
        try p.run()
        server = p
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let ready = ["world.sock", "desk.sock"].allSatisfy {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
            }
            if ready { return }
            guard p.isRunning else { break }
            usleep(20_000)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw RehearsalError("the centre's server did not start: \(text.suffix(400))")
    }

    fileprivate func stop() {
        world?.close()
        relay?.close()
        if let server, server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: The world's lines

    private func send(_ object: [String: Any]) {
        guard let world, let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return }
        world.write(String(decoding: data, as: UTF8.self))
        world.flush()
    }

    private static func object(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// Handles what came from the server and the desk for up to `timeout` seconds; returns the world's
    /// replies that came.
    @discardableResult
    private func pump(timeout: Double) -> [[String: Any]] {
        var replies: [[String: Any]] = []
        if let line = world?.next(timeout: timeout) {
            for bytes in [line] + (world?.drain() ?? []) {
                guard let m = Self.object(bytes) else { continue }
                if m["command"] != nil {
                    answer(m)
                } else if m["reply"] != nil || m["error"] != nil {
                    replies.append(m)
                }
            }
        }
        for passed in relay?.take() ?? [] { observe(passed) }
        return replies
    }

    /// Waits for the world's reply `name` or an error, handling everything else meanwhile; with
    /// `refusable` false an error is thrown.
    @discardableResult
    private func awaitReply(_ name: String, refusable: Bool = false) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            for r in pump(timeout: 0.05) {
                if r["reply"] as? String == name { return r }
                if let message = r["error"] as? String {
                    guard refusable else {
                        throw RehearsalError("the centre refused \(name): \(message)")
                    }
                    return r
                }
            }
        }
        throw RehearsalError("the centre's server did not answer \(name)")
    }

    private func result(_ command: [String: Any], _ status: String, digits: String? = nil, reason: String? = nil) {
        var line: [String: Any] = [
            "event": "result", "call": command["call"] ?? "", "command_id": command["id"] ?? "", "status": status,
        ]
        if let digits { line["digits"] = digits }
        if let reason { line["reason"] = reason }
        send(line)
    }

    /// The PBX, the caller and the unit answer the server's commands.
    private func answer(_ c: [String: Any]) {
        let name = c["command"] as? String ?? ""
        let call = c["call"] as? String ?? ""
        if call == "earlier-1" {
            if name == "bridge" { earlierBridged = true }
            if name != "hangup" { result(c, "ok") }
            return
        }
        guard call == callID else {
            // Outbound legs: a phone dispatch the unit signs for with 1, the survey the caller answers.
            switch name {
            case "collect":
                let survey = (c["prompts"] as? [String])?.contains("satisfaction-survey") == true
                result(c, "ok", digits: survey ? (scenario.world.callerSatisfied ? "1" : "3") : "1")
            case "hangup": break
            default: result(c, "ok")
            }
            return
        }
        switch name {
        case "bridge":
            result(c, "ok")
            connected = true
            idleSince = Date()
            started = started ?? Date()
            say(
                "The phone rings at the desktop. Caller: \(scenario.caller.persona.en) (\(scenario.caller.mood.rawValue))."
            )
            for line in scenario.caller.says {
                say(line.said)
                voice?.caller(line.zh)
            }
            let topics = scenario.caller.answers.keys.sorted()
            if !topics.isEmpty {
                say(
                    "Ask the caller here: "
                        + topics.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", ")
                        + "; 0 hangs the caller up. Everything else is done at the desktop.")
            }
        case "dial":
            say("  " + RehearsalRecord.conferenceOutcome(scenario.world))
            switch scenario.world.dutyLine {
            case .answers: result(c, "ok")
            case .busy: result(c, "error", reason: "busy")
            case .noAnswer, .offDuty: result(c, "timeout", reason: "no_answer")
            }
        case "collect": result(c, "timeout")
        case "hangup", "transfer":
            if name == "transfer" { result(c, "ok") }
            callOver = true
        default: result(c, "ok")
        }
    }

    // MARK: The desktop's lines

    /// Takes in a line the relay passed: the desktop's lines wait for the server's answer; an accepted
    /// one is a step of the trainee's.
    private func observe(_ p: DeskRelay.Passed) {
        guard let m = Self.object(p.bytes) else { return }
        if p.toServer {
            idleSince = Date()  // the trainee is at work
            // Only the lines that can be steps are kept, until the server answers them.
            guard let event = m["event"] as? String, Self.scored.contains(event) else { return }
            var lines = sent[p.connection, default: [:]]
            if lines.count >= 256, let oldest = lines.keys.min() { lines[oldest] = nil }
            lines[p.line] = m
            sent[p.connection] = lines
            return
        }
        if m["notice"] as? String == "conference_failed" {
            say(
                "  The centre: the three-party call failed; the case is registered and dispatched by phone (Art. 10(3))."
            )
        }
        guard let line = m["input_line"] as? Int, let event = sent[p.connection]?[line] else { return }
        if let message = m["error"] as? String {
            sent[p.connection]?[line] = nil
            say(Self.printable("  The centre refused your \(event["event"] as? String ?? "line"): \(message)"))
            return
        }
        guard m["reply"] != nil else { return }
        if event["event"] as? String == "case" { sent[p.connection]?[line] = nil }
        do { try accepted(event, reply: m) } catch { say("  (the session log could not be written: \(error))") }
    }

    /// The desk events that can be steps.
    private static let scored: Set<String> = ["disposition", "conference_outcome", "case"]

    /// Text from the desk or the server made safe for the terminal: control characters (escape
    /// sequences that would clear the screen or fake a line) are shown as `�`.
    static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { s in
                    s.properties.generalCategory == .control && s != "\n" ? "\u{FFFD}" : s
                }))
    }

    private func act(_ step: TrainingScenario.OperatorStep, _ fields: [String: String] = [:]) throws {
        idleSince = Date()
        if let feedback = try record.act(step, fields, at: now) { say(feedback) }
    }

    /// The step an accepted desktop line stands for (docs/scenarios.md, "At a real desk").
    private func accepted(_ event: [String: Any], reply: [String: Any]) throws {
        let decision = reply["decision"] as? String
        // Steps count for the rehearsal's own call and case only.
        switch event["event"] as? String {
        case "disposition", "conference_outcome": guard event["call"] as? String == callID else { return }
        default: guard caseID != nil, event["case"] as? String == caseID else { return }
        }
        if event["event"] as? String != "case", let c = reply["case"] as? String { caseID = c }
        switch event["event"] as? String {
        case "disposition":
            var fields: [String: String] = [:]
            for key in ["category", "unit", "summary"] { if let v = event[key] as? String { fields[key] = v } }
            // A unit the desk did not name is the directory's own choice (the server refuses another), so
            // only a named one is the trainee's.
            let action = event["action"] as? String ?? ""
            if conferenceFields != nil, action == "three_party", decision != "conference" {
                // The second answer to the three-party disposition: what the conference led to.
                try concluded(decision)
                return
            }
            switch (decision, action) {
            case ("repeat_call", _): try act(.joinOpenCase, fields)
            case ("government_decision", _): try act(.proposeToGovernment, fields)
            case ("conference", _):
                conferenceFields = fields
                try act(.threeParty, fields)
                return
            case (_, "three_party"):
                // Every duty line busy: the centre registered at once (Art. 10(3)).
                conferenceFields = fields
                try act(.threeParty, fields)
                try concluded(decision)
                return
            case (_, "direct"): try act(.answerDirectly, fields)
            case (_, "register"): try act(.register, fields)
            case (_, "work_order"): try act(.workOrder, fields)
            case (_, "referral"): try act(.refer, fields)
            default: try act(.escalate, fields)
            }
            hangUpCaller()
        case "conference_outcome":
            try concluded(decision)
        case "case":
            switch event["action"] as? String {
            case "grant_extension": try act(.grantExtension)
            case "refuse_extension": try act(.refuseExtension)
            default: break
            }
        default: break
        }
    }

    /// What a three-party call led to: a registration, or the unit settled it on the spot.
    private func concluded(_ decision: String?) throws {
        guard let fields = conferenceFields else { return }
        conferenceFields = nil
        switch decision {
        case "phone_dispatch": try act(.register, fields)
        case "work_order": try act(.workOrder, fields)
        case "escalation": try act(.escalate, fields)
        case "referral": try act(.refer, fields)
        default: break
        }
        hangUpCaller()
    }

    private func hangUpCaller() {
        guard !callOver else { return }
        callOver = true
        say("The caller thanks you and hangs up. (End the wrap-up at the desktop.)")
        send(["event": "hangup", "call": callID, "cause": "normal"])
    }

    // MARK: The call and the aftermath

    private func offer() {
        var line: [String: Any] = ["event": "offer", "call": callID, "from": scenario.caller.number, "to": "12345"]
        if let name = scenario.caller.name { line["name"] = name }
        send(line)
    }

    /// Until the call is over: the desktop works it; this terminal asks the caller questions.
    private func playCall() throws {
        var impatient = false
        while !callOver {
            pump(timeout: 0.05)
            if connected, Date().timeIntervalSince(idleSince) > 2 * scenario.caller.patienceSeconds {
                // Nothing happened on the call for twice the caller's patience: they give up.
                say("The caller gives up waiting and hangs up.")
                callOver = true
                send(["event": "hangup", "call": callID, "cause": "normal"])
                break
            }
            if !impatient, connected, record.actions.isEmpty, now > scenario.caller.patienceSeconds {
                impatient = true
                say(RehearsalRecord.impatience.said)
                voice?.caller(RehearsalRecord.impatience.zh)
            }
            guard let key = keys.next() else {
                if keys.endOfInput && !connected { return }
                continue
            }
            let topics = scenario.caller.answers.keys.sorted()
            if key == "0" {
                say("The caller hangs up.")
                callOver = true
                send(["event": "hangup", "call": callID, "cause": "normal"])
            } else if let n = Int(key), (1...max(1, topics.count)).contains(n), n <= topics.count, connected {
                let a = scenario.caller.answers[topics[n - 1]]!
                say(a.said)
                voice?.caller(a.zh)
            } else if !key.isEmpty {
                say("Work the call at the desktop; here, a topic's number asks the caller, 0 hangs up.")
            }
        }
        // Whatever the server still sends for the call (the wrap-up, the hangup's consequences).
        pump(timeout: 0.2)
    }

    /// Moves the centre's clock to `day` days after the call, serving the world meanwhile.
    private func advance(toDay day: Double) throws {
        aftermathClock = day * 86_400
        let to = (scenario.truth.callAt + day * 86_400).iso(offsetHours: model.utcOffsetHours)
        send(["event": "advance", "to": to])
        try awaitReply("advance")
        send(["event": "advance", "by": 0])
        try awaitReply("advance")
    }

    /// The unit's step of the day, done for it by the centre as the unit reported it; a reply comes
    /// after the unit has contacted the caller, as the case life asks.
    private func unitStep(_ step: TrainingScenario.UnitStep) -> String? {
        guard let caseID else { return nil }
        let actions: [String]
        switch step {
        case .signFor: actions = ["sign_for"]
        case .returnCase: actions = ["return"]
        case .requestExtension: actions = ["sign_for", "request_extension"]
        case .reply: actions = ["sign_for", "contact_caller", "reply"]
        case .missDeadline: return nil
        }
        // The unit holding the case now (the directory may have sent it to a sub-unit or an enterprise).
        send(["event": "cases"])
        let list = (try? awaitReply("cases", refusable: true))?["cases"] as? [[String: Any]] ?? []
        let holder = list.first { $0["case"] as? String == caseID }?["unit"] as? String
        guard let unit = holder ?? scenario.truth.unit?.rawValue else {
            return "  (no unit holds the case yet: the city government names one, Art. 8)"
        }
        for (i, action) in actions.enumerated() {
            var line: [String: Any] = [
                "event": "case", "case": caseID, "action": action,
                "for_unit": unit,
            ]
            if action == "reply" { line["channel"] = "phone" }
            send(line)
            // A step the unit took already (a phone dispatch it signed for on the call) is no news.
            if let r = try? awaitReply("case", refusable: true), let message = r["error"] as? String,
                i == actions.count - 1, !message.contains("in state 'signed_for'") || action != "sign_for"
            {
                return "  (the unit's \(action) was refused: \(message))"
            }
        }
        return nil
    }

    /// A numbered choice at this terminal, serving the desk while it waits; `.none` at the end of
    /// input. `extensions`: the application never reached the desktop, so it is decided here.
    private func chooseHere(_ title: String, extensions: Bool) throws -> TrainingScenario.OperatorStep?? {
        let options = RehearsalRecord.centreOptions.filter {
            extensions || ($0.1 != .grantExtension && $0.1 != .refuseExtension)
        }
        while true {
            say(title + (extensions ? "" : " (an extension is granted or refused at the desktop)"))
            for (i, o) in options.enumerated() { say("  \(i + 1). \(o.0)") }
            FileHandle.standardOutput.write(Data("> ".utf8))
            var key: String?
            while key == nil {
                pump(timeout: 0.05)
                key = keys.next()
                if key == nil && keys.endOfInput { return .none }
            }
            if let n = Int(key!), (1...options.count).contains(n) { return .some(options[n - 1].1) }
            say("Type a number from 1 to \(options.count).")
        }
    }

    private func centreActs(_ title: String, extensions: Bool = false) throws {
        while case .some(let choice) = try chooseHere(title, extensions: extensions), let step = choice {
            try act(step)
        }
    }

    private func aftermath() throws {
        if let caseID { say("The case is \(caseID). The days after the call play out; act where the regulation asks.") }
        let steps = scenario.world.aftermath
        for step in steps {
            try advance(toDay: step.day)
            // The unit's step is in the centre before the trainee hears of it.
            let note = unitStep(step.step)
            say(RehearsalRecord.dayLine(step) + (caseID.map { " (case \($0))" } ?? ""))
            if let note { say(note) }
            // The live centre takes one application only (Art. 10(8)): a second never reaches the
            // desktop, so what the centre tells the unit is decided here.
            let unheard = step.step == .requestExtension && note != nil
            if unheard { say("  The desktop has no application to decide: answer the unit here.") }
            try centreActs("What does the centre do?", extensions: unheard)
            if keys.endOfInput { break }
        }
        if !steps.isEmpty || !scenario.world.callerSatisfied {
            try advance(toDay: (steps.last?.day ?? 0) + 1)
            voice?.prompt("satisfaction-survey")
            say(
                "-- The satisfaction callback: the caller is \(scenario.world.callerSatisfied ? "satisfied" : "not satisfied")."
            )
            if !scenario.world.callerSatisfied { try centreActs("What does the centre do?") }
        }
        pump(timeout: 0.2)
    }
}

/// The desk running now.
private final class CurrentDesk: @unchecked Sendable {
    private let lock = NSLock()
    private var desk: RehearsalDesk?

    func set(_ d: RehearsalDesk) { lock.withLock { desk = d } }
    func take() -> RehearsalDesk? {
        lock.withLock {
            defer { desk = nil }
            return desk
        }
    }
}

/// The trainee's lines at this terminal, read on their own thread so the session keeps serving the
/// desk while it waits.
final class TerminalKeys: @unchecked Sendable {
    private let condition = NSCondition()
    private var lines: [String] = []
    private var ended = false

    func start() {
        let t = Thread { [weak self] in
            while let line = readLine() {
                self?.push(line.trimmingCharacters(in: .whitespaces))
            }
            self?.finish()
        }
        t.start()
    }

    private func push(_ line: String) {
        condition.lock()
        lines.append(line)
        condition.signal()
        condition.unlock()
    }

    private func finish() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next line typed, if any, without waiting.
    func next() -> String? {
        condition.lock()
        defer { condition.unlock() }
        return lines.isEmpty ? nil : lines.removeFirst()
    }

    /// Whether the input ended and every line was taken.
    var endOfInput: Bool {
        condition.lock()
        defer { condition.unlock() }
        return ended && lines.isEmpty
    }
}
