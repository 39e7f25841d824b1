import ArgumentParser
import Foundation
import HotlineBackend
import HotlineCore
import HotlineDrive
import HotlineSimulation

/// `hotline drive`: a simulated day (or week) of the model played through a running `hotline serve`.
struct Drive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play simulated days through a running hotline serve and check it against the simulator.",
        discussion: """
            The simulator plays the server's PBX adapter, its operator desktops and its units: callers ring on \
            the model's profile, operators work the shift table, units sign for and reply, callers give \
            verdicts. Every step reaches the server at its simulated moment (the server must run with \
            --clock manual and --wrap-up desktop, its clock at or before the first day); every decision of \
            the server's (which caller goes to which operator, which duty line rings, which case opens) must \
            be the simulator's, and at the end every case is compared whole. Exits 1 on any difference or \
            protocol error.

            Examples:
              hotline serve --clock manual --start-at 2026-01-05T00:00 --wrap-up desktop --listen tcp:4573 &
              hotline drive --connect tcp:127.0.0.1:4573 --days 7 --start 2026-01-05
              hotline drive --connect unix:/run/hotline.sock --credentials drive.yaml --json
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: ArgumentHelp("The server: tcp:HOST:PORT, tcp:PORT or unix:PATH.", valueName: "address"))
    var connect: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The peers' names and secrets, for a server with --peers (see hotline peers add-drive).", valueName: "file")
    )
    var credentials: String?

    @Option(help: "Days to simulate.")
    var days = 1

    @Option(help: "The seed of the random streams (the same as hotline simulate's).")
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "The first day (default: the first Monday of the model's calendar year).", valueName: "YYYY-MM-DD"))
    var start: String?

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress line on stderr.")
    var quiet = false

    func validate() throws {
        guard Listener(parsing: connect).map({ $0 != .stdio }) == true else {
            throw ValidationError("--connect is tcp:HOST:PORT, tcp:PORT or unix:PATH, not '\(connect)'")
        }
        guard (1...366).contains(days) else { throw ValidationError("--days must be from 1 to 366, not \(days)") }
        if let start, CivilDate(parsing: start) == nil {
            throw ValidationError("--start must be a date YYYY-MM-DD that exists, not '\(start)'")
        }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        var (model, _, _) = try modelOptions.load()
        // The live desk sends a case to the unit the directory names; a misrouted work order (a mistake
        // the simulator may draw) cannot be played through it.
        model.cases.misrouted = 0
        let credentials: Credentials?
        do {
            credentials = try self.credentials.map { try Credentials.load(path: $0) }
        } catch {
            throw CommandFailure("\(error)")
        }
        let simulation = Simulation(
            model: model,
            options: SimulationOptions(
                days: days, seed: seed, replications: 1, start: start.flatMap(CivilDate.init(parsing:))))
        let session = DriveSession(model: model, address: Listener(parsing: connect)!, credentials: credentials)
        let began = Date()
        do {
            try session.open(startingAt: simulation.firstMoment)
        } catch {
            session.close()
            throw CommandFailure("\(error)")
        }
        let progress = ProgressLine(
            enabled: !quiet, label: "driving \(connect) with \(model.name), \(days) day\(days == 1 ? "" : "s")")
        let summary = simulation.drive(session, progress: progress.update).summary
        progress.finish()
        var report = try session.finish()
        report.wallSeconds = Date().timeIntervalSince(began)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(Self.table(report, offered: summary.offered))
        }
        if let aborted = report.aborted { printToStandardError("error: the drive stopped early: \(aborted)") }
        if !report.passed { throw ExitCode(1) }
    }

    static func table(_ r: DriveReport, offered: Double) -> String {
        func n(_ x: Int) -> String { NumberText.whole(Double(x)) }
        var lines: [String] = []
        lines.append(
            r.aborted != nil
                ? "the drive stopped early: \(r.aborted!)"
                : r.passed ? "the server did what the simulator did" : "the server and the simulator differ")
        lines.append("")
        lines.append(
            "calls offered        \(n(r.callsOffered))   (the simulator's queue: \(n(Int(offered.rounded()))))")
        let decisions = Set(r.simDecisions.keys).union(r.serverDecisions.keys).sorted()
        lines.append("dispositions         server / simulator")
        for d in decisions {
            lines.append(
                "  " + d.padding(toLength: 19, withPad: " ", startingAt: 0)
                    + "\(n(r.serverDecisions[d] ?? 0)) / \(n(r.simDecisions[d] ?? 0))")
        }
        lines.append(
            "cases                \(n(r.casesCompared)) compared, \(n(r.casesEqual)) the same in every field (of \(n(r.simCases)) opened)"
        )
        let states = Set(r.simStates.keys).union(r.serverStates.keys).sorted()
        for s in states {
            lines.append(
                "  " + s.padding(toLength: 19, withPad: " ", startingAt: 0)
                    + "\(n(r.serverStates[s] ?? 0)) / \(n(r.simStates[s] ?? 0))")
        }
        let supervised = (
            r.serverUnits.values.reduce(0) { $0 + $1.supervisions },
            r.simUnits.values.reduce(0) { $0 + $1.supervisions }
        )
        lines.append("supervisions         \(n(supervised.0)) / \(n(supervised.1))")
        let unitsDiffer = Set(r.simUnits.keys).union(r.serverUnits.keys).filter { r.simUnits[$0] != r.serverUnits[$0] }
        lines.append(
            "units                \(r.simUnits.count) with cases, \(unitsDiffer.count) with other figures on the server"
        )
        lines.append(
            "work                 \(n(r.steps)) steps, \(n(r.linesOut)) lines out, \(n(r.linesIn)) in, \(n(r.advances)) clock moves, \(String(format: "%.1f", r.wallSeconds)) s"
        )
        lines.append("mismatches           \(n(r.mismatchCount))")
        lines += r.mismatches.prefix(20).map { "  " + $0 }
        lines.append("protocol errors      \(n(r.protocolErrorCount))")
        lines += r.protocolErrors.prefix(20).map { "  " + $0 }
        lines += r.notes.map { "note: " + $0 }
        if let aborted = r.aborted { lines.append("stopped early: \(aborted)") }
        return lines.joined(separator: "\n")
    }
}
