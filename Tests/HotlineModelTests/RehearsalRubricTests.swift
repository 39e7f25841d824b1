import Foundation
import HotlineCore
import HotlineModel
import Testing

/// Scoring a rehearsal: the model answer of every scenario scores full marks; a wrong answer loses the
/// points the rubric says, each finding citing its article.
@Suite struct RehearsalRubricTests {
    static let folder = TrainingScenarioTests.folder
    static let model = TrainingScenarioTests.model

    private func scenario(_ name: String) throws -> TrainingScenario {
        try TrainingScenario.load(path: Self.folder.appendingPathComponent("\(name).yaml").path, model: Self.model)
    }

    private func score(_ name: String, _ script: String) throws -> RehearsalScore {
        let actions = try AnswerScript.parse(text: script, file: "test.answers")
        return RehearsalRubric.score(try scenario(name), actions: actions, directory: Self.model.router.directory)
    }

    /// Every scenario ships with its model answer, which scores full marks.
    @Test(arguments: TrainingScenarioTests.scenarioFiles)
    func theModelAnswerScoresFullMarks(_ file: String) throws {
        let name = String(file.dropLast(5))
        let answers = Self.folder.appendingPathComponent("\(name).answers")
        let text = try String(contentsOf: answers, encoding: .utf8)
        let s = try score(name, text)
        #expect(s.findings == [])
        #expect(s.score == s.maxScore)
        #expect(s.maxScore > 0)
    }

    /// For every scenario, a wrong answer: its model answer with the step that settles the call
    /// replaced by another. It loses exactly that step's points, with that step's article cited.
    @Test(arguments: TrainingScenarioTests.scenarioFiles)
    func aWrongHandlingLosesItsPoints(_ file: String) throws {
        let name = String(file.dropLast(5))
        let s = try scenario(name)
        let first = try #require(s.expected.first)
        let model = try String(contentsOf: Self.folder.appendingPathComponent("\(name).answers"), encoding: .utf8)
        let wrongStep = first.step == .answerDirectly ? "work_order" : "answer_directly"
        var replaced = false
        let wrong = model.split(separator: "\n").map { line -> String in
            let words = line.split(separator: " ")
            guard !replaced, words.count >= 2, words[1] == first.step.rawValue else { return String(line) }
            replaced = true
            return "\(words[0]) \(wrongStep)"
        }.joined(separator: "\n")
        #expect(replaced)
        let scored = try score(name, wrong)
        let finding = try #require(scored.findings.first)
        #expect(finding.article == first.step.article)
        #expect(finding.points == -first.points)
        #expect(finding.step == first.step.rawValue)
        #expect(scored.score == s.maxScore - first.points)
    }

