import ArgumentParser
import Foundation
import HotlineAudio
import HotlineBackend
import HotlineCore
import HotlineDrive
import HotlineModel
import HotlineReports

#if canImport(Glibc)
    import Glibc
#endif

/// `hotline rehearse SCENARIO --script ANSWERS`: a training scenario played with a prepared set of
/// operator actions, scored against the regulation (docs/scenarios.md).
struct Rehearse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a training scenario's operator actions against the regulation.",
        discussion: """
            SCENARIO is a training scenario (Scenarios/training/NAME.yaml). Without --script the trainee plays \
            the operator at the terminal with numbered choices; every step goes to the session log as it is \
            taken, so Ctrl-C leaves a log that --replay LOG reproduces. --script plays a prepared set of \
            operator actions (NAME.answers: one a line, SECONDS STEP [key=value]…). With --serve the trainee \
            works the call at the centre's own operator desktop over the line protocol, against a live \
            backend the session runs, while this terminal shows the caller and takes the centre's other \
            steps. The score lists each point lost with the article that says why; a scenario's model answer \
            scores full marks, at the terminal and at a desk. --report writes it as an HTML page.

            Examples:
              hotline rehearse Scenarios/training/duty-line-no-answer.yaml --mode exam
              hotline rehearse Scenarios/training/second-extension.yaml --script Scenarios/training/second-extension.answers --json
              hotline rehearse Scenarios/training/second-extension.yaml --serve tcp:127.0.0.1:7070 --report session.html
              hotline rehearse --replay rehearsal-second-extension-20261201T101500Z.log --report session.html
            """
    )

    @Argument(help: ArgumentHelp("The training scenario (not with --replay).", valueName: "SCENARIO.yaml"))
    var scenario: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Play prepared operator actions, one a line, without a terminal.", valueName: "ANSWERS"))
    var script: String?

    @Option(name: .long, help: ArgumentHelp("Reproduce a session from its log.", valueName: "LOG"))
    var replay: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Where the session log goes (default rehearsal-NAME-TIME.log).", valueName: "LOG"))
    var log: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "At a real desk: run the centre behind ADDRESS (tcp:127.0.0.1:PORT, tcp:PORT, unix:PATH; loopback only) for the trainee's own operator desktop.",
            valueName: "ADDRESS"))
    var serve: String?

    @Option(name: .long, help: ArgumentHelp("Write the session's report as HTML.", valueName: "FILE.html"))
    var report: String?

    @Flag(
        name: .long,
        help: "Speak the caller's lines (espeak-ng) and play the centre's prompts on the sound card; text otherwise.")
    var audio = false

    @Option(name: .long, help: ArgumentHelp("The ALSA playback device for --audio.", valueName: "DEVICE"))
    var audioDevice = SoundDevice.defaultName

    @Option(name: .long, help: "coaching: feedback after each step; exam: nothing until the end.")
    var mode: Mode = .coaching

    @Flag(name: .long, help: "Print the score document as JSON.")
    var json = false

    @OptionGroup var modelOptions: ModelOptions

    enum Mode: String, ExpressibleByArgument, CaseIterable { case coaching, exam }

    func validate() throws {
        if replay != nil {
            guard scenario == nil, script == nil else {
                throw ValidationError("--replay LOG names its scenario itself: give neither SCENARIO nor --script")
            }
        } else if scenario == nil {
            throw ValidationError("give the SCENARIO to rehearse (e.g. Scenarios/training/three-party-call.yaml)")
        }
        if let serve {
            guard replay == nil, script == nil else {
                throw ValidationError("--serve plays the scenario at a desk: not with --script or --replay")
            }
            guard let address = Listener(parsing: serve), address != .stdio else {
                throw ValidationError("--serve takes tcp:HOST:PORT, tcp:PORT or unix:PATH, not '\(serve)'")
            }
            // The desk's connection carries no secret of the trainee's: like hotline serve without a peers
            // file, the rehearsal listens on loopback only (a desktop elsewhere comes through an SSH tunnel).
            if case .tcp(let host, _) = address, !Self.isLoopback(host) {
                throw ValidationError(
                    "--serve listens on loopback only (127.0.0.1, ::1, or unix:PATH), not '\(host)'")
            }
        }
    }

    func run() throws {
        let (model, _, _) = try modelOptions.load()
        do {
            if let replay {
                let (header, actions) = try RehearsalLog.read(replay)
                let scene = try TrainingScenario.load(path: header.path, model: model)
                return report(
                    RehearsalRubric.score(scene, actions: actions, directory: model.router.directory), scene,
                    actions: actions)
            }
            let scene = try TrainingScenario.load(path: scenario!, model: model)
            if let script {
                guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                    throw RehearsalError("cannot read \(script)")
                }
                let actions = try AnswerScript.parse(text: text, file: script)
                if let log {
                    let file = try RehearsalLog(path: log, header: header(scene))
                    for a in actions { try file.record(a, callerNumber: scene.caller.number) }
                }
                return report(
                    RehearsalRubric.score(scene, actions: actions, directory: model.router.directory), scene,
                    actions: actions)
            }
            try interactive(scene, model: model, desk: serve.flatMap(Listener.init(parsing:)))
        } catch let failure as ModelLoadFailure {
            printToStandardError(ModelCheck.lines(failure.errors, severity: "error").joined(separator: "\n"))
            throw ExitCode(1)
        } catch let error as RehearsalError {
            printToStandardError("error: \(error)")
            throw ExitCode(1)
        } catch let error as DriveError {
            printToStandardError("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// A literal loopback address (127.0.0.0/8 or ::1); a name may resolve anywhere.
    static func isLoopback(_ host: String) -> Bool {
        if host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    private func header(_ scene: TrainingScenario) -> RehearsalLog.Header {
        RehearsalLog.Header(
            scenario: scene.name, path: URL(fileURLWithPath: scenario ?? "").standardizedFileURL.path,
            mode: mode.rawValue,
            started: ISO8601DateFormatter().string(from: Date()))
    }

    private func report(_ score: RehearsalScore, _ scene: TrainingScenario, actions: [TraineeAction]) {
        print(json ? Self.json(score) : Self.text(score, scene))
        if let report {
            do {
                try RehearsalReport.html(score, scene, actions: actions).write(
                    toFile: report, atomically: true, encoding: .utf8)
            } catch {
                printToStandardError("error: cannot write \(report): \(error)")
            }
        }
    }

    /// The session at the terminal, or at a real desk; Ctrl-C leaves the log, which already holds every
    /// action taken.
    private func interactive(_ scene: TrainingScenario, model: CityModel, desk: Listener?) throws {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let path = log ?? "rehearsal-\(scene.name)-\(stamp).log"
        let file = try RehearsalLog(path: path, header: header(scene))
        let record = RehearsalRecord(scenario: scene, coaching: mode == .coaching, log: file)
        // Ctrl-C, and a terminal closed or a kill, end the session with its log and stop a desk's server.
        var interrupts: [any DispatchSourceSignal] = []
        for (number, status) in [(SIGINT, Int32(130)), (SIGTERM, 143), (SIGHUP, 129)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let said =
                    "\nsession interrupted; every step so far is in \(path) (hotline rehearse --replay \(path))\n"
                _ = said.withCString { write(1, $0, strlen($0)) }
                RehearsalDesk.stopAll()
                Glibc.exit(status)
            }
            source.resume()
            interrupts.append(source)
        }
        let voice =
            audio
            ? RehearsalVoice(
                device: audioDevice,
                prompts: try? PromptFolder.locate(
                    given: nil, workingDirectory: FileManager.default.currentDirectoryPath,
                    executable: Bundle.main.executablePath))
            : nil
        if let desk {
            try RehearsalDesk(scenario: scene, model: model, record: record, address: desk, voice: voice)
                .run(modelPath: modelOptions.model)
        } else {
            try RehearsalSession(scenario: scene, record: record, voice: voice).run()
        }
        for source in interrupts { source.cancel() }
        print("")
        let score = RehearsalRubric.score(scene, actions: record.actions, directory: model.router.directory)
        report(score, scene, actions: record.actions)
        print("session log: \(path) (hotline rehearse --replay \(path))")
    }

    static func text(_ s: RehearsalScore, _ scene: TrainingScenario) -> String {
        var lines = ["\(scene.title.zh) / \(scene.title.en)", "score \(s.score) / \(s.maxScore)"]
        if s.findings.isEmpty { lines.append("full marks: every step the regulation asks for, in order") }
        for f in s.findings {
            lines.append("  \(String(format: "%4d", f.points))  \(f.text) — \(f.article)")
        }
        let times = s.secondsToDecision.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map {
            "\($0.key) at \(RehearsalReport.time($0.value))"
        }
        if !times.isEmpty { lines.append("decisions: " + times.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    static func json(_ s: RehearsalScore) -> String {
        let findings: [[String: Any]] = s.findings.map {
            ["step": $0.step, "article": $0.article.description, "points": $0.points, "text": $0.text]
        }
        let document: [String: Any] = [
            "scenario": s.scenario, "score": s.score, "max_score": s.maxScore, "findings": findings,
            "seconds_to_decision": s.secondsToDecision,
        ]
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }
}
