internal import DequeModule
internal import Foundation
package import HotlineBackend
package import HotlineCore
package import HotlineSimulation
internal import NIOCore
internal import NIOPosix

/// Plays a simulated day through a running `hotline serve` on a manual clock, as its PBX adapter,
/// its operator desktops and its units, and checks the server against the simulator step by step.
///
/// The simulator is the world and the reference: callers ring, operators work their shifts and give
/// dispositions, duty lines answer or ring out, units sign for and reply, callers give verdicts. Every
/// step goes to the server at the simulated moment it happens (`advance` moves the server's clock
/// there first, firing its timers at their own times); every step of the centre's own (which caller
/// the ACD bridges to which operator, which duty line it rings, what the routing core decides, which
/// case it opens) must be the simulator's, or it is reported as a mismatch. At the end each case the
/// server holds is compared with the simulator's, field by field.
package final class DriveSession: CentreObserver {
    let model: CityModel
    let offset: Double
    let group: MultiThreadedEventLoopGroup
    let address: Listener
    let credentials: Credentials?
    /// The control peer's connection: adapter, desktop and supervisor at once.
    private var control: LineConnection!
    private var unitLinks: [UnitID: LineConnection] = [:]
    private var unitEntries: [UnitID: Credentials.Entry] = [:]
    /// Unit connections written to since the server last confirmed their lines.
    private var touched: Set<UnitID> = []
    /// Lines written to the control connection since the server last confirmed them. Lines of one
    /// moment on two connections reach the server in the order written only if each connection is
    /// confirmed before the other is written to.
    private var controlUnconfirmed = false
    /// The moment of the step at hand, and the server's clock.
    private var now = Instant(seconds: 0)
    private var serverNow = Instant(seconds: 0)
    /// Lines of the current moment whose consequences must be seen before the clock moves on (an
    /// operator ready again may be offered a call-back at once).
    private var needsBarrier = false

    // What the server said, not yet taken by a step.
    private var commands: [String: [Command]] = [:]
    private var dials: [DialKey: Command] = [:]
    private var callbackDials: [Command] = []
    // Mappings between the simulator's numbers and the server's ids.
    private var serverCall: [Int: String] = [:]
    private var agentOf: [String: String] = [:]
    private var tookOffer: [String: Bool] = [:]
    private var expected: [String: Deque<String>] = [:]
    private var openedCase: [String: Deque<Int>] = [:]
    private var caseID: [Int: String] = [:]
    private var simCases: [Int: Case] = [:]
    private var notifyCalls: [String: (play: Command?, hangup: Command?)] = [:]
    private var notifyCallOf: [NotifyKey: String] = [:]

    /// What the run found.
    package private(set) var report = DriveReport()

    private struct Command {
        var id: String
        var call: String
        var name: String
        var object: JSONObject
    }

    private struct DialKey: Hashable {
        var purpose: String
        var caseID: String
        var unit: String
    }

    private struct NotifyKey: Hashable {
        var serial: Int
        var unit: UnitID
    }

    package init(model: CityModel, address: Listener, credentials: Credentials?) {
        self.model = model
        offset = Double(model.utcOffsetHours) * 3600
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.address = address
        self.credentials = credentials
    }

    // MARK: Connecting

    /// Connects the control peer and learns the server's clock; the run must start at or after it.
    package func open(startingAt start: Instant) throws {
        let (link, reply) = try hello(label: "control", roles: ["adapter", "desktop", "supervisor"], unit: nil)
        control = link
        guard reply["clock"]?.text == "manual" else {
            throw DriveError(
                "the server runs on the \(reply["clock"]?.text ?? "?") clock: start it with --clock manual (and --start-at at or before the first simulated day) for a lock-step drive"
            )
        }
        if reply["may_advance"] != .bool(true) {
            throw DriveError("the server does not let this peer advance its clock (advance_clock in its peers file)")
        }
        if reply["wrap_up"]?.text != "desktop" {
            throw DriveError(
                "the server ends wrap-up itself (wrap-up \(reply["wrap_up"]?.text ?? "?")): start it with --wrap-up desktop, so that operators are ready when the simulated after-call work ends"
            )
        }
        guard let text = reply["now"]?.text, let serverStart = Instant(iso: text, offsetHours: model.utcOffsetHours)
        else { throw DriveError("the server's hello does not say its time") }
        serverNow = serverStart
        guard serverStart <= start else {
            throw DriveError(
                "the server's clock reads \(text), after the first simulated moment \(start.iso(offsetHours: model.utcOffsetHours)); start it with --start-at \(start.iso(offsetHours: model.utcOffsetHours).prefix(16)) or earlier"
            )
        }
        now = serverStart
        if let credentials {
            // The unit peers: the file names their units, or a hello tells (a unit not yet in force is
            // left out until the run needs it).
            for entry in credentials.entries.dropFirst() {
                if let unit = entry.unit {
                    unitEntries[UnitID(unit)] = entry
                } else if let (link, reply) = try? hello(label: entry.name, entry: entry) {
                    if let unit = reply["unit"]?.text { unitEntries[UnitID(unit)] = entry }
                    link.close()
                }
            }
        }
    }

    private func hello(label: String, roles: [String], unit: UnitID?) throws -> (LineConnection, JSONObject) {
        if let credentials {
            guard let entry = credentials.entries.first else { throw DriveError("the credentials file names no peer") }
            return try hello(label: label, entry: entry)
        }
        var line = OutputLine("event", "hello")
        line.add("v", 1)
        line.add("roles", roles)
        line.add("name", unit.map { "drive-\($0)" } ?? "drive")
        line.add("unit", unit?.rawValue)
        return try hello(label: label, line: line)
    }

    private func hello(label: String, entry: Credentials.Entry) throws -> (LineConnection, JSONObject) {
        var line = OutputLine("event", "hello")
        line.add("v", 1)
        line.add("name", entry.name)
        line.add("secret", entry.secret)
        return try hello(label: label, line: line)
    }

    private func hello(label: String, line: OutputLine) throws -> (LineConnection, JSONObject) {
        let link = try LineConnection.connect(to: address, group: group, label: label)
        link.write(line)
        link.flush()
        while let bytes = link.next(timeout: 30) {
            guard let o = Self.object(bytes) else { continue }
            if o["reply"]?.text == "hello" { return (link, o) }
            if let e = o["error"]?.text { throw DriveError("\(label): hello refused: \(e)") }
        }
        throw DriveError("\(label): no answer to hello from \(address)")
    }

    /// The connection of a unit's peer, opened on first use.
    private func unitLink(_ unit: UnitID) throws -> LineConnection {
        if let link = unitLinks[unit] { return link }
        let link: LineConnection
        if credentials != nil {
            guard let entry = unitEntries[unit] else {
                throw DriveError("the credentials file has no peer for unit \(unit)")
            }
            link = try hello(label: entry.name, entry: entry).0
        } else {
            link = try hello(label: "unit \(unit)", roles: ["unit"], unit: unit).0
        }
        unitLinks[unit] = link
        return link
    }

    // MARK: Time

    /// `HOTLINE_DRIVE_TRACE=FILE`: every step and line, for finding where a server parted.
    private let trace: FileHandle? = ProcessInfo.processInfo.environment["HOTLINE_DRIVE_TRACE"].flatMap {
        _ = FileManager.default.createFile(atPath: $0, contents: nil)
        return FileHandle(forWritingAtPath: $0)
    }

    private func log(_ text: @autoclosure () -> String) {
        trace?.write(Data((text() + "\n").utf8))
    }

    package func step(_ step: CentreStep, at time: Instant) {
        // Once the run has failed, the rest of the simulation goes by without the server.
        guard report.aborted == nil else { return }
        log("\(time.iso(offsetHours: model.utcOffsetHours)) \(time.seconds) STEP \(step)")
        do {
            if time > now { try moveOn(to: time) }
            try play(step)
        } catch {
            report.abort(error)
        }
    }

    /// Ends the moment at hand (the server has seen and answered everything of it) and moves the
    /// server's clock to `time`.
    private func moveOn(to time: Instant) throws {
        try settleMoment()
        var line = OutputLine("event", "advance")
        line.add("to", time.seconds - offset)
        control.write(line)
        control.flush()
        try readUntil(reply: "advance")
        controlUnconfirmed = false
        serverNow = time
        now = time
        report.advances += 1
    }

    /// The server has seen every line of this moment, and the moment's loose ends are tied: call-backs
    /// of callers the simulator does not call back are not answered.
    private func settleMoment() throws {
        try confirmUnits()
        if needsBarrier { try barrier() }
        // Call-backs of callers the simulator does not call back (they called again): not answered, at
        // this moment, so that the server goes on to the next one at once.
        while !callbackDials.isEmpty {
            for dial in callbackDials { respond(dial, status: "timeout", reason: "no_answer") }
            callbackDials.removeAll()
            try barrier()
        }
        needsBarrier = false
    }

    /// The lines written to units' connections have been handled by the server.
    private func confirmUnits() throws {
        guard !touched.isEmpty else { return }
        for unit in touched {
            let link = try unitLink(unit)
            link.write(#"{"event":"ping"}"#)
            link.flush()
        }
        for unit in touched { try awaitPong(unitLinks[unit]!) }
        touched.removeAll()
    }

    /// Every line before it has been handled by the server, and everything that followed from it is
    /// durable and done (an `advance` by nothing waits for the server's writes and their consequences).
    private func barrier() throws {
        control.write(#"{"event":"advance","by":0}"#)
        control.flush()
        try readUntil(reply: "advance")
        controlUnconfirmed = false
        report.barriers += 1
    }

    private func readUntil(reply: String) throws {
        while true {
            guard let bytes = control.next(timeout: 60) else {
                if control.isClosed { throw DriveError("the server at \(address) closed the connection") }
                throw DriveError("the server at \(address) did not answer within 60 s (waiting for '\(reply)')")
            }
            report.linesIn += 1
            log("  < " + String(decoding: bytes, as: UTF8.self))
            guard let o = Self.object(bytes) else { continue }
            if o["reply"]?.text == reply { return }
            take(o)
        }
    }

    private func awaitPong(_ link: LineConnection) throws {
        while true {
            guard let bytes = link.next(timeout: 60) else {
                if link.isClosed { throw DriveError("\(link.label): the server at \(address) closed the connection") }
                throw DriveError("\(link.label): the server at \(address) did not answer within 60 s")
            }
            report.linesIn += 1
            guard let o = Self.object(bytes) else { continue }
            if o["reply"]?.text == "pong" { return }
            if o["error"] != nil { report.protocolError(o, peer: link.label, at: now) }
        }
    }

    /// Repeats barriers until `found` gives a value (the server's answer to something this moment).
    private func waitFor<T>(_ what: String, _ found: () -> T?) throws -> T {
        for _ in 0..<6 {
            if let value = found() { return value }
            try barrier()
        }
        if let value = found() { return value }
        throw Mismatch(what)
    }

    // MARK: What the server says

    private func take(_ o: JSONObject) {
        if let name = o["command"]?.text, let id = o["id"]?.text, let call = o["call"]?.text {
            command(Command(id: id, call: call, name: name, object: o))
        } else if let reply = o["reply"]?.text {
            if reply == "disposition" { dispositionReply(o) }
        } else if o["error"] != nil {
            report.protocolError(o, peer: "control", at: now)
        }
    }

    private func command(_ c: Command) {
        report.commands += 1
        let prompts = c.object["prompts"]?.strings ?? []
        switch c.name {
        case "answer", "queue":
            respond(c)
        case "play":
            if prompts.first == "greeting" || notifyCalls[c.call] != nil {
                hold(c)
                if notifyCalls[c.call] != nil { notifyCalls[c.call]?.play = c }
            } else if prompts.first == "queue-position" {
                // Queue announcements are left to end by themselves: a caller's announcements may come
                // several at once after a long quiet spell, some already timed out by the server.
            } else {
                respond(c)
            }
        case "collect":
            if prompts.last == "callback-offer" {
                if tookOffer[c.call] == true {
                    respond(c, digits: "1")
                } else {
                    respond(c, status: "timeout")
                }
            } else {
                hold(c)
            }
        case "hangup":
            if notifyCalls[c.call] != nil {
                notifyCalls[c.call]?.hangup = c
            } else {
                respond(c)
            }
        case "dial":
            let purpose = c.object["purpose"]?.text ?? "conference"
            let to = c.object["to"]?.objectValue
            if purpose == "callback" {
                callbackDials.append(c)
            } else if purpose == "conference" {
                hold(c)
            } else {
                // A case has one dispatch or survey call at a time, but a notification per assisting unit.
                let unit = purpose == "notify" ? to?["unit"]?.text ?? "" : ""
                dials[DialKey(purpose: purpose, caseID: c.object["case"]?.text ?? "", unit: unit)] = c
            }
        default:
            // bridge (taken by the step that expects it), transfer (never asked for).
            hold(c)
        }
    }

    private func hold(_ c: Command) { commands[c.call, default: []].append(c) }

    /// Takes the held command of `call` named `name` (and matching `where`).
    private func claim(_ call: String, _ name: String, where match: (Command) -> Bool = { _ in true }) -> Command? {
        guard let i = commands[call]?.firstIndex(where: { $0.name == name && match($0) }) else { return nil }
        return commands[call]!.remove(at: i)
    }

    private func respond(_ c: Command, status: String = "ok", digits: String? = nil, reason: String? = nil) {
        var line = OutputLine("event", "result")
        line.add("call", c.call)
        line.add("command_id", c.id)
        line.add("status", status)
        line.add("digits", digits)
        line.add("reason", reason)
        send(line)
    }

    private func dispositionReply(_ o: JSONObject) {
        guard let call = o["call"]?.text else { return }
        let decision = o["decision"]?.text ?? "?"
        if let want = expected[call]?.popFirst() {
            if want != decision {
                report.mismatch(
                    "call \(call): the server decided \(decision), the simulator \(want)", at: serverNow, offset: offset
                )
            }
        } else {
            report.mismatch(
                "call \(call): an unexpected disposition reply (\(decision))", at: serverNow, offset: offset)
        }
        report.serverDecisions[decision, default: 0] += 1
        if let id = o["case"]?.text, decision != "repeat_call" {
            if let serial = openedCase[call]?.popFirst() {
                caseID[serial] = id
            } else {
                report.mismatch(
                    "call \(call): the server opened case \(id), the simulator none", at: serverNow, offset: offset)
            }
        }
    }

    // MARK: The simulator's steps

    private func play(_ step: CentreStep) throws {
        report.steps += 1
        do {
            try playUnchecked(step)
        } catch let m as Mismatch {
            mismatch(m.text)
        }
    }

    private func playUnchecked(_ step: CentreStep) throws {
        switch step {
        case .arrived(let call, let person, let emergency):
            let id = "call-\(call)"
            serverCall[call] = id
            report.callsOffered += 1
            var line = OutputLine("event", "offer")
            line.add("call", id)
            line.add("from", Self.number(person))
            line.add("to", "12345")
            if emergency { line.add("priority", "emergency") }
            send(line)
        case .queued(let call, let offer):
            let id = try server(call)
            tookOffer[id] = offer
            // The greeting is over (the answer was taken when it came).
            let greeting = try waitFor("call \(id): the greeting was not played") { claim(id, "play") }
            respond(greeting)
            // An offer is answered at this moment (taken: the caller leaves; declined: they wait on).
            if offer != nil { needsBarrier = true }
        case .abandoned(let call):
            hangUp(try server(call))
        case .answered(let call, let op):
            let id = try server(call)
            let bridge = try waitFor("call \(id): the server did not bridge it to an operator") { claim(id, "bridge") }
            let agent = bridge.object["to"]?.objectValue?["agent"]?.text ?? "?"
            if agent != Self.agent(op) {
                report.mismatch(
                    "call \(id): the server bridged it to \(agent), the simulator to \(Self.agent(op))", at: now,
                    offset: offset)
            }
            agentOf[id] = agent
            respond(bridge)
        case .hungUp(let call):
            if let id = serverCall[call] { hangUp(id) }
        case .loggedIn(let op):
            send(#"{"event":"login","operator":"\#(Self.agent(op))"}"#)
            send(#"{"event":"ready","operator":"\#(Self.agent(op))"}"#)
            needsBarrier = true
        case .away(let op, let shiftEnd):
            send(#"{"event":"\#(shiftEnd ? "logout" : "not_ready")","operator":"\#(Self.agent(op))"}"#)
        case .back(let op):
            send(#"{"event":"ready","operator":"\#(Self.agent(op))"}"#)
            needsBarrier = true
        case .wrappedUp(let op):
            send(#"{"event":"wrap_up_done","operator":"\#(Self.agent(op))"}"#)
            needsBarrier = true
        case .disposition(let call, let op, let request, let decision):
            let id = try server(call)
            var line = OutputLine("event", "disposition")
            line.add("operator", agentOf[id] ?? Self.agent(op))
            line.add("call", id)
            if let request {
                line.add("action", request.intent.protocolAction)
                line.add("category", request.category.rawValue)
                line.add("territory", request.territory?.rawValue)
                if request.origin != .public { line.add("origin", request.origin.rawValue) }
                if request.major { line.add("major", true) }
            } else {
                line.add("action", "direct")
            }
            send(line)
            expected[id, default: []].append(decisionName(decision))
            report.simDecisions[decisionName(decision), default: 0] += 1
        case .repeatCall(let call, let op, let serial):
            let id = try server(call)
            guard let caseNumber = caseID[serial] else {
                throw Mismatch("call \(id): joined to case #\(serial), which the server never numbered")
            }
            var line = OutputLine("event", "disposition")
            line.add("operator", agentOf[id] ?? Self.agent(op))
            line.add("call", id)
            line.add("action", "direct")
            line.add("repeat_of", caseNumber)
            send(line)
            expected[id, default: []].append("repeat_call")
            report.simDecisions["repeat_call", default: 0] += 1
        case .unitRang(let call, let answered):
            let id = try server(call)
            let dial = try waitFor("call \(id): the server did not ring the unit's duty line") { claim(id, "dial") }
            respond(dial, status: answered ? "ok" : "timeout", reason: answered ? nil : "no_answer")
        case .conferenceOutcome(let call, let op, let outcome, let decision):
            let id = try server(call)
            expected[id, default: []].append(decisionName(decision))
            report.simDecisions[decisionName(decision), default: 0] += 1
            if outcome == .answeredOnSpot || outcome == .cannotAnswerOnSpot {
                // The simulator's unit leaves the bridge as the three-party call ends: its duty line
                // is free again for the next conference (the server holds it until the unit leaves).
                send(#"{"event":"left","call":"\#(id)","party":"unit"}"#)
                send(
                    #"{"event":"conference_outcome","operator":"\#(agentOf[id] ?? Self.agent(op))","call":"\#(id)","outcome":"\#(outcome.rawValue)"}"#
                )
            }
        case .calledBack(let call, let person, let op, _):
            let number = Self.number(person)
            let dial = try waitFor("the server did not call back \(number)") { () -> Command? in
                if let i = callbackDials.firstIndex(where: { $0.object["to"]?.objectValue?["number"]?.text == number })
                {
                    return callbackDials.remove(at: i)
                }
                // Callers the simulator does not call back (they called again) do not answer.
                for other in callbackDials { respond(other, status: "timeout", reason: "no_answer") }
                callbackDials.removeAll()
                return nil
            }
            serverCall[call] = dial.call
            respond(dial)
            let bridge = try waitFor("call \(dial.call): the called-back caller was not bridged") {
                claim(dial.call, "bridge")
            }
            let agent = bridge.object["to"]?.objectValue?["agent"]?.text ?? "?"
            if agent != Self.agent(op) {
                report.mismatch(
                    "call-back \(dial.call): bridged to \(agent), the simulator to \(Self.agent(op))", at: now,
                    offset: offset)
            }
            agentOf[dial.call] = agent
            respond(bridge)
        case .caseOpened(let serial, let call):
            openedCase[try server(call), default: []].append(serial)
            report.simCases += 1
        case .dispatchRang(let serial, let answered):
            let dial = try waitFor("case \(serial): the server did not ring the duty line to read it") {
                takeDial("dispatch", serial)
            }
            respond(dial, status: answered ? "ok" : "timeout", reason: answered ? nil : "no_answer")
            if answered { readingCall[serial] = dial.call }
        case .dispatchRead(let serial, let signed):
            // The reading ends now: the server hangs up and frees the duty line at this moment.
            needsBarrier = true
            guard signed, let call = readingCall.removeValue(forKey: serial) else {
                readingCall[serial] = nil
                return
            }
            let collect = try waitFor("case \(serial): the case was not read to the duty line") {
                claim(call, "collect")
            }
            respond(collect, digits: "1")
        case .notified(let serial, let unit, let ended):
            if !ended {
                let dial = try waitFor("case \(serial): the server did not ring assisting unit \(unit)") {
                    takeDial("notify", serial, unit: unit.rawValue)
                }
                notifyCalls[dial.call] = (nil, nil)
                notifyCallOf[NotifyKey(serial: serial, unit: unit)] = dial.call
                respond(dial)
            } else if let call = notifyCallOf.removeValue(forKey: NotifyKey(serial: serial, unit: unit)) {
                // The unit has heard the case: the reading and the hang-up end now.
                try barrier()
                let held = notifyCalls.removeValue(forKey: call)
                if let play = held?.play ?? claim(call, "play") { respond(play) }
                if let hangup = held?.hangup { respond(hangup) }
            }
        case .surveyed(let serial, let verdict):
            let dial = try waitFor("case \(serial): the server did not make the satisfaction survey call") {
                takeDial("satisfaction", serial)
            }
            guard let verdict else {
                respond(dial, status: "timeout", reason: "no_answer")
                return
            }
            respond(dial)
            let collect = try waitFor("case \(serial): the survey asked nothing") { claim(dial.call, "collect") }
            respond(collect, digits: verdict == .satisfied ? "1" : verdict == .basicallySatisfied ? "2" : "3")
        case .caseEvent(let serial, let event, let actor):
            try caseEvent(serial, event, actor)
        case .caseState(let serial, let value):
            simCases[serial] = value
        }
    }

    private func mismatch(_ text: String) {
        log("  MISMATCH " + text)
        report.mismatch(text, at: now, offset: offset)
    }

    private var readingCall: [Int: String] = [:]

    /// Takes the server's dial for a case's leg, once the case has its server number.
    private func takeDial(_ purpose: String, _ serial: Int, unit: String = "") -> Command? {
        guard let id = caseID[serial] else { return nil }
        return dials.removeValue(forKey: DialKey(purpose: purpose, caseID: id, unit: unit))
    }

    /// The server's id of a simulated call.
    private func server(_ call: Int) throws -> String {
        guard let id = serverCall[call] else { throw Mismatch("call #\(call): the server never had it") }
        return id
    }

    private func caseEvent(_ serial: Int, _ event: CaseEvent, _ actor: CaseActor) throws {
        guard let id = caseID[serial] else {
            try barrier()
            guard caseID[serial] != nil else { throw Mismatch("case \(serial): the server never gave it a number") }
            return try caseEvent(serial, event, actor)
        }
        var line = OutputLine("event", "case")
        line.add("case", id)
        switch event {
        case .signFor: line.add("action", "sign_for")
        case .handOn(let to):
            line.add("action", "hand_on")
            line.add("to", to.rawValue)
        case .contactCaller: line.add("action", "contact_caller")
        case .requestExtension: line.add("action", "request_extension")
        case .grantExtension: line.add("action", "grant_extension")
        case .refuseExtension: line.add("action", "refuse_extension")
        case .reportInformation: line.add("action", "report_information")
        case .repeatCall: line.add("action", "repeat_call")
        case .reply(let channel):
            line.add("action", "reply")
            line.add("channel", channel.rawValue)
        case .callback(let verdict):
            line.add("action", "callback")
            line.add("verdict", verdict.rawValue)
        case .followUp(let f):
            line.add("action", "follow_up")
            line.add("follow_up", f.rawValue)
        case .fileClosureReport: line.add("action", "file_closure_report")
        case .close: line.add("action", "close")
        case .referralAcknowledged: line.add("action", "referral_acknowledged")
        case .attend(let unit):
            line.add("action", "attend")
            line.add("unit", unit.rawValue)
        case .reportUpward(let to):
            line.add("action", "report_upward")
            line.add("to", to)
        case .governmentDecided(let order):
            line.add("action", "government_decided")
            line.add("unit", order.responsibility.handler.rawValue)
        case .returnCase: line.add("action", "return")
        case .dispatch(let r, _):
            // A case sent again after a return (the first dispatch is the server's own).
            line.add("action", "dispatch")
            line.add("unit", r.handler.rawValue)
        case .deadlinePassed:
            // The centre's own steps: the server takes them itself.
            return
        }
        report.caseEvents += 1
        if case .unit(let unit) = actor {
            if controlUnconfirmed { try barrier() }
            let link = try unitLink(unit)
            link.write(line)
            link.flush()
            report.linesOut += 1
            touched.insert(unit)
        } else {
            send(line)
        }
    }

    /// Writes a line to the control connection, after the units' lines of this moment are confirmed.
    private func send(_ line: OutputLine) { send(line.text) }

    private func send(_ text: String) {
        log("  > " + text)
        try? confirmUnits()
        controlUnconfirmed = true
        control.write(text)
        report.linesOut += 1
    }

    private func hangUp(_ call: String) {
        send(#"{"event":"hangup","call":"\#(call)","cause":"normal"}"#)
    }

    // MARK: The end

    /// Closes the connections without finishing (the run did not start).
    package func close() {
        control?.close()
        for link in unitLinks.values { link.close() }
        try? group.syncShutdownGracefully()
    }

    /// Ends the run: the last moment settles, every case the simulator opened is read back from the
    /// server and compared whole.
    package func finish() throws -> DriveReport {
        if report.aborted == nil {
            do {
                try settleMoment()
                try barrier()
                try compareCases()
            } catch {
                report.abort(error)
            }
        }
        for link in unitLinks.values {
            for bytes in link.drain() {
                if let o = Self.object(bytes), o["error"] != nil { report.protocolError(o, peer: link.label, at: now) }
            }
            link.close()
        }
        control?.close()
        try? group.syncShutdownGracefully()
        return report
    }

    private func compareCases() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var pending: [String: (serial: Int, sim: Case)] = [:]
        for (serial, sim) in simCases.sorted(by: { $0.key < $1.key }) {
            guard let id = caseID[serial] else {
                report.mismatch("case \(serial): opened by the simulator, not by the server", at: now, offset: offset)
                continue
            }
            pending[id] = (serial, sim)
            send(#"{"event":"show","case":"\#(id)"}"#)
        }
        control.flush()
        var remaining = pending.count
        while remaining > 0 {
            guard let bytes = control.next(timeout: 60) else { throw DriveError("the server did not show every case") }
            guard let line = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { continue }
            if line["error"] != nil {
                remaining -= 1
                report.mismatch("a case could not be shown: \(line["error"] ?? "")", at: now, offset: offset)
                continue
            }
            guard line["reply"] as? String == "show", let id = line["case"] as? String, let (serial, sim) = pending[id],
                let record = line["record"]
            else { continue }
            remaining -= 1
            let served = try JSONDecoder().decode(Case.self, from: JSONSerialization.data(withJSONObject: record))
            report.tally(served: served, simulated: sim)
            if served == (try Self.renamed(sim, to: served.id)) {
                report.casesEqual += 1
                continue
            }
            // Sets and maps encode in no fixed order: a field differs only when it decodes to another value.
            let a = try Self.fields(encoder.encode(served))
            let b = try Self.fields(encoder.encode(sim))
            let base = try Self.renamed(sim, to: served.id)
            let differ = Set(a.keys).union(b.keys).filter { key in
                key != "id" && a[key] != b[key]
                    && (try? Self.renamed(sim, to: served.id, taking: key, from: served)) != base
            }.sorted()
            if ProcessInfo.processInfo.environment["HOTLINE_DRIVE_DUMP"] != nil {
                for k in differ {
                    FileHandle.standardError.write(
                        Data("\(id) \(k)\n  server    \(a[k] ?? "-")\n  simulator \(b[k] ?? "-")\n".utf8))
                }
            }
            report.mismatch(
                "case \(id) (simulated #\(serial)) differs in \(differ.joined(separator: ", ")): server state \(served.state.rawValue), simulator \(sim.state.rawValue)",
                at: now, offset: offset)
        }
    }

    /// `c` with another id, and (for finding which field differs) one field taken from `other`.
    private static func renamed(_ c: Case, to id: CaseID, taking key: String? = nil, from other: Case? = nil) throws
        -> Case
    {
        var o = try JSONSerialization.jsonObject(with: JSONEncoder().encode(c)) as! [String: Any]
        o["id"] = id.rawValue
        if let key, let other {
            let p = try JSONSerialization.jsonObject(with: JSONEncoder().encode(other)) as! [String: Any]
            o[key] = p[key]
        }
        return try JSONDecoder().decode(Case.self, from: JSONSerialization.data(withJSONObject: o))
    }

    private static func fields(_ data: Data) throws -> [String: String] {
        guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in o {
            let d = try JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed])
            out[k] = String(decoding: d, as: UTF8.self)
        }
        return out
    }

    // MARK: Names

    /// A caller's telephone number (the same for their retrials).
    static func number(_ person: Int) -> String { "139" + String(format: "%08d", person % 100_000_000) }

    static func agent(_ op: Int) -> String { "op-\(op)" }

    static func object(_ bytes: [UInt8]) -> JSONObject? {
        guard case .object(let o)? = try? JSONLine.parse(bytes) else { return nil }
        return o
    }
}

/// A step the server did not take as the simulator did.
struct Mismatch: Error {
    var text: String
    init(_ text: String) { self.text = text }
}

extension JSONValue {
    var text: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var strings: [String]? {
        guard case .array(let a) = self else { return nil }
        return a.compactMap(\.text)
    }

    var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }
}
