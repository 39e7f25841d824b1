import HotlineTesting
import Testing

@testable import HotlineCore

/// The monthly bulletin of Art. 13, written from hand-built ledgers of the small fixture city.
struct BulletinTests {
    static let directory = Directory(units: Fixtures.units)

    /// A piece of evidence on a case, due at `due`, `late` seconds late (`nil`: still not done).
    static func evidence(
        _ id: CaseID, _ what: String, due: String = "2026-11-10T00:00", late: Double? = 3600, emergency: Bool = false
    ) -> Evidence {
        Evidence(caseID: id, what: what, at: Fixtures.at(due), lateBy: late, emergency: emergency)
    }

    /// A tally of `count` findings, `emergencies` of them on emergencies, with the evidence given.
    static func tally(_ count: Int, emergencies: Int = 0, _ examples: [Evidence] = []) -> FindingTally {
        var t = FindingTally()
        t.count = count
        t.emergencies = emergencies
        t.examples = examples
        return t
    }

    /// A unit's month with findings, duty-line calls and figures.
    static func unit(
        _ id: UnitID, _ findings: [Failing: FindingTally] = [:], calls: Int = 0, unanswered: Int = 0,
        figures: CaseFigures = CaseFigures()
    ) -> UnitPeriod {
        var u = UnitPeriod(unit: id)
        u.findings = findings
        u.dutyLine.calls = calls
        u.dutyLine.unanswered = unanswered
        u.figures = figures
        return u
    }

    static func ledger(_ units: [UnitPeriod], accountability: [AccountabilityEntry] = []) -> PeriodLedger {
        var p = PeriodLedger(period: "2026-11")
        p.units = units
        p.accountability = accountability
        return p
    }

    static func bulletin(_ p: PeriodLedger, rules: BulletinRules = BulletinRules(), directory: Directory = directory)
        -> Bulletin
    {
        Bulletin(period: p, rules: rules, directory: directory)
    }

