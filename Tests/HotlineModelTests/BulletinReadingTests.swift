import HotlineCore
import HotlineTesting
import Testing

@testable import HotlineModel

/// The `bulletins:` and `assessment:` sections (Art. 13, 14) and the `reported:` time of a directory
/// change (Art. 13(2)): defaults, values as written, errors at their line.
@Suite struct BulletinReadingTests {
    static let head = """
        name: rules
        service: { threshold_s: 15 }
        arrivals: { rate_per_hour: 40 }
        operators: { count: 3 }
        handling:
          direct: { share: 1.0, talk: { exponential: { mean_s: 150 } } }

        """

    func load(_ text: String) throws(ModelLoadFailure) -> CityModel {
        try ModelLoader.load(text: Self.head + text, file: "rules.yaml").model
    }

    func errors(_ text: String) -> [ModelError] {
        do {
            _ = try load(text)
            return []
        } catch { return error.errors }
    }

    @Test func withoutTheSectionsTheDefaultsApply() throws {
        let m = try load("")
        #expect(m.bulletins == BulletinRules())
        #expect(m.assessment == AssessmentRules())
        #expect(m.bulletins.replyRateBelow == 0.92 && m.bulletins.satisfactionBelow == 0.85)
        #expect(m.bulletins.mayor == TierRule(findings: 10, emergencyFindings: 1, accountability: 1))
        #expect(m.bulletins.media == TierRule(findings: 30, emergencyFindings: 3))
    }

    @Test func theSectionsAreReadAsWritten() throws {
        let m = try load(
            """
            bulletins:
              naming: { reply_rate_below: 0.9, satisfaction_below: 0.8, minimum_cases: 20 }
              duty_line: { unanswered_above: 0.25, minimum_calls: 8 }
              tiers:
                mayor: { findings: 15 }
                media: { emergency_findings: 2, accountability: 3 }
              examples: 3
            assessment:
              kpis:
                satisfaction: { weight: 50, zero_at: 0.6 }
                on_time_reply: { weight: 50, full_at: 0.98, zero_at: 0.9 }
              deductions: { accountability: 10, supervision: 1 }
              minimum_cases: 5
            """)
        let b = m.bulletins
        #expect(b.replyRateBelow == 0.9 && b.satisfactionBelow == 0.8 && b.namingMinimumCases == 20)
        #expect(b.dutyLineUnansweredAbove == 0.25 && b.dutyLineMinimumCalls == 8 && b.examples == 3)
        // A tier written replaces its default: what it leaves out is no criterion.
        #expect(b.mayor == TierRule(findings: 15))
        #expect(b.media == TierRule(emergencyFindings: 2, accountability: 3))
        let a = m.assessment
        #expect(
            a.kpis == [
                KPIRule(.onTimeReply, weight: 50, fullAt: 0.98, zeroAt: 0.9),
                KPIRule(.satisfaction, weight: 50, zeroAt: 0.6),
            ])
        #expect(a.accountabilityDeduction == 10 && a.supervisionDeduction == 1 && a.minimumCases == 5)
    }

    // Art. 14: the assessment scores 100 points; another sum is refused at the line of `kpis`.
    @Test func weightsThatDoNotSumTo100AreAnError() throws {
        let found = errors(
            """
            assessment:
              kpis:
                organisation: { weight: 10 }
                satisfaction: { weight: 30 }
                on_time_reply: { weight: 55 }
            """)
        let e = try #require(found.first)
        #expect(found.count == 1)
        // The mapping of KPIs starts on the line of its first KPI.
        #expect(e.file == "rules.yaml" && e.line == 9 && e.field == "assessment.kpis")
        #expect(e.code == .sharesDoNotSum)
        #expect(e.message.contains("sum to 95, not 100"))
        #expect(e.description.hasPrefix("rules.yaml:9:5: assessment.kpis: the KPI weights sum to 95"))
    }

    @Test func badValuesAreRefusedAtTheirField() {
        let found = errors(
            """
            bulletins:
              naming: { reply_rate_below: 92 }
              tiers: { mayor: { findings: 0 }, press: {} }
              examples: 9
            assessment:
              kpis:
                timeliness: { weight: 100, full_at: 0.5, zero_at: 0.8 }
                knowledge_base: { weight: 0 }
            """)
        let fields = found.map(\.field)
        #expect(fields.contains("bulletins.naming.reply_rate_below"))
        #expect(fields.contains("bulletins.tiers.mayor.findings"))
        #expect(fields.contains("bulletins.tiers.press"))
        #expect(fields.contains("bulletins.examples"))
        #expect(fields.contains("assessment.kpis.timeliness.full_at"))
        #expect(fields.contains("assessment.kpis.knowledge_base"))
        #expect(
            found.first { $0.field == "assessment.kpis.timeliness.full_at" }?.message.contains("above zero_at") == true)
    }

    // Art. 9, 13(2): a change records when the unit reported it.
    @Test func aChangeKeepsWhenItWasReported() throws {
        let m = try load(
            """
            network:
              units:
                - { id: centre, name_zh: 中心, tier: 1, kind: centre }
                - { id: a, name_zh: 甲, tier: 2, kind: city_department }
              changes:
                - effective: 2026-10-15T00:00
                  reported: 2026-10-19T09:30
                  update: [{ id: a, name_zh: 甲局, tier: 2, kind: city_department }]
                - effective: 2026-11-01T00:00
                  remove: [a]
            """)
        let changes = m.router.directory.changes
        #expect(changes[0].reported == Instant(parsing: "2026-10-19T09:30"))
        #expect(changes[1].reported == nil)
    }

    @Test func theBundledModelHasItsRulesAndALateChange() throws {
        let m = try BundledModel.load().model
        #expect(m.assessment.kpis.reduce(0) { $0 + $1.weight } == 100)
        #expect(m.bulletins.replyRateBelow == 0.92 && m.bulletins.satisfactionBelow == 0.85)
        let change = try #require(m.router.directory.changes.first)
        #expect(try #require(change.reported) > change.effective)
    }
}
