import HotlineTesting
import Testing

@testable import HotlineCore

/// The yearly target-management assessment of Art. 14: 100 points from KPIs, deductions, ranking.
struct AssessmentTests {
    static let directory = Directory(units: Fixtures.units)

    /// A month of one unit with the counts the KPIs read.
    static func month(
        _ period: String, _ id: UnitID, registered: Double = 50, replied: Double = 0, onTime: Double = 0,
        satisfied: Double = 0, basically: Double = 0, dissatisfied: Double = 0, signed: Double = 0,
        signedOnTime: Double = 0, contacted: Double = 0, contactedOnTime: Double = 0, escalation: Double = 0,
        supervisions: Double = 0, calls: Int = 0, unanswered: Int = 0, lapses: [Failing: Int] = [:]
    ) -> PeriodLedger {
        var u = UnitPeriod(unit: id)
        var f = CaseFigures()
        f.registered = registered
        f.replied = replied
        f.repliedOnTime = onTime
        f.satisfied = satisfied
        f.basicallySatisfied = basically
        f.dissatisfied = dissatisfied
        f.callbacks = satisfied + basically + dissatisfied
        f.satisfactionRate = f.callbacks > 0 ? (satisfied + basically) / f.callbacks : 0
        f.signedFor = signed
        f.signedForOnTime = signedOnTime
        f.contacted = contacted
        f.contactedOnTime = contactedOnTime
        f.escalation = escalation
        f.supervisions = supervisions
        u.figures = f
        u.dutyLine.calls = calls
        u.dutyLine.unanswered = unanswered
        for (failing, n) in lapses {
            var t = FindingTally()
            t.count = n
            u.findings[failing] = t
        }
        var p = PeriodLedger(period: period)
        p.units = [u]
        return p
    }

    static func assess(_ periods: [PeriodLedger], rules: AssessmentRules = AssessmentRules(), year: Int = 2026)
        -> Assessment
    {
        Assessment(year: year, periods: periods, rules: rules, directory: directory)
    }

    // Art. 14: the assessment scores 100 points.
    @Test func theDefaultWeightsSumTo100() {
        let rules = AssessmentRules()
        #expect(rules.kpis.reduce(0) { $0 + $1.weight } == AssessmentRules.totalWeight)
        #expect(rules.kpis.map(\.kpi) == KPI.allCases)
        #expect(rules.kpis.map(\.weight) == [10, 30, 30, 20, 10])
    }

    @Test func aKPIEarnsItsPointsInProportionBetweenZeroAndFull() {
        let rule = KPIRule(.onTimeReply, weight: 30, fullAt: 1, zeroAt: 0.8)
        #expect(rule.points(1) == 30 && rule.points(0.8) == 0 && rule.points(0.5) == 0)
        #expect(abs(rule.points(0.9) - 15) < 1e-9)
        #expect(rule.points(nil) == 30)  // nothing owed: full marks
        #expect(KPIRule(.satisfaction, weight: 30, fullAt: 0.9, zeroAt: 0.7).points(0.95) == 30)
    }

