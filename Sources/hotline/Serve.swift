import ArgumentParser
import Foundation
import HotlineBackend
import HotlineCore
import HotlineDrive
import HotlineStore
import Logging
import ServiceLifecycle
import UnixSignals

/// `hotline serve`: the live backend behind the line protocol (docs/protocol.md).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the live IVR, ACD and case register behind the line protocol (docs/protocol.md).",
        discussion: """
            Reads JSON Lines events from PBX adapters, operator desktops, units and supervisors, and answers with
            commands, replies and notices. Several listeners may run at once. SIGTERM or SIGINT stops the server
            gracefully; with --stdio only, the end of standard input stops it once its work is stored.

            Without --peers every local peer is trusted as what it says, so the server listens on loopback TCP
            and Unix sockets only. With --peers FILE.yaml each peer proves its name with a secret (make them with
            `hotline peers add`); secrets never go on the command line.

            Examples:
              hotline serve --stdio < call.jsonl
              hotline serve --listen tcp:127.0.0.1:4573 --listen unix:/run/hotline.sock
              hotline serve --peers peers.yaml --listen tcp:0.0.0.0:4573
              hotline serve --clock manual --start-at 2026-11-30T09:12 --stdio < docs/examples/worked-call.jsonl
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Flag(name: .long, help: "Serve one peer on standard input and output.")
    var stdio = false

    @Option(
        name: .long,
        help:
            "Listen on tcp:HOST:PORT, tcp:PORT (loopback) or unix:PATH; may be repeated. Without --peers, loopback and Unix sockets only."
    )
    var listen: [String] = []

    @Option(
        name: .long,
        help:
            "Accept Asterisk FastAGI on tcp:HOST:PORT (Asterisk's default port is 4573); may be repeated. Without --peers, loopback only; with it, the addresses a peer's fastagi_from lists."
    )
    var fastagi: [String] = []

    @Option(
        name: .long,
        help:
            "Asterisk's outgoing spool (e.g. /var/spool/asterisk/outgoing): operators' phones and duty lines are rung with call files written there."
    )
    var asteriskOutgoing: String?

    @Option(
        name: .long, help: "Where the prompts are under Asterisk's sounds directory (hotline: hotline/zh/greeting).")
    var asteriskPrompts = "hotline"

    @Option(name: .long, help: "The music-on-hold class callers wait with.")
    var asteriskMusic = "default"

    @Option(
        name: .long, help: "Milliseconds a holding caller's digit wait lasts between looks at the server's commands.")
    var asteriskHoldPollMs = 250

    @Option(name: .long, help: "Seconds Asterisk has to answer an AGI command before the call is given up.")
    var asteriskCommandTimeout: Double = 10

    @Option(
        name: .long,
        help:
            "FastAGI sessions open at once at most (calls and their legs); at the limit a connection still without its header makes room, else the new one is refused."
    )
    var asteriskMaxSessions = 4096

    @Option(name: .long, help: "The case store, an SQLite file (created if missing; one server per store).")
    var store = "hotline-cases.sqlite"

    @Option(name: .long, help: "The peers file: who may connect, as what, with their secrets' hashes.")
    var peers: String?

    @Option(name: .long, help: "The clock: wall (default), accelerated:N (N times real time) or manual (advance).")
    var clock = "wall"

    @Option(name: .long, help: "Where an accelerated or manual clock starts: YYYY-MM-DDTHH:MM[:SS] local time.")
    var startAt: String?

    @Option(name: .long, help: "Languages offered after the greeting, comma-separated (e.g. zh,en).")
    var languages: String?

    @Option(
        name: .long,
        help: "Seconds an operator stays in wrap-up after a call unless the desktop ends it; 'desktop': until it does."
    )
    var wrapUp = "30"

    @Option(name: .long, help: "A peer that leaves more than this many bytes of output unread is disconnected.")
    var maxOutputBytes = 16 * 1024 * 1024

    @Option(name: .long, help: "The longest input line, in bytes.")
    var maxLineBytes = 64 * 1024

    @Option(name: .long, help: "Socket connections at once.")
    var maxConnections = 256

    @Option(name: .long, help: "Seconds a socket connection has to say hello.")
    var helloTimeout: Double = 5

    @Option(name: .long, help: "Event ids remembered per peer for duplicates.")
    var maxEventIds = 65_536

    @Option(name: .long, help: "The longest event id, in bytes.")
    var maxEventIdBytes = 128

    @Flag(name: .long, help: "Log nothing but errors on standard error.")
    var quiet = false

    func validate() throws {
        if !stdio && listen.isEmpty && fastagi.isEmpty {
            throw ValidationError("say where to listen: --stdio, --listen ADDRESS and/or --fastagi tcp:HOST:PORT")
        }
        for f in fastagi {
            guard let listener = Listener(parsing: f), case .tcp(let host, _) = listener else {
                throw ValidationError("--fastagi takes tcp:HOST:PORT or tcp:PORT, not '\(f)'")
            }
            if peers == nil, !Listener.isLoopback(host) {
                throw ValidationError(
                    "FastAGI has no password: without --peers it listens on loopback only, not on \(host); give --peers FILE.yaml with fastagi_from for the PBX's address"
                )
            }
        }
        if let dir = asteriskOutgoing {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--asterisk-outgoing \(dir) is not a directory (Asterisk's outgoing spool)")
            }
        }
        guard (20...5000).contains(asteriskHoldPollMs) else {
            throw ValidationError("--asterisk-hold-poll-ms is 20 to 5000")
        }
        guard asteriskCommandTimeout >= 1, asteriskCommandTimeout <= 3600 else {
            throw ValidationError("--asterisk-command-timeout is 1 to 3600 s")
        }
        guard (1...1_000_000).contains(asteriskMaxSessions) else {
            throw ValidationError("--asterisk-max-sessions is 1 to 1000000")
        }
        for l in listen {
            guard let listener = Listener(parsing: l) else {
                throw ValidationError("'\(l)' is not an address: use tcp:HOST:PORT, tcp:PORT or unix:PATH")
            }
            if peers == nil, case .tcp(let host, _) = listener, !Listener.isLoopback(host) {
                throw ValidationError(
                    "without --peers the server trusts every peer, so it listens on loopback only (127.0.0.1, ::1), not on \(host); give --peers FILE.yaml to listen there"
                )
            }
        }
        guard let mode = ClockMode(parsing: clock) else {
            throw ValidationError("--clock is wall, accelerated:N (N from 0 to 1000000) or manual, not '\(clock)'")
        }
        if let startAt {
            guard mode != .wall else { throw ValidationError("--start-at needs --clock accelerated:N or manual") }
            guard Instant(iso: startAt, offsetHours: 8) != nil else {
                throw ValidationError("--start-at is a local time YYYY-MM-DDTHH:MM[:SS], not '\(startAt)'")
            }
        }
        if wrapUp != "desktop" {
            guard let s = Double(wrapUp), s >= 0, s.isFinite else {
                throw ValidationError("--wrap-up is 0 or more seconds, or 'desktop', not '\(wrapUp)'")
            }
        }
        if maxOutputBytes < 65_536 { throw ValidationError("--max-output-bytes must be at least 65536") }
        guard (1024...16_777_216).contains(maxLineBytes) else {
            throw ValidationError("--max-line-bytes is 1024 to 16777216")
        }
        guard (1...100_000).contains(maxConnections) else { throw ValidationError("--max-connections is 1 to 100000") }
        guard helloTimeout > 0, helloTimeout <= 3600 else { throw ValidationError("--hello-timeout is 0 to 3600 s") }
        guard (1...10_000_000).contains(maxEventIds) else { throw ValidationError("--max-event-ids is 1 to 10000000") }
        guard (1...4096).contains(maxEventIdBytes) else { throw ValidationError("--max-event-id-bytes is 1 to 4096") }
    }

    func run() async throws {
        // A reader that goes away (stdout into `head`, a peer that vanished) is an error on that
        // output, not the end of the server.
        signal(SIGPIPE, SIG_IGN)
        let (model, _, _) = try modelOptions.load()
        var options = Switchboard.Options()
        if let peers {
            do {
                options.peers = try PeerDirectory.load(path: peers)
            } catch {
                printToStandardError("\(error)")
                throw ExitCode(1)
            }
        }
        let cases: CaseStore
        do {
            cases = try CaseStore(path: store)
        } catch {
            printToStandardError("error: \(error)")
            throw ExitCode(1)
        }
        // A clock that starts before the store's latest change could never act on those cases again.
        let mode = ClockMode(parsing: clock) ?? .wall
        let start = mode == .wall ? nil : startAt.flatMap { Instant(iso: $0, offsetHours: model.utcOffsetHours) }
        if let latest = try? cases.latestChange() {
            let begins = start ?? Instant(seconds: Date().timeIntervalSince1970 + Double(model.utcOffsetHours) * 3600)
            if latest > begins {
                let when = latest.iso(offsetHours: model.utcOffsetHours)
                guard mode == .wall else {
                    printToStandardError(
                        "error: the store \(store) was last changed at \(when), after the clock's start; start it at or after that time (--start-at \(when.prefix(19)))"
                    )
                    throw ExitCode(1)
                }
                printToStandardError(
                    "warning: the store \(store) was last changed at \(when), after the wall clock's time: steps on those cases are refused until then"
                )
            }
        }
        options.languages = languages.map { $0.split(separator: ",").map(String.init) } ?? []
        options.wrapUp = wrapUp == "desktop" ? nil : Double(wrapUp)
        options.maxEventIDs = maxEventIds
        options.maxEventIDBytes = maxEventIdBytes
        let listeners = (stdio ? [Listener.stdio] : []) + listen.compactMap(Listener.init(parsing:))
        let quiet = self.quiet
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .error : .info
            return handler
        }
        let logger = Logger(label: "hotline")
        var settings = LineServer.Settings(listeners: listeners, options: options)
        settings.outputLimit = maxOutputBytes
        settings.lineLimit = maxLineBytes
        settings.maxConnections = maxConnections
        settings.helloTimeout = helloTimeout
        settings.clock = ClockMode(parsing: clock) ?? .wall
        settings.clockStart = startAt.flatMap { Instant(iso: $0, offsetHours: model.utcOffsetHours) }
        settings.fastagi = fastagi.compactMap(Listener.init(parsing:))
        settings.asterisk.outgoing = asteriskOutgoing
        settings.asterisk.promptPrefix = asteriskPrompts
        settings.asterisk.musicClass = asteriskMusic
        settings.asterisk.holdPollMilliseconds = asteriskHoldPollMs
        settings.asterisk.commandTimeout = asteriskCommandTimeout
        settings.asterisk.maxSessions = asteriskMaxSessions
        if let directory = options.peers {
            for entry in directory.entries.values {
                for address in entry.fastagiFrom { settings.fastagiAdmitted[address] = entry.name }
            }
            if !fastagi.isEmpty && settings.fastagiAdmitted.isEmpty {
                logger.warning(
                    "--fastagi with --peers, but no peer has fastagi_from: every FastAGI connection is refused")
            }
        }
        if !fastagi.isEmpty {
            // One descriptor per call: the soft limit is raised as far as the system allows, and the
            // front takes no more calls than fit beside the line protocol's connections (a call
            // beyond it is refused at once, so that the dialplan falls back, never left in the backlog).
            var limit = rlimit()
            if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
                if limit.rlim_cur < limit.rlim_max {
                    limit.rlim_cur = min(limit.rlim_max, 1 << 20)
                    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
                    _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
                }
                let room = Int(min(limit.rlim_cur, 1 << 20)) - maxConnections - 64
                if room < settings.asterisk.maxSessions {
                    settings.asterisk.maxSessions = max(1, room)
                    logger.warning(
                        "open files are limited to \(limit.rlim_cur): the FastAGI front takes at most \(settings.asterisk.maxSessions) calls at once"
                    )
                }
            }
        }
        if !fastagi.isEmpty && asteriskOutgoing == nil {
            logger.warning(
                "no --asterisk-outgoing: the FastAGI front cannot ring operators' phones or duty lines (bridges and dials fail)"
            )
        }
        if options.peers == nil {
            logger.notice(
                "no --peers file: listening on loopback TCP and Unix sockets only; every local peer is trusted as what it says"
            )
        } else {
            logger.info("peers: \(options.peers!.entries.count) from \(peers!)")
        }
        if settings.clock != .wall {
            logger.notice("clock: \(settings.clock) (not the wall clock: for tests, training and soak runs only)")
        }
        let server = LineServer(
            model: model, store: cases, settings: settings,
            logger: logger,
            onBound: { address in logger.info("listening on \(address)") })
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            printToStandardError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `hotline peers add|list`: the peers file of `hotline serve --peers`.
struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add peers to a peers file, or list them; the file keeps hashes of secrets, never secrets.",
        subcommands: [Add.self, AddDrive.self, List.self]
    )

    /// Appends entries to a peers file (created 0600 when missing); refuses names already there.
    static func append(_ entries: String, names: [String], to file: String) throws {
        var existing = ""
        if FileManager.default.fileExists(atPath: file) {
            do {
                let directory = try PeerDirectory.load(path: file)
                if let taken = names.first(where: { directory.entries[$0] != nil }) {
                    throw CommandFailure("\(file) has a peer named '\(taken)' already")
                }
            } catch let error as PeersFileError {
                throw CommandFailure("\(error)")
            }
            existing = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        }
        var text =
            existing.isEmpty
            ? "# hotline peers file (hotline peers add); secrets are kept as hashes\npeers:\n" : existing
        if !text.hasSuffix("\n") { text += "\n" }
        text += entries
        do {
            // The file must read back; a wrong role or name is refused before anything is written.
            _ = try PeerDirectory.parse(text: text, path: file)
        } catch {
            throw CommandFailure("\(error)")
        }
        try writePrivate(text, to: file)
    }

    /// Writes a file readable by its owner only.
    static func writePrivate(_ text: String, to file: String) throws {
        let previous = umask(0o077)
        defer { umask(previous) }
        do {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
        } catch {
            throw CommandFailure("cannot write \(file): \((error as NSError).localizedFailureReason ?? "\(error)")")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a peer with a new random secret, printed once on standard output.",
            discussion: """
                The secret is printed once and never stored: give it to the peer (an adapter's configuration,
                a unit's system) and keep it out of command lines and logs. The file is created 0600.

                Examples:
                  hotline peers add peers.yaml --name asterisk-1 --role adapter
                  hotline peers add peers.yaml --name urban --role unit:urban
                  hotline peers add peers.yaml --name test-driver --role adapter,desktop,supervisor --advance-clock
                """
        )

        @Argument(help: "The peers file (created when missing).")
        var file: String

        @Option(name: .long, help: "The peer's name, which it gives in its hello.")
        var name: String

        @Option(name: .long, help: "adapter, desktop, unit:ID or supervisor; several comma-separated (not with unit).")
        var role: String

        @Flag(name: .long, help: "May advance a server's manual clock.")
        var advanceClock = false

        func run() throws {
            let roles = role.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let secret = SecretHash.newSecret()
            try Peers.append(
                PeerDirectory.entryText(
                    name: name, roles: roles, secret: SecretHash(hashing: secret), advanceClock: advanceClock),
                names: [name], to: file)
            print(secret)
        }
    }

    struct AddDrive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-drive",
            abstract: "Add the peers hotline drive plays (a control peer and one per unit of the model).",
            discussion: """
                Adds DRIVE (adapter, desktop and supervisor, allowed to advance a manual clock) and DRIVE-UNIT for \
                every unit of the model to the peers file, and writes their secrets to the credentials file \
                (created 0600) for hotline drive --credentials. For test and soak servers only.

                Example:
                  hotline peers add-drive peers.yaml --credentials drive.yaml
                """
        )

        @OptionGroup var modelOptions: ModelOptions

        @Argument(help: "The peers file (created when missing).")
        var file: String

        @Option(name: .long, help: "Where the secrets go: the credentials file for hotline drive.")
        var credentials: String

        @Option(name: .long, help: "The control peer's name; unit peers are NAME-UNIT.")
        var name = "drive"

        func run() throws {
            let (model, _, _) = try modelOptions.load()
            var entries = ""
            var secrets: [Credentials.Entry] = []
            let units = model.router.directory.allVersions.flatMap { $0.snapshot.units.keys }
            var peers: [(String, [String], Bool, String?)] = [(name, ["adapter", "desktop", "supervisor"], true, nil)]
            for unit in Set(units).sorted() {
                peers.append(("\(name)-\(unit)", ["unit:\(unit)"], false, unit.rawValue))
            }
            for (peer, roles, advance, unit) in peers {
                let secret = SecretHash.newSecret()
                entries += PeerDirectory.entryText(
                    name: peer, roles: roles, secret: SecretHash(hashing: secret), advanceClock: advance)
                secrets.append(Credentials.Entry(name: peer, secret: secret, unit: unit))
            }
            try Peers.append(entries, names: peers.map(\.0), to: file)
            try Peers.writePrivate(Credentials.text(secrets), to: credentials)
            print("added \(peers.count) peers to \(file); their secrets are in \(credentials)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the peers of a peers file (never secrets).")

        @Argument(help: "The peers file.")
        var file: String

        func run() throws {
            let directory: PeerDirectory
            do {
                directory = try PeerDirectory.load(path: file)
            } catch {
                printToStandardError("\(error)")
                throw ExitCode(1)
            }
            for entry in directory.entries.values.sorted(by: { $0.name < $1.name }) {
                var roles = entry.roles.sorted().map(\.rawValue)
                if let unit = entry.unit { roles = roles.map { $0 == "unit" ? "unit:\(unit)" : $0 } }
                print("\(entry.name)  \(roles.joined(separator: ","))\(entry.mayAdvanceClock ? "  advance_clock" : "")")
            }
        }
    }
}
