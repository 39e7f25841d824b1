internal import HotlineCore
internal import HotlineEngine

/// Who a connection is (its one `hello`), and the manual clock's `advance`.
extension Switchboard {
    // MARK: Hello

    /// An adapter inside the server (the Asterisk FastAGI front) needs no hello: it is the server's own,
    /// named by its peers-file entry or `fastagi`. No connection may take its name over.
    package func attachInternalAdapter(_ link: any PeerLink, name: String) {
        guard let peer = peers[ObjectIdentifier(link)] else { return }
        peer.name = name
        peer.roles = [.adapter]
        peer.authenticated = true
        peer.isInternal = true
        peer.seen = SeenEvents(capacity: options.maxEventIDs)
        let now = clock()
        if let previous = adapters[name], previous !== peer { takeOver(from: previous, at: now) }
        adapters[name] = peer
        resumeParkedLegs(at: now)
    }

    /// The first line of a connection fixes its identity for good: a peers-file name proven by its
    /// secret, or (without a peers file, on loopback only) whatever it says it is.
    func hello(_ m: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        guard !peer.saidHello else {
            throw LineError(
                "out_of_order", "this connection said hello already, as '\(peer.name)'; its identity cannot change",
                field: "event")
        }
        if let v = try m.int("v"), v != protocolVersion {
            throw LineError(
                "wrong_type", "this server speaks protocol version \(protocolVersion), not \(v)", field: "v")
        }
        let asked = try askedRoles(m)
        var roles: Set<Role>
        var unit = try m.optionalString("unit").map { UnitID($0) }
        if let directory = options.peers {
            let name = try m.string("name")
            let secret = try m.string("secret")
            guard let entry = directory.authenticate(name: name, secret: secret) else {
                return refuseHello("unknown peer or wrong secret", line: number, to: peer)
            }
            roles = asked ?? entry.roles
            guard roles.isSubset(of: entry.roles) else {
                let allowed = entry.roles.sorted().map(\.rawValue).joined(separator: ", ")
                return refuseHello("'\(name)' may take the roles \(allowed) only", line: number, to: peer)
            }
            if roles.contains(.unit) {
                guard unit == nil || unit == entry.unit else {
                    return refuseHello(
                        "'\(name)' is the peer of unit \(entry.unit?.rawValue ?? "?")", line: number, to: peer)
                }
                unit = entry.unit
            }
            peer.name = entry.name
            peer.authenticated = true
            peer.mayAdvanceClock = entry.mayAdvanceClock
        } else {
            guard let asked else { throw LineError("missing_field", "'role' is required", field: "role") }
            roles = asked
            peer.name = try m.optionalString("name") ?? "connection-\(peer.serial)"
            guard peer.name.utf8.count <= 128 else {
                throw LineError("wrong_type", "a name has at most 128 bytes", field: "name")
            }
            // Without a peers file the server listens on loopback and Unix sockets only, and every
            // local peer is trusted as what it says (docs/protocol.md, "Peers").
            peer.mayAdvanceClock = true
        }
        if roles.contains(.unit) {
            guard roles.count == 1 else {
                throw LineError("refused", "a unit's connection has the unit role only (Art. 15)", field: "roles")
            }
            guard let unit else { throw LineError("missing_field", "'unit' is required", field: "unit") }
            guard router.directory.snapshot(at: clock()).contains(unit) else {
                throw LineError("refused", "no unit '\(unit)' in the directory", field: "unit")
            }
            peer.unit = unit
        }
        peer.roles = roles
        peer.seen = seenByName.removeValue(forKey: peer.name) ?? SeenEvents(capacity: options.maxEventIDs)
        let now = clock()
        if roles.contains(.adapter) {
            if let previous = adapters[peer.name], previous !== peer, previous.isInternal {
                return refuseHello(
                    "'\(peer.name)' is the server's own FastAGI adapter; choose another name", line: number, to: peer)
            }
            if let previous = adapters[peer.name], previous !== peer { takeOver(from: previous, at: now) }
            adapters[peer.name] = peer
        }
        var out = OutputLine("reply", "hello")
        out.add("v", protocolVersion)
        out.add("server", "hotline")
        out.add("centre", model.name)
        out.add("input_line", number)
        out.add("name", peer.name)
        out.add("roles", roles.sorted().map(\.rawValue))
        out.add("unit", peer.unit?.rawValue)
        out.add("clock", clockMode.description)
        out.add("now", text(now))
        if clockMode == .manual { out.add("may_advance", peer.mayAdvanceClock) }
        out.add("wrap_up", options.wrapUp.map { "\(Int($0)) s" } ?? "desktop")
        send(out, to: peer)
        if roles.contains(.adapter) { resumeParkedLegs(at: now) }
    }

