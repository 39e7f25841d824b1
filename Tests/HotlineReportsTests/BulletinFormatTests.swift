import Foundation
import HotlineModel
import HotlineSimulation
import Testing

@testable import HotlineCore
@testable import HotlineReports

/// The notices of Art. 13 and 14 as a centre issues them, and the run file they are written from.
struct BulletinFormatTests {
    static let directory = Directory(units: [
        Unit(id: "centre", nameZh: "某市受理中心", nameEn: "City Centre", tier: .centre, kind: .centre),
        Unit(id: "housing", nameZh: "住建局", nameEn: "Housing Bureau", tier: .two, kind: .cityDepartment),
        Unit(
            id: "heat", nameZh: "供热公司", nameEn: "Heating Co", tier: .three, kind: .enterprise,
            industryAuthority: "housing"),
    ])

    static func at(_ text: String) -> Instant { Instant(parsing: text)! }

    /// November 2026: the housing bureau late on a reply and not yet done with another, on an
    /// emergency; the heating company held to account.
    static let ledger: PeriodLedger = {
        var p = PeriodLedger(period: "2026-11")
        p.centre.registered = 1234
        var housing = UnitPeriod(unit: "housing")
        var late = FindingTally()
        late.count = 12
        late.emergencies = 1
        late.examples = [
            Evidence(caseID: "C5", what: "reply", at: at("2026-11-10T00:00"), lateBy: 90_000, emergency: false),
            Evidence(caseID: "C6", what: "reply", at: at("2026-11-12T09:30"), lateBy: nil, emergency: true),
        ]
        housing.findings[.lateReplies] = late
        housing.figures.replied = 20
        housing.figures.repliedOnTime = 17
        p.units = [housing]
        p.accountability = [
            AccountabilityEntry(
                unit: "heat", caseID: "C7", at: at("2026-11-20T00:00"), reported: false, told: "housing",
                supervisions: 2)
        ]
        return p
    }()

    static let bulletin = Bulletin(period: ledger, rules: BulletinRules(), directory: directory)

    @Test func theChineseNoticeReadsAsTheCentreIssuesIt() throws {
        let text = try BulletinFormat.render(Self.bulletin, format: .text)
        #expect(text.hasPrefix("某市受理中心\n关于2026年11月份案件办理情况的通报\n"))
        for section in ["一、总体情况", "二、通报批评的单位", "三、按时回复率、满意率未达标的单位", "四、行政问责", "五、说明"] {
            #expect(text.contains(section), "\(section)")
        }
        #expect(text.contains("本月受理中心登记案件1,234件"))
        #expect(text.contains("向主管市长通报"))
        #expect(text.contains("第十三条第(五)项"))
        #expect(text.contains("案件 C5:回复时限 2026-11-10 00:00,超时1天1小时"))
        #expect(text.contains("【紧急】案件 C6:回复时限 2026-11-12 09:30,截至统计时仍未办理"))
        #expect(text.contains("住建局:按时回复率85.0%(回复20件),低于92%"))
        #expect(text.contains("供热公司(企业)"))
        #expect(text.contains("通报其行业主管部门住建局"))
        #expect(text.contains("第十五条"))
    }

    @Test func theEnglishNoticeSaysTheSame() throws {
        let text = try BulletinFormat.render(Self.bulletin, format: .text, lang: .en)
        #expect(text.hasPrefix("City Centre\nBulletin on the handling of cases, November 2026\n"))
        #expect(text.contains("Art. 13(5) late replies, feedback or closure: 12, 1 on emergencies"))
        #expect(text.contains("case C5: reply due 2026-11-10 00:00, 1 d 1 h late"))
        #expect(text.contains("[emergency] case C6: reply due 2026-11-12 09:30, still not done when counted"))
        #expect(text.contains("Tier: to the mayor in charge; because of 12 findings ≥ 10, 1 on emergencies ≥ 1"))
        #expect(text.contains("its industry authority Housing Bureau told"))
    }

