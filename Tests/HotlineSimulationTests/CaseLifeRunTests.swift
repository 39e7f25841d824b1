import Foundation
import HotlineCore
import HotlineModel
import Testing

@testable import HotlineSimulation

/// Three months of the bundled model with its case warm-up, as it is and with one unit made worse:
/// the case figures count what the regulation asks and move the right way.
struct CaseLifeRunTests {
    static let options = SimulationOptions(
        days: 90, seed: 11, replications: 1, start: CivilDate(parsing: "2026-01-05"), caseWarmUpDays: 30)

    /// The heating company of the east replies late half the time, and then very late.
    static var worse: CityModel {
        var model = DeterminismTests.mudanjiang
        var layer = ConductLayer()
        layer.reply = ConductLayer.PartialTiming(onTime: 0.5, lateBy: .exponential(mean: 12 * 86_400))
        layer.asksExtension = 0
        model.cases.byUnit["heat-east"] = layer
        return model
    }

    static let runs = Task {
        async let base = Simulation(model: DeterminismTests.mudanjiang, options: options).run().summary
        async let bad = Simulation(model: Self.worse, options: options).run().summary
        return await (base: base, worse: bad)
    }

    static func unit(_ s: SimulationSummary, _ id: String) -> CaseFigures {
        s.units.first { $0.id == id }?.cases ?? CaseFigures()
    }

    // Art. 10(9), 13: overdue replies, supervisions and accountability are counted, and rise for the
    // unit whose conduct is made worse, not elsewhere.
    @Test func aWorseUnitShowsInItsFigures() async {
        let (base, worse) = await Self.runs.value
        let before = Self.unit(base, "heat-east")
        let after = Self.unit(worse, "heat-east")
        #expect(before.overdue > 0 && before.supervisions > 0)
        #expect(after.overdue > 2 * before.overdue)
        #expect(after.supervisions > 2 * before.supervisions)
        #expect(after.accountability > before.accountability)
        let rateAfter = after.repliedOnTime / after.replied
        let rateBefore = before.repliedOnTime / before.replied
        #expect(rateAfter < rateBefore - 0.2)
        #expect(base.cases.figures.overdue > 0 && base.cases.figures.supervisions > 0)
        // A unit that was not changed does about as before (its own random draws differ little).
        let other = Self.unit(base, "power")
        let same = Self.unit(worse, "power")
        let otherRate = other.repliedOnTime / other.replied
        let sameRate = same.repliedOnTime / same.replied
        #expect(abs(otherRate - sameRate) < 0.03)
    }

    // Art. 13: an enterprise is not reported for accountability; its industry authority is told.
    @Test func enterprisesAreNotReportedForAccountability() async {
        let worse = await Self.runs.value.worse
        let entries = worse.periods.flatMap { (p: PeriodLedger) in p.accountability }.filter { $0.unit == "heat-east" }
        #expect(!entries.isEmpty)
        #expect(entries.allSatisfy { !$0.reported && $0.told == "housing" && $0.supervisions >= 2 })
    }

    // Units keep to the deadline class: emergencies (2 h) are replied to far sooner than ordinary cases.
    @Test func emergenciesAreHandledFasterThanOrdinaryCases() async throws {
        let base = await Self.runs.value.base
        let emergency = try #require(base.cases.byClass["emergency"])
        let general = try #require(base.cases.byClass["general"])
        #expect(emergency.replied > 50)
        #expect(emergency.replyWorkingDaysMean < general.replyWorkingDaysMean / 10)
        #expect(emergency.repliedOnTime / emergency.replied > 0.9)
        // Art. 10(3): sign-for limits are mostly kept (the earlier simulator missed a fifth of them).
        let f = base.cases.figures
        #expect(f.signedForOnTime / f.signedFor > 0.95)
    }

    // Every registered case is closed, referred or open at the end, for the centre and each unit.
    @Test func countsAddUp() async {
        let base = await Self.runs.value.base
        let f = base.cases.figures
        #expect(f.registered == f.closed + f.referred + f.openAtEnd)
        for u in base.units {
            let sum = u.cases.closed + u.cases.openAtEnd
            #expect(u.cases.registered == sum, "\(u.id)")
        }
        #expect(base.cases.refused == 0)
    }

    // The case warm-up: the first day meets a backlog; its cases are not counted as registered.
    @Test func theRunStartsWithABacklog() async {
        let base = await Self.runs.value.base
        #expect(base.cases.carriedIn > 1000)
        #expect(base.cases.opened == base.cases.figures.registered)
        #expect(base.periods.first?.period == "2026-01")
    }

    // Art. 8, 10(8), 10(9), 10(10), 7: every path of the case life is taken in three months.
    @Test func everyPathIsTaken() async {
        let f = await Self.runs.value.base.cases.figures
        #expect(f.government > 0)
        #expect(f.extensionRequested > f.extended && f.extended > 0)
        #expect(f.leaderAssigned > 0)
        #expect(f.repeatCalls > 0)
        #expect(f.returned > 0)
        #expect(f.handedOn > 0)
        #expect(f.reHandled > 0)
        let periods = await Self.runs.value.base.periods
        let evidence = Set(periods.flatMap { (p: PeriodLedger) in p.units.flatMap { $0.findings.keys } })
        for failing in [Failing.handling, .meetings, .lateReplies, .information] {
            #expect(evidence.contains(failing), "\(failing)")
        }
    }
}
