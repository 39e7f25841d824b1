import Foundation
import HotlineCore
import HotlineModel
import Testing

/// The training scenario format (docs/scenarios.md): read, placed errors, and the model handling
/// checked against the routing core.
@Suite struct TrainingScenarioTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/training")
    static let model = try! BundledModel.load().model

    static var scenarioFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted()
    }

    /// Every scenario of the library reads, and its model handling is what the routing core decides.
    @Test(arguments: scenarioFiles)
    func theLibraryReads(_ file: String) throws {
        let s = try TrainingScenario.load(path: Self.folder.appendingPathComponent(file).path, model: Self.model)
        #expect(s.maxScore > 0)
        #expect(s.name == String(file.dropLast(5)))
        // The routing core decides every handling but a repeat call's (which joins the open case).
        if s.handling != .joinOpenCase {
            let core = try #require(s.coreDecision(by: Self.model.router))
            #expect(core.step == s.handling)
        }
    }

    @Test func aScenarioHasItsParts() throws {
        let s = try TrainingScenario.load(
            path: Self.folder.appendingPathComponent("three-party-call.yaml").path, model: Self.model)
        #expect(s.caller.mood == .anxious)
        #expect(s.caller.answers["location"]?.en.contains("Guangming") == true)
        #expect(s.truth.unit == UnitID("urban"))
        #expect(s.world.answersOnTheSpot)
        // Art. 10(2): a three-party call with the responsible unit's staffed duty line.
        #expect(s.expected.first?.step.article == Article(10, 2))
    }

    private func errors(_ text: String) -> [ModelError] {
        do {
            _ = try TrainingScenario.parse(text: text, file: "bad.yaml", model: Self.model)
            return []
        } catch {
            return error.errors
        }
    }

    private var base: String {
        (try? String(contentsOf: Self.folder.appendingPathComponent("three-party-call.yaml"), encoding: .utf8)) ?? ""
    }

    @Test func anUnknownCategoryIsPlacedAtItsLine() {
        let text = base.replacingOccurrences(of: "category: \"0204\"", with: "category: \"9999\"")
        let e = errors(text)
        #expect(e.count == 1)
        #expect(e.first?.field == "truth.category")
        // Lines count from 1.
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("9999") }
        #expect(e.first?.line == line.map { $0 + 1 })
    }

    /// Art. 10(2) asks for the three-party call: citing another article is an error with a hint.
    @Test func aStepMustCiteItsOwnArticle() {
        let e = errors(base.replacingOccurrences(of: "article: \"10(2)\"", with: "article: \"10(3)\""))
        #expect(e.first?.field == "expected[0].article")
        #expect(e.first?.message.contains("Art. 10(2)") == true)
    }

    /// Art. 10(6), 11: a gas leak is escalated, with its assisting units, whatever the operator meant; a
    /// scenario whose model answer is a three-party call for it is refused, naming what the core decides.
    @Test func theModelHandlingMustBeWhatTheRoutingCoreDecides() {
        let e = errors(
            base.replacingOccurrences(of: "category: \"0204\"", with: "category: \"010401\"")
                .replacingOccurrences(of: "unit: urban", with: "unit: gas"))
        #expect(e.count == 1, "\(e)")
        #expect(e.first?.field == "expected[0].step")
        #expect(e.first?.message.contains("decides 'escalate' (Art. 11)") == true, "\(e)")
    }

    /// Art. 10(1): the knowledge base's answer is given on the call; a scenario that expects a
    /// registration for it is not refused (the operator may judge a matter needs a case), but one
    /// whose handling is a step of the aftermath is.
    @Test func theHandlingIsAStepThatSettlesTheCall() {
        let e = errors(base.replacingOccurrences(of: "step: three_party", with: "step: supervise"))
        #expect(e.first?.field == "expected[0].step")
    }

    /// Art. 7, 9: the truth's unit is the one the directory makes responsible; a scenario cannot send a
    /// trainee to the wrong unit.
    @Test func theTruthsUnitIsTheDirectorys() {
        let e = errors(base.replacingOccurrences(of: "unit: urban", with: "unit: water"))
        #expect(e.first?.field == "truth.unit")
        #expect(e.first?.message.contains("makes 'urban' responsible") == true)
    }

    @Test func unknownKeysAndWordsAreRefusedWithAHint() {
        let e = errors(base.replacingOccurrences(of: "mood: anxious", with: "mood: anxius"))
        #expect(e.first?.field == "caller.mood")
        #expect(e.first?.hint?.contains("anxious") == true)
        let n = errors(base.replacingOccurrences(of: "number: \"13904530002\"", with: "number: \"call me\""))
        #expect(n.first?.field == "caller.number")
    }
}