    // Each KPI from the year's counts: duty line answered, replies on time, satisfaction, sign-for and
    // first contact (half each), information and attendance against escalated cases.
    @Test func eachKPIIsMeasuredFromTheCounts() throws {
        let a = Self.assess([
            Self.month(
                "2026-05", "housing", replied: 100, onTime: 90, satisfied: 80, basically: 5, dissatisfied: 15,
                signed: 100, signedOnTime: 90, contacted: 100, contactedOnTime: 70, escalation: 4, calls: 20,
                unanswered: 4, lapses: [.information: 1])
        ])
        let s = try #require(a["housing"])
        let value = Dictionary(uniqueKeysWithValues: s.kpis.map { ($0.kpi, $0.value) })
        #expect(value[.organisation]! == 0.8)
        #expect(value[.onTimeReply]! == 0.9)
        #expect(value[.satisfaction]! == 0.85)
        #expect(abs(value[.timeliness]!! - 0.8) < 1e-12)  // (0.9 + 0.7) / 2
        #expect(value[.information]! == 0.75)  // 1 − 1/4
        let points = s.kpis.map(\.points)
        let expected = [10 * 0.6, 30 * 0.5, 30 * 0.5, 20 * 0.6, 10 * 0.5]
        for (p, e) in zip(points, expected) { #expect(abs(p - e) < 1e-9) }
        #expect(s.kpis.map(\.max) == [10, 30, 30, 20, 10])
    }

    @Test func aUnitThatOwedNothingGetsFullMarks() throws {
        let s = try #require(Self.assess([Self.month("2026-03", "east")])["east"])
        #expect(s.kpis.allSatisfy { $0.value == nil && $0.points == $0.max })
        #expect(s.score == 100)
    }

    // Counts are added over the months; rates are worked out from the sums, not averaged.
    @Test func theMonthsOfTheYearAreAddedAndRatesRecomputed() throws {
        let a = Self.assess([
            Self.month("2026-01", "east", registered: 10, replied: 10, onTime: 10),
            Self.month("2026-02", "east", registered: 20, replied: 90, onTime: 80),
            Self.month("2025-12", "east", registered: 500, replied: 500, onTime: 0),
        ])
        #expect(a.months == ["2026-01", "2026-02"])
        let s = try #require(a["east"])
        #expect(s.cases == 30)
        #expect(s.kpis.first { $0.kpi == .onTimeReply }?.value == 0.9)  // 90/100, not (1 + 0.889)/2
        let sum = CaseFigures.sum([
            Self.month("2026-01", "east", satisfied: 9, dissatisfied: 1).units[0].figures,
            Self.month("2026-02", "east", satisfied: 1, dissatisfied: 9).units[0].figures,
        ])
        #expect(sum.callbacks == 20 && sum.satisfactionRate == 0.5)
    }

    // Art. 13, 10(9): deductions per case held to account and per supervision; the breakdown adds up.
    @Test func deductionsComeOffAndTheBreakdownAddsUp() throws {
        var p = Self.month("2026-06", "west", replied: 100, onTime: 90, supervisions: 4)
        p.accountability = [
            AccountabilityEntry(
                unit: "west", caseID: "C1", at: Fixtures.at("2026-06-10T00:00"), reported: true, told: nil,
                supervisions: 2)
        ]
        let s = try #require(Self.assess([p])["west"])
        #expect(s.accountability == 1 && s.supervisions == 4)
        #expect(s.deductions == 5 + 4 * 0.5)
        #expect(abs(s.kpiPoints - 85) < 1e-9)
        #expect(abs(s.score - (s.kpiPoints - s.deductions)) < 1e-9)
        #expect(abs(s.kpis.reduce(0) { $0 + $1.points } - s.deductions - s.score) < 1e-9)

        // A score never goes below 0.
        var rules = AssessmentRules()
        rules.supervisionDeduction = 50
        #expect(try #require(Self.assess([p], rules: rules)["west"]).score == 0)
    }

    // Ranked best first; equal scores by id; units with too few cases are listed apart.
    @Test func unitsAreRankedAndSmallUnitsNotAssessed() {
        let a = Self.assess([
            Self.month("2026-04", "west", replied: 10, onTime: 10),
            Self.month("2026-04", "east", replied: 10, onTime: 10),
            Self.month("2026-04", "housing", replied: 10, onTime: 9),
            Self.month("2026-04", "police", registered: 29),
        ])
        #expect(a.ranked.map(\.unit.id) == ["east", "west", "housing"])
        #expect(a.ranked.map(\.rank) == [1, 2, 3])
        #expect(a.ranked[0].score == 100 && a.ranked[2].score == 85)
        // Every unit that can take cases is listed; those with fewer than 30 cases are not assessed.
        #expect(a.notAssessed.map(\.unit.id) == ["heat", "police", "police-east", "street-1"])
        #expect(a.notAssessed.allSatisfy { $0.rank == nil })
        #expect(a["police"]?.cases == 29)
    }

    @Test func theKPIsOfTheRulesAreTheOnesScored() throws {
        var rules = AssessmentRules()
        rules.kpis = [KPIRule(.satisfaction, weight: 60, zeroAt: 0.5), KPIRule(.onTimeReply, weight: 40, zeroAt: 0.5)]
        let s = try #require(
            Self.assess(
                [Self.month("2026-04", "east", replied: 10, onTime: 10, satisfied: 3, dissatisfied: 1)], rules: rules)[
                    "east"])
        #expect(s.kpis.map(\.kpi) == [.satisfaction, .onTimeReply])
        #expect(abs(s.score - (60 * 0.5 + 40)) < 1e-9)
    }
}