    // Art. 13(3), (4), (5), (6): missed limits, an evasive return and a caller dissatisfied twice are
    // findings of their failing, with the case numbers, the limit and how late.
    @Test func eachFailingOfACaseIsFoundWithItsEvidence() throws {
        let p = Self.ledger([
            Self.unit(
                "housing",
                [
                    .handling: Self.tally(
                        3,
                        [
                            Self.evidence("C1", "sign_for"), Self.evidence("C2", "return", late: nil),
                            Self.evidence("C3", "dissatisfied", late: nil),
                        ]),
                    .meetings: Self.tally(1, emergencies: 1, [Self.evidence("C4", "attendance", emergency: true)]),
                    .lateReplies: Self.tally(
                        2, [Self.evidence("C5", "reply", late: 90_000), Self.evidence("C6", "reply", late: nil)]),
                    .information: Self.tally(1, emergencies: 1, [Self.evidence("C4", "information", emergency: true)]),
                ])
        ])
        let b = Self.bulletin(p)
        let housing = try #require(b.units.first)
        #expect(housing.unit == UnitName(id: "housing", zh: "住建局", en: "Housing"))
        #expect(housing.findings.map(\.failing) == [.handling, .meetings, .lateReplies, .information])
        #expect(
            housing.findings.map(\.failing.article) == [Article(13, 3), Article(13, 4), Article(13, 5), Article(13, 6)])
        #expect(housing.total == 7 && housing.emergencies == 2)
        let replies = try #require(housing[.lateReplies])
        #expect(replies.evidence.map(\.caseID) == ["C5", "C6"])
        #expect(replies.evidence.map(\.lateBy) == [90_000, nil])
        #expect(replies.evidence[0].at == Fixtures.at("2026-11-10T00:00"))
        #expect(housing[.handling]?.evidence.map(\.what) == ["sign_for", "return", "dissatisfied"])
    }

    // Art. 13(1): a duty line that leaves more than 20 % of at least 5 calls unanswered.
    @Test func anUnansweredDutyLineIsAStaffingFinding() throws {
        let p = Self.ledger([
            Self.unit("east", calls: 10, unanswered: 3),  // 30 %: found
            Self.unit("west", calls: 10, unanswered: 2),  // 20 %: not above
            Self.unit("police", calls: 4, unanswered: 4),  // too few calls
        ])
        let b = Self.bulletin(p)
        #expect(b.units.map(\.unit.id) == ["east"])
        let staffing = try #require(b.units[0][.staffing])
        #expect(staffing.failing.article == Article(13, 1))
        #expect(staffing.count == 3 && staffing.dutyLine?.calls == 10 && staffing.evidence.isEmpty)

        var rules = BulletinRules()
        rules.dutyLineUnansweredAbove = 0.1
        rules.dutyLineMinimumCalls = 4
        #expect(Self.bulletin(p, rules: rules).units.map(\.unit.id) == ["police", "east", "west"])
    }

    // Art. 9, 13(2): a change reported to the centre after it took effect is held against the units it
    // adds and updates, in the month it took effect; one reported in time, or in another month, is not.
    @Test func aChangeReportedLateIsAFindingOfTheUnitsItAddsOrUpdates() throws {
        var heat = Fixtures.units.first { $0.id == "heat" }!
        heat.dutyLines = DutyLines(count: 4)
        let newUnit = Unit(id: "heat-2", nameZh: "第二供热公司", nameEn: "Heating Co 2", tier: .three, kind: .enterprise)
        let directory = Directory(
            units: Fixtures.units,
            changes: [
                DirectoryChange(
                    effective: Fixtures.at("2026-11-15T00:00"), upsert: [heat, newUnit], remove: ["fire"],
                    note: "供热季调整", reported: Fixtures.at("2026-11-18T12:00")),
                DirectoryChange(
                    effective: Fixtures.at("2026-11-20T00:00"), upsert: [Fixtures.units[1]],
                    reported: Fixtures.at("2026-11-19T00:00")),
                DirectoryChange(
                    effective: Fixtures.at("2026-10-01T00:00"), upsert: [Fixtures.units[2]],
                    reported: Fixtures.at("2026-10-30T00:00")),
            ])
        let b = Self.bulletin(Self.ledger([]), directory: directory)
        #expect(b.units.map(\.unit.id) == ["heat", "heat-2"])
        let finding = try #require(b.units[0][.unreportedChanges])
        #expect(finding.failing.article == Article(13, 2))
        #expect(finding.count == 1 && finding.notes == ["供热季调整"])
        #expect(finding.evidence[0].caseID == nil && finding.evidence[0].what == "change")
        #expect(finding.evidence[0].at == Fixtures.at("2026-11-15T00:00"))
        #expect(finding.evidence[0].lateBy == 3.5 * 86_400)
        #expect(b.units[1].unit.zh == "第二供热公司")
    }

    // Art. 13: within the network in the ordinary case; to the mayor in charge with 10 findings, an
    // emergency finding or accountability; in the media with 30 findings or 3 on emergencies.
    @Test func theTierFollowsTheRules() throws {
        func tier(_ count: Int, emergencies: Int = 0, accountable: Bool = false) -> (BulletinTier, [TierReason]) {
            let entries =
                accountable
                ? [
                    AccountabilityEntry(
                        unit: "east", caseID: "C9", at: Fixtures.at("2026-11-20T00:00"), reported: true, told: nil,
                        supervisions: 2)
                ] : []
            let b = Self.bulletin(
                Self.ledger(
                    [Self.unit("east", [.lateReplies: Self.tally(count, emergencies: emergencies)])],
                    accountability: entries))
            return (b.units[0].tier, b.units[0].reasons)
        }
        #expect(tier(9).0 == .network && tier(9).1.isEmpty)
        #expect(tier(10).0 == .mayor)
        #expect(tier(10).1 == [TierReason(measure: .findings, value: 10, threshold: 10)])
        #expect(tier(1, emergencies: 1).0 == .mayor)
        #expect(tier(1, accountable: true).0 == .mayor)
        #expect(tier(1, accountable: true).1 == [TierReason(measure: .accountability, value: 1, threshold: 1)])
        #expect(tier(30).0 == .media)
        #expect(tier(3, emergencies: 3).0 == .media)
        #expect(
            tier(31, emergencies: 3).1 == [
                TierReason(measure: .findings, value: 31, threshold: 30),
                TierReason(measure: .emergencyFindings, value: 3, threshold: 3),
            ])

        // A threshold left out is not a criterion.
        var rules = BulletinRules()
        rules.mayor = TierRule(findings: 5)
        rules.media = TierRule()
        let b = Self.bulletin(
            Self.ledger([Self.unit("east", [.lateReplies: Self.tally(100, emergencies: 50)])]), rules: rules)
        #expect(b.units[0].tier == .mayor)
    }

    @Test func unitsAreListedMostSevereFirst() {
        let b = Self.bulletin(
            Self.ledger([
                Self.unit("east", [.handling: Self.tally(2)]), Self.unit("west", [.handling: Self.tally(40)]),
                Self.unit("housing", [.handling: Self.tally(12)]), Self.unit("police", [.handling: Self.tally(2)]),
            ]))
        #expect(b.units.map(\.unit.id) == ["west", "housing", "east", "police"])
        #expect(b.units(in: .network).map(\.unit.id) == ["east", "police"])
    }

    @Test func evidenceIsCutToTheExamplesOfTheRules() {
        let examples = (1...5).map { Self.evidence(CaseID("C\($0)"), "reply") }
        var rules = BulletinRules()
        rules.examples = 2
        let b = Self.bulletin(Self.ledger([Self.unit("east", [.lateReplies: Self.tally(9, examples)])]), rules: rules)
        #expect(b.units[0].findings[0].evidence.map(\.caseID) == ["C1", "C2"])
        #expect(b.units[0].findings[0].count == 9)
    }

    // Art. 13: an organ supervised twice or more is reported to discipline inspection and its superior
    // told; an enterprise is not reported, its industry authority is told.
    @Test func accountabilityNamesWhoIsReportedAndWhoIsTold() throws {
        let at = Fixtures.at("2026-11-12T00:00")
        let b = Self.bulletin(
            Self.ledger(
                [],
                accountability: [
                    AccountabilityEntry(
                        unit: "street-1", caseID: "C1", at: at, reported: true, told: "east", supervisions: 2),
                    AccountabilityEntry(
                        unit: "heat", caseID: "C2", at: at, reported: false, told: "housing", supervisions: 3),
                ]))
        let organ = b.accountability[0]
        #expect(organ.unit.zh == "东一街道办" && organ.nature == .organ && organ.reported)
        #expect(organ.told == UnitName(id: "east", zh: "东区政府", en: "East District"))
        #expect(organ.supervisions == 2 && organ.caseID == "C1" && organ.at == at)
        let enterprise = b.accountability[1]
        #expect(enterprise.nature == .enterprise && !enterprise.reported)
        #expect(enterprise.told?.zh == "住建局" && enterprise.supervisions == 3)
        // Accountability alone puts a unit in the bulletin, to the mayor in charge.
        #expect(b.units.map(\.unit.id) == ["heat", "street-1"])
        #expect(b.units.allSatisfy { $0.tier == .mayor && $0.accountability == 1 })
    }

    // Published practice: units below 92 % on-time replies or 85 % satisfaction are named, with
    // enough cases that none is named on one case.
    @Test func unitsAreNamedForLowReplyAndSatisfactionRates() {
        func figures(replied: Double, onTime: Double, satisfied: Double = 0, dissatisfied: Double = 0) -> CaseFigures {
            var f = CaseFigures()
            f.replied = replied
            f.repliedOnTime = onTime
            f.satisfied = satisfied
            f.dissatisfied = dissatisfied
            f.callbacks = satisfied + dissatisfied
            f.satisfactionRate = f.callbacks > 0 ? satisfied / f.callbacks : 0
            return f
        }
        let b = Self.bulletin(
            Self.ledger([
                Self.unit("east", figures: figures(replied: 100, onTime: 91)),  // 91 %: named
                Self.unit("west", figures: figures(replied: 100, onTime: 92)),  // 92 %: not below
                Self.unit("housing", figures: figures(replied: 9, onTime: 1)),  // too few replies
                Self.unit("police", figures: figures(replied: 20, onTime: 20, satisfied: 8, dissatisfied: 2)),
                Self.unit("fire", figures: figures(replied: 20, onTime: 20, satisfied: 9, dissatisfied: 0)),
            ]))
        #expect(b.named.map(\.unit.id) == ["east", "police"])
        #expect(b.named[0].measure == .replyRate && abs(b.named[0].value - 0.91) < 1e-12 && b.named[0].cases == 100)
        #expect(b.named[1].measure == .satisfaction && b.named[1].value == 0.8 && b.named[1].threshold == 0.85)
        #expect(b.named[1].cases == 10)
        // Named units with no failing are not criticised under Art. 13.
        #expect(b.units.isEmpty)
    }

    @Test func theBulletinCarriesTheMonthAndTheCentre() {
        var p = Self.ledger([])
        p.centre.registered = 42
        let b = Self.bulletin(p)
        #expect(b.period == "2026-11" && b.year == 2026 && b.month == 11)
        #expect(b.centre.zh == "受理中心" && b.figures.registered == 42)
    }

    @Test func periodsAreReadStrictly() {
        #expect(Bulletin.month("2026-11")! == (2026, 11))
        for bad in ["2026-13", "2026-1", "26-11", "2026-11-01", "", "2026/11", "２０２６-11"] {
            #expect(Bulletin.month(bad) == nil, "\(bad)")
        }
        #expect(Bulletin.period(of: Fixtures.at("2026-02-28T23:59")) == "2026-02")
    }
}
