import ArgumentParser
import Foundation
import HotlineCore
import HotlineModel

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
            operator actions (NAME.answers: one a line, SECONDS STEP [key=value]…). The score lists each point \
            lost with the article that says why; a scenario's model answer scores full marks.
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
    }

    func run() throws {
        let (model, _, _) = try modelOptions.load()
        do {
            if let replay {
                let (header, actions) = try RehearsalLog.read(replay)
                let scene = try TrainingScenario.load(path: header.path, model: model)
                return report(RehearsalRubric.score(scene, actions: actions, directory: model.router.directory), scene)
            }
            let scene = try TrainingScenario.load(path: scenario!, model: model)
            if let script {
                guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                    throw RehearsalError("cannot read \(script)")
                }
                let actions = try AnswerScript.parse(text: text, file: script)
                if let log {
                    let file = try RehearsalLog(path: log, header: header(scene))
                    for a in actions { try file.record(a) }
                }
                return report(RehearsalRubric.score(scene, actions: actions, directory: model.router.directory), scene)
            }
            try interactive(scene, model: model)
        } catch let failure as ModelLoadFailure {
            printToStandardError(ModelCheck.lines(failure.errors, severity: "error").joined(separator: "\n"))
            throw ExitCode(1)
        } catch let error as RehearsalError {
            printToStandardError("error: \(error)")
            throw ExitCode(1)
        }
    }

    private func header(_ scene: TrainingScenario) -> RehearsalLog.Header {
        RehearsalLog.Header(
            scenario: scene.name, path: URL(fileURLWithPath: scenario ?? "").standardizedFileURL.path,
            mode: mode.rawValue,
            started: ISO8601DateFormatter().string(from: Date()))
    }

    private func report(_ score: RehearsalScore, _ scene: TrainingScenario) {
        print(json ? Self.json(score) : Self.text(score, scene))
    }

    /// The terminal session; Ctrl-C leaves the log, which already holds every action taken.
    private func interactive(_ scene: TrainingScenario, model: CityModel) throws {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let path = log ?? "rehearsal-\(scene.name)-\(stamp).log"
        let file = try RehearsalLog(path: path, header: header(scene))
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            FileHandle.standardOutput.write(
                Data(
                    "\nsession interrupted; every step so far is in \(path) (hotline rehearse --replay \(path))\n".utf8)
            )
            Glibc.exit(130)
        }
        interrupt.resume()
        let session = RehearsalSession(scenario: scene, model: model, coaching: mode == .coaching, log: file)
        try session.run()
        interrupt.cancel()
        print("")
        report(RehearsalRubric.score(scene, actions: session.actions, directory: model.router.directory), scene)
        print("session log: \(path) (hotline rehearse --replay \(path))")
    }

    static func text(_ s: RehearsalScore, _ scene: TrainingScenario) -> String {
        var lines = ["\(scene.title.zh) / \(scene.title.en)", "score \(s.score) / \(s.maxScore)"]
        if s.findings.isEmpty { lines.append("full marks: every step the regulation asks for, in order") }
        for f in s.findings {
            lines.append("  \(String(format: "%4d", f.points))  \(f.text) — \(f.article)")
        }
        let times = s.secondsToDecision.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map {
            "\($0.key) at \(Int($0.value)) s"
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
