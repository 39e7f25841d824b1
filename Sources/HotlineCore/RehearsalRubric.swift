/// One thing the trainee did, at a second of the rehearsal.
package struct TraineeAction: Sendable, Hashable {
    /// Seconds since the call began.
    package var at: Double
    package var step: TrainingScenario.OperatorStep
    /// What the step says: `category`, `unit`, `summary` …
    package var fields: [String: String]

    package init(at: Double, step: TrainingScenario.OperatorStep, fields: [String: String] = [:]) {
        self.at = at
        self.step = step
        self.fields = fields
    }
}

/// A point the trainee lost, and the article that says why.
package struct Finding: Sendable, Hashable {
    /// The step it is about.
    package var step: String
    package var article: Article
    /// Points lost (negative).
    package var points: Int
    package var text: String

    package init(step: String, article: Article, points: Int, text: String) {
        self.step = step
        self.article = article
        self.points = points
        self.text = text
    }
}

/// The score of a rehearsal.
package struct RehearsalScore: Sendable, Hashable {
    package var scenario: String
    package var score: Int
    package var maxScore: Int
    package var findings: [Finding]
    /// Seconds from the start of the call to each step the trainee took (the first time).
    package var secondsToDecision: [String: Double]
}

/// Scores a rehearsal against the regulation: every step of the model handling earns its points when
/// the trainee takes it, in order; a wrong handling, a step taken against a rule (a second extension,
/// an enterprise reported for accountability, the caller's number in a summary, the wrong unit or
/// category) loses points, each finding citing its article.
package enum RehearsalRubric {
    /// Points lost for writing the caller's number into a summary (Art. 15).
    package static let confidentialityPenalty = 20
    /// Points lost for each further rule broken in the aftermath (a second extension, an enterprise
    /// reported for accountability).
    package static let rulePenalty = 20
    /// Points lost for a case registered under the wrong category (Art. 4).
    package static let categoryPenalty = 10
    /// Points lost when the call is handled only after the caller's patience ran out (Art. 10: the
    /// centre handles what callers report efficiently).
    package static let patiencePenalty = 10

    package static func score(
        _ scenario: TrainingScenario, actions: [TraineeAction], directory: Directory
    ) -> RehearsalScore {
        var findings: [Finding] = []
        var seconds: [String: Double] = [:]
        for a in actions where seconds[a.step.rawValue] == nil { seconds[a.step.rawValue] = a.at }

        // The model handling, step by step and in order.
        for (i, (e, hit)) in zip(scenario.expected, matches(scenario, actions)).enumerated() where hit == nil {
            let text =
                i == 0
                ? wrongHandling(
                    expected: e.step,
                    took: actions.first { TrainingScenario.OperatorStep.handling.contains($0.step) }?.step)
                : "did not \(e.step.phrase)"
            findings.append(Finding(step: e.step.rawValue, article: e.step.article, points: -e.points, text: text))
        }

        // Art. 10 (its opening: efficiently): the call is handled within the caller's patience.
        if let first = actions.first(where: { TrainingScenario.OperatorStep.handling.contains($0.step) }),
            first.at > scenario.caller.patienceSeconds
        {
            findings.append(
                Finding(
                    step: first.step.rawValue, article: Article(10), points: -patiencePenalty,
                    text:
                        "kept the caller \(Int(first.at)) s before handling the call; their patience was \(Int(scenario.caller.patienceSeconds)) s"
                ))
        }

        // Rules that hold whatever the scenario.
        let units = directory.snapshot(at: scenario.truth.callAt)
        var grants = 0
        var numberShown = false
        for a in actions {
            switch a.step {
            case .register, .workOrder, .proposeToGovernment, .escalate, .joinOpenCase:
                if let unit = a.fields["unit"], let truth = scenario.truth.unit, unit != truth.rawValue {
                    let points = scenario.expected.first { $0.step == a.step }?.points ?? rulePenalty
                    findings.append(
                        Finding(
                            step: a.step.rawValue, article: Article(7), points: -points,
                            text: "sent the case to \(unit), but the directory makes \(truth) responsible"))
                }
                if let category = a.fields["category"], category != scenario.truth.category.rawValue {
                    findings.append(
                        Finding(
                            step: a.step.rawValue, article: Article(4), points: -categoryPenalty,
                            text: "registered under category \(category); the matter is \(scenario.truth.category)"))
                }
            case .grantExtension:
                grants += 1
                if grants == 2 {
                    findings.append(
                        Finding(
                            step: a.step.rawValue, article: Article(10, 8), points: -rulePenalty,
                            text: "granted a second extension: a case is extended once only"))
                }
            case .reportAccountability:
                if let unit = a.fields["unit"] ?? scenario.truth.unit?.rawValue,
                    units[UnitID(unit)]?.nature == .enterprise
                {
                    findings.append(
                        Finding(
                            step: a.step.rawValue, article: Article(13), points: -rulePenalty,
                            text:
                                "reported \(unit), an enterprise, for accountability: its industry authority is told instead"
                        ))
                }
            default: break
            }
            if !numberShown, let summary = a.fields["summary"],
                a.fields[revealedMark] == "true" || reveals(summary, number: scenario.caller.number)
            {
                numberShown = true
                findings.append(
                    Finding(
                        step: a.step.rawValue, article: Article(15), points: -confidentialityPenalty,
                        text: "caller's number written into the summary"))
            }
        }
        let lost = findings.reduce(0) { $0 - $1.points }
        return RehearsalScore(
            scenario: scenario.name, score: max(0, scenario.maxScore - lost), maxScore: scenario.maxScore,
            findings: findings, secondsToDecision: seconds)
    }

    /// The field a session log adds to an action whose summary showed the caller's number: the log
    /// keeps the summary masked (Art. 15) and the rubric still finds what was written.
    package static let revealedMark = "summary_showed_callers_number"

    /// `action` as a log may keep it: a summary that shows the caller's number is masked, with
    /// `revealedMark` set; every other run of 7 or more digits in it is masked too.
    package static func forTheLog(_ action: TraineeAction, number: String) -> TraineeAction {
        guard let summary = action.fields["summary"] else { return action }
        var logged = action
        if reveals(summary, number: number) { logged.fields[revealedMark] = "true" }
        logged.fields["summary"] = maskingLongNumbers(summary)
        return logged
    }

    /// The text with every run of 7 or more digits (spaces and dashes between them or not) starred.
    static func maskingLongNumbers(_ text: String) -> String {
        var out: [Character] = []
        var run: [Int] = []  // positions in `out` of the current run's digits
        func close() {
            if run.count >= 7 { for i in run { out[i] = "*" } }
            run = []
        }
        for c in text {
            if c.isASCII && c.isNumber {
                run.append(out.count)
            } else if (c == " " || c == "-") && !run.isEmpty {
                // a separator inside a run keeps it going
            } else {
                close()
            }
            out.append(c)
        }
        close()
        return String(out)
    }

    /// For each step of the model handling, the index of the action that takes it, in order (an action
    /// counts for one step only, and each step is looked for after the previous one's); `nil` when missed.
    package static func matches(_ scenario: TrainingScenario, _ actions: [TraineeAction]) -> [Int?] {
        var next = actions.startIndex
        return scenario.expected.map { e in
            guard let hit = actions[next...].firstIndex(where: { $0.step == e.step }) else { return nil }
            next = actions.index(after: hit)
            return hit
        }
    }

    /// Whether a text shows the caller's number: the number itself, or eight of its digits in a row
    /// (spaces and dashes between them do not hide it).
    static func reveals(_ text: String, number: String) -> Bool {
        guard number != "unknown", number.count >= 8 else { return false }
        let digits = text.filter(\.isNumber)
        let tail = String(number.suffix(8))
        return text.contains(number) || digits.contains(tail)
    }

    /// What a trainee who missed the handling did instead, in the words of the rule they broke.
    private static func wrongHandling(
        expected: TrainingScenario.OperatorStep, took: TrainingScenario.OperatorStep?
    ) -> String {
        guard let took else { return "the call was not handled: \(expected.phrase) was needed" }
        switch (expected, took) {
        case (.threeParty, .register), (.threeParty, .workOrder):
            return "registered without first trying a three-party call with the unit's duty line"
        case (.answerDirectly, _):
            return "\(took.phrase) for a question the knowledge base answers on the call"
        case (.escalate, _):
            return "\(took.phrase) for a major or urgent matter that must be reported up at once"
        case (.proposeToGovernment, _):
            return "\(took.phrase) for a matter with no clear owner, which the government must assign"
        case (.joinOpenCase, .register), (.joinOpenCase, .workOrder):
            return "opened a second case for a repeat call instead of joining the open one"
        case (.refer, _):
            return "\(took.phrase) for a report that goes to the discipline bodies"
        default:
            return "\(took.phrase) where the regulation asks to \(expected.phrase)"
        }
    }
}

extension TrainingScenario.OperatorStep {
    /// The step in words, for findings.
    package var phrase: String {
        switch self {
        case .answerDirectly: "answer directly"
        case .threeParty: "make a three-party call"
        case .register: "register and dispatch by phone"
        case .workOrder: "issue a written work order"
        case .refer: "refer to the discipline bodies"
        case .escalate: "escalate"
        case .proposeToGovernment: "propose the matter to the government"
        case .joinOpenCase: "join the open case"
        case .grantExtension: "grant the extension"
        case .refuseExtension: "refuse the extension"
        case .supervise: "supervise the overdue case"
        case .reportAccountability: "report the unit for accountability"
        case .notifyIndustryAuthority: "tell the enterprise's industry authority"
        case .rehandle: "have the case handled again"
        case .answerThroughMedia: "answer through the media"
        }
    }
}
