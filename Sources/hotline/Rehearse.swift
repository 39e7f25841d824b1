import ArgumentParser
import Foundation
import HotlineCore
import HotlineModel

/// `hotline rehearse SCENARIO --script ANSWERS`: a training scenario played with a prepared set of
/// operator actions, scored against the regulation (docs/scenarios.md).
struct Rehearse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a training scenario's operator actions against the regulation.",
        discussion: """
            SCENARIO is a training scenario (Scenarios/training/NAME.yaml). --script plays a prepared set of \
            operator actions (NAME.answers: one a line, SECONDS STEP [key=value]…) and prints the score: each \
            point lost with the article that says why. A scenario's model answer scores full marks. The \
            interactive session at the terminal is still being built: --script is required for now.
            """
    )

    @Argument(help: ArgumentHelp("The training scenario.", valueName: "SCENARIO.yaml"))
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("The operator's actions, one a line.", valueName: "ANSWERS"))
    var script: String?

    @Flag(name: .long, help: "Print the score document as JSON.")
    var json = false

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard script != nil else {
            throw ValidationError(
                "give --script ANSWERS (the interactive session is still being built); a scenario's model answer is NAME.answers beside it"
            )
        }
    }

    func run() throws {
        let (model, _, _) = try modelOptions.load()
        let scene: TrainingScenario
        let actions: [TraineeAction]
        do {
            scene = try TrainingScenario.load(path: scenario, model: model)
            guard let text = try? String(contentsOfFile: script!, encoding: .utf8) else {
                printToStandardError("error: cannot read \(script!)")
                throw ExitCode(1)
            }
            actions = try AnswerScript.parse(text: text, file: script!)
        } catch let failure as ModelLoadFailure {
            printToStandardError(ModelCheck.lines(failure.errors, severity: "error").joined(separator: "\n"))
            throw ExitCode(1)
        }
        let score = RehearsalRubric.score(scene, actions: actions, directory: model.router.directory)
        print(json ? Self.json(score) : Self.text(score, scene))
    }

    static func text(_ s: RehearsalScore, _ scene: TrainingScenario) -> String {
        var lines = ["\(scene.title.zh) / \(scene.title.en)", "score \(s.score) / \(s.maxScore)"]
        if s.findings.isEmpty { lines.append("full marks: every step the regulation asks for, in order") }
        for f in s.findings {
            lines.append("  \(String(format: "%4d", f.points))  \(f.text) — \(f.article)")
        }
        let times = s.secondsToDecision.sorted { $0.value < $1.value }.map { "\($0.key) at \(Int($0.value)) s" }
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
