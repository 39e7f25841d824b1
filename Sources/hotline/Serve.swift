import ArgumentParser
import Foundation
import HotlineBackend
import HotlineStore
import Logging
import ServiceLifecycle
import UnixSignals

/// `hotline serve`: the live backend behind the line protocol (docs/protocol.md).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the live IVR, ACD and case register behind the line protocol (docs/protocol.md).",
        discussion: """
            Reads JSON Lines events from PBX adapters, operator desktops and units, and answers with commands
            and notices. Several listeners may run at once. SIGTERM or SIGINT stops the server gracefully;
            with --stdio only, the end of standard input stops it once its work is stored.

            Examples:
              hotline serve --stdio < call.jsonl
              hotline serve --listen tcp:127.0.0.1:4573 --listen unix:/run/hotline.sock
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Flag(name: .long, help: "Serve one peer on standard input and output.")
    var stdio = false

    @Option(
        name: .long,
        help:
            "Listen on tcp:HOST:PORT, tcp:PORT (loopback) or unix:PATH; may be repeated. TCP binds to loopback unless a HOST says otherwise."
    )
    var listen: [String] = []

    @Option(name: .long, help: "The case store, an SQLite file (created if missing).")
    var store = "hotline-cases.sqlite"

    @Option(name: .long, help: "A shared token every peer's hello must carry.")
    var token: String?

    @Option(name: .long, help: "Languages offered after the greeting, comma-separated (e.g. zh,en).")
    var languages: String?

    @Option(name: .long, help: "Seconds an operator stays in wrap-up after a call unless the desktop ends it.")
    var wrapUp: Double = 30

    @Option(name: .long, help: "A peer that leaves more than this many bytes of output unread is disconnected.")
    var maxOutputBytes = 16 * 1024 * 1024

    @Flag(name: .long, help: "Log nothing but errors on standard error.")
    var quiet = false

    func validate() throws {
        if !stdio && listen.isEmpty { throw ValidationError("say where to listen: --stdio and/or --listen ADDRESS") }
        for l in listen where Listener(parsing: l) == nil {
            throw ValidationError("'\(l)' is not an address: use tcp:HOST:PORT, tcp:PORT or unix:PATH")
        }
        if wrapUp < 0 || !wrapUp.isFinite { throw ValidationError("--wrap-up must be 0 or more seconds") }
        if maxOutputBytes < 65_536 { throw ValidationError("--max-output-bytes must be at least 65536") }
    }

    func run() async throws {
        // A reader that goes away (stdout into `head`, a peer that vanished) is an error on that
        // output, not the end of the server.
        signal(SIGPIPE, SIG_IGN)
        let (model, _, _) = try modelOptions.load()
        let cases: CaseStore
        do {
            cases = try CaseStore(path: store)
        } catch {
            printToStandardError("error: \(error)")
            throw ExitCode(1)
        }
        var options = Switchboard.Options()
        options.token = token
        options.languages = languages.map { $0.split(separator: ",").map(String.init) } ?? []
        options.wrapUp = wrapUp
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