    @Test func markdownAndHTMLCarryTheTableOfUnits() throws {
        let md = try BulletinFormat.render(Self.bulletin, format: .md)
        #expect(md.hasPrefix("# 某市受理中心<br>关于2026年11月份案件办理情况的通报\n"))
        #expect(md.contains("\n## 二、通报批评的单位\n"))
        #expect(md.contains("| 住建局 | 向主管市长通报 | 12 | 1 |"))
        let html = try BulletinFormat.render(Self.bulletin, format: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<html lang=\"zh-CN\">"))
        #expect(html.contains("<tr class=\"mayor\"><td>住建局</td>"))
        #expect(html.contains("@media print"))
        // One self-contained page: no scripts, nothing fetched.
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
    }

    @Test func jsonHasSnakeCaseKeysAndTheEvidence() throws {
        let json = try BulletinFormat.render(Self.bulletin, format: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "bulletin" && object["period"] as? String == "2026-11")
        let unit = try #require((object["units"] as? [[String: Any]])?.first)
        #expect(unit["tier"] as? String == "mayor" && unit["findings_total"] as? Int == 12)
        let finding = try #require((unit["findings"] as? [[String: Any]])?.first)
        #expect(finding["article"] as? String == "Art. 13(5)" && finding["failing"] as? String == "late_replies")
        let evidence = try #require(finding["evidence"] as? [[String: Any]])
        #expect(evidence[0]["case_id"] as? String == "C5" && evidence[0]["late_by_hours"] as? Double == 25)
        #expect(evidence[0]["at"] as? String == "2026-11-10T00:00:00+08:00")
        #expect(evidence[1]["done"] as? Bool == false && evidence[1]["late_by_hours"] == nil)
        let accountability = try #require((object["accountability"] as? [[String: Any]])?.first)
        #expect(accountability["reported_to_discipline_inspection"] as? Bool == false)
        #expect((accountability["told"] as? [String: Any])?["id"] as? String == "housing")
    }

    @Test func theAssessmentShowsTheRankingAndEachBreakdown() throws {
        let a = Assessment(year: 2026, periods: [Self.ledger], rules: AssessmentRules(), directory: Self.directory)
        let text = try AssessmentFormat.render(a, format: .text)
        #expect(text.contains("2026年度网络成员单位目标管理考核结果"))
        for section in ["一、考核办法", "二、考核结果", "三、得分明细", "四、未参加考核的单位", "五、说明"] {
            #expect(text.contains(section), "\(section)")
        }
        // Both units have fewer than 30 cases: none is ranked, both are listed.
        #expect(text.contains("住建局(0件)") && text.contains("供热公司(0件)"))
        var rules = AssessmentRules()
        rules.minimumCases = 0
        let ranked = Assessment(year: 2026, periods: [Self.ledger], rules: rules, directory: Self.directory)
        let en = try AssessmentFormat.render(ranked, format: .text, lang: .en)
        #expect(en.contains("On-time replies: 85.0 % → 7.50 / 30"))
        #expect(en.contains("Score: 100.00 − 5.00 = 95.00"))  // the heating company, held to account once
        let json = try AssessmentFormat.render(ranked, format: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let first = try #require((object["ranked"] as? [[String: Any]])?.first)
        #expect(first["rank"] as? Int == 1 && first["kpi_points"] != nil)
    }

    @Test func aTerminalTableCountsChineseCharactersTwice() {
        #expect(NoticeDocument.displayWidth("住建局") == 6 && NoticeDocument.displayWidth("ab1") == 3)
        let rows = NoticeDocument.textTable([["单位", "n"], ["住建局", "12"], ["x", "3"]], right: [1])
        #expect(rows == ["单位     n", "住建局  12", "x        3"])
    }

    // The run file: what `simulate --json` wrote reads back to the same months, the keys of the
    // failings and the case numbers included (Foundation's own snake-case decoding loses both).
    @Test func aRunReadsBackToTheSameMonths() async throws {
        var summary = await SummaryFormatTests.summary.value
        summary.periods = [Self.ledger]
        let text = try SummaryFormat.json(summary)
        let back = try RunFile.summary(from: Data(text.utf8))
        #expect(back.periods == [Self.ledger])
        #expect(back.dispositions == summary.dispositions)
        #expect(back.model == summary.model && back.days == summary.days)
        // Keys a newer hotline adds are ignored.
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        object["something_new"] = ["nested": [1, 2]]
        let extended = try JSONSerialization.data(withJSONObject: object)
        #expect(try RunFile.summary(from: extended).periods == [Self.ledger])
    }

    @Test func aFileThatIsNotARunSaysWhy() {
        func reason(_ text: String) -> String? {
            do {
                _ = try RunFile.summary(from: Data(text.utf8))
                return nil
            } catch { return error.reason }
        }
        #expect(reason("{}") == "no key 'model'")
        #expect(reason("[1, 2") == "not JSON")
        #expect(reason("hello") == "not JSON")
        #expect(RunFile.camelCase("reply_working_days_mean") == "replyWorkingDaysMean")
        #expect(RunFile.snakeCase("caseID") == "case_id")
    }
}