    /// Art. 10(2): registering without first trying the staffed duty line loses the three-party call's
    /// points.
    @Test func registeringWithoutAThreePartyCallLosesItsPoints() throws {
        let s = try score("three-party-call", "30 register category=0204 unit=urban summary=路灯")
        #expect(s.findings.map(\.article) == [Article(10, 2)])
        #expect(
            s.findings.first?.text == "registered without first trying a three-party call with the unit's duty line")
        #expect(s.score == 0)
        #expect(s.secondsToDecision["register"] == 30)
    }

    /// Art. 10 (efficiently): handled after the caller's patience (90 s here) ran out costs 10 points;
    /// at the limit, nothing.
    @Test func aCallerKeptBeyondTheirPatienceCostsPoints() throws {
        let slow = try score("three-party-call", "91 three_party")
        #expect(slow.findings.map(\.article) == [Article(10)])
        #expect(slow.findings.first?.points == -RehearsalRubric.patiencePenalty)
        #expect(slow.findings.first?.text.contains("patience was 90 s") == true)
        #expect(slow.score == 90)
        #expect(try score("three-party-call", "90 three_party").findings.isEmpty)
    }

    /// Art. 10(1): a question the knowledge base answers gets no case.
    @Test func aCaseForAKnowledgeBaseQuestionLosesTheDirectAnswer() throws {
        let s = try score("direct-answer", "40 register category=0604 unit=provident summary=公积金提取")
        #expect(s.findings.first?.article == Article(10, 1))
        #expect(s.findings.first?.text.contains("knowledge base") == true)
        #expect(s.score == 0)
    }

    /// Art. 10(3): after a three-party call nobody answered, the case must still be registered; the
    /// missing registration costs its points only.
    @Test func aThreePartyCallWithoutTheRegistrationLosesTheRegistration() throws {
        let s = try score("duty-line-no-answer", "25 three_party")
        #expect(s.findings.map(\.article) == [Article(10, 3)])
        #expect(s.findings.first?.points == -60)
        #expect(s.score == 40)
    }

    /// Art. 15: the caller's number in a summary, even split by spaces, costs 20 points.
    @Test func theCallersNumberInASummaryBreaksArticle15() throws {
        let s = try score(
            "duty-line-no-answer",
            "25 three_party\n80 register category=0204 unit=urban summary=\"路灯不亮，回电 139 0453 0003\"")
        #expect(s.findings.map(\.article) == [Article(15)])
        #expect(s.findings.first?.points == -RehearsalRubric.confidentialityPenalty)
        #expect(s.score == 80)
    }

    /// Art. 15: the session log keeps a summary masked, and marks where it showed the caller's number,
    /// so that a replay finds what the session found.
    @Test func theLogMasksTheNumberAndTheReplayStillFindsIt() throws {
        let s = try scenario("duty-line-no-answer")
        let action = TraineeAction(
            at: 80, step: .register, fields: ["summary": "路灯不亮，回电 139 0453 0003，另有工单 20261130-000001"])
        let logged = RehearsalRubric.forTheLog(action, number: s.caller.number)
        let summary = try #require(logged.fields["summary"])
        #expect(!summary.contains("0453") && !summary.contains("000001"))
        #expect(summary.hasPrefix("路灯不亮，回电 *** **** ****"))
        #expect(logged.fields[RehearsalRubric.revealedMark] == "true")
        let three = TraineeAction(at: 25, step: .threeParty)
        let live = RehearsalRubric.score(s, actions: [three, action], directory: Self.model.router.directory)
        let replayed = RehearsalRubric.score(s, actions: [three, logged], directory: Self.model.router.directory)
        #expect(live.findings.map(\.article) == [Article(15)])
        #expect(replayed == live)
        let clean = TraineeAction(at: 80, step: .register, fields: ["summary": "路灯不亮 3 盏"])
        #expect(RehearsalRubric.forTheLog(clean, number: s.caller.number) == clean)
    }

    /// Art. 7: the case goes to the unit the directory makes responsible; the wrong unit loses the
    /// registration's points.
    @Test func theWrongUnitLosesTheRegistration() throws {
        let s = try score("duty-line-no-answer", "25 three_party\n80 register category=0204 unit=water summary=路灯")
        #expect(s.findings.map(\.article) == [Article(7)])
        #expect(s.findings.first?.text.contains("the directory makes urban responsible") == true)
        #expect(s.score == 40)
    }

    /// Art. 10(8): one extension only; Art. 13: an enterprise is not held accountable itself.
    @Test func aSecondExtensionAndAnEnterpriseReportedBreakTheirRules() throws {
        let s = try score(
            "duty-line-no-answer",
            """
            25 three_party
            80 register category=0204 unit=urban summary=路灯
            200 grant_extension
            300 grant_extension
            400 report_accountability unit=power
            """)
        #expect(s.findings.map(\.article) == [Article(10, 8), Article(13)])
        #expect(s.findings.first?.text == "granted a second extension: a case is extended once only")
        #expect(s.findings.last?.text.contains("an enterprise") == true)
        #expect(s.score == 60)
    }

    @Test func aScriptsMistakesArePlacedAtTheirLines() {
        do {
            _ = try AnswerScript.parse(
                text: "# model\n12 three_party\n20 regiser unit=urban\n10 supervise", file: "x.answers")
            Issue.record("a bad script was accepted")
        } catch {
            #expect(error.errors.map(\.line) == [3, 4])
            #expect(error.errors.first?.hint == "did you mean 'register'?")
        }
    }
}