    /// The roles a hello asks for (`role` or `roles`), `nil` when it names none.
    private func askedRoles(_ m: LineMessage) throws(LineError) -> Set<Role>? {
        guard m.has("roles") || m.has("role") else { return nil }
        let field = m.has("roles") ? "roles" : "role"
        let names = m.has("roles") ? try m.strings("roles") : [try m.string("role")]
        var roles: Set<Role> = []
        for name in names {
            guard let role = Role(protocolName: name) else {
                throw LineError(
                    "wrong_type", "a role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: field)
            }
            roles.insert(role)
        }
        guard !roles.isEmpty else { throw LineError("missing_field", "'\(field)' names no role", field: field) }
        return roles
    }

    /// A hello that proves nothing: one error, then the connection closes.
    private func refuseHello(_ message: String, line: Int, to peer: Peer) {
        var out = OutputLine("error", message)
        out.add("code", "not_permitted")
        out.add("input_line", line)
        send(out, to: peer)
        counters.errors += 1
        log("\(peer.link.label): hello refused: \(message)")
        peer.link.close()
    }

    /// A second connection of the same adapter name takes over: the first is told and closed, and its
    /// calls wait for the new connection's `resync`, as after a disconnect.
    private func takeOver(from previous: Peer, at now: Instant) {
        var out = OutputLine("error", "another connection of adapter '\(previous.name)' took over; this one is closed")
        out.add("code", "taken_over")
        send(out, to: previous)
        adapters[previous.name] = nil
        previous.roles.remove(.adapter)
        detachCalls(of: previous, at: now)
        previous.link.close()
        log("adapter '\(previous.name)': a new connection took over from \(previous.link.label)")
    }

    // MARK: The manual clock

    /// The longest single `advance`: 366 days.
    static let longestAdvance: Double = 366 * 86_400

    /// `{"event":"advance","to":TIME}` or `{"event":"advance","by":SECONDS}`: moves a manual clock,
    /// firing every timer on the way at its own time; replies once everything that happened is durable.
    func advance(_ m: LineMessage, from peer: Peer, number: Int) throws(LineError) {
        guard clockMode == .manual, let setClock else {
            throw LineError(
                "refused",
                "this server runs on the \(clockMode) clock; only a server started with --clock manual is advanced",
                field: "event")
        }
        guard peer.mayAdvanceClock else {
            throw LineError("not_permitted", "this peer may not advance the clock (advance_clock in the peers file)")
        }
        let now = clock()
        let target: Instant
        if m.has("to") {
            if m.isNumber("to") {
                target = Instant(seconds: (try m.double("to") ?? 0) + Double(offsetHours) * 3600)
            } else {
                let text = try m.string("to")
                guard let t = Instant(iso: text, offsetHours: offsetHours) else {
                    throw LineError(
                        "wrong_type", "'to' is a time such as 2026-11-30T09:12:00+08:00, or Unix seconds", field: "to")
                }
                target = t
            }
        } else if let by = try m.double("by") {
            guard by >= 0 else { throw LineError("wrong_type", "'by' is 0 or more seconds", field: "by") }
            target = now + by
        } else {
            throw LineError("missing_field", "'to' (a time) or 'by' (seconds) is required", field: "to")
        }
        let field = m.has("to") ? "to" : "by"
        guard target >= now else {
            throw LineError("refused", "the clock does not go back: it reads \(text(now))", field: field)
        }
        // At most a year at a time: a clock moved to the year 9999 could never come back.
        guard target - now <= Self.longestAdvance else {
            throw LineError(
                "wrong_type", "the clock moves at most \(Int(Self.longestAdvance)) s (366 days) at a time", field: field
            )
        }
        settleWrites()
        var steps = 0
        while let t = timers.nextTime, t <= target.seconds, steps < 10_000_000 {
            setClock(Instant(seconds: max(t, clock().seconds)))
            tick()
            settleWrites()
            steps += 1
        }
        setClock(target)
        tick()
        settleWrites()
        acknowledge("advance", line: number, to: peer) { out in
            out.add("now", text(target))
            out.add("now_unix", target.seconds - Double(offsetHours) * 3600)
            if let next = timers.nextTime { out.add("next_timer_unix", next - Double(offsetHours) * 3600) }
        }
    }
}
