internal import Foundation
package import HotlineCore

/// Renders the yearly target-management assessment (Art. 14) as a notice: the method, the ranking,
/// each unit's breakdown, the units not assessed. Terminal text, Markdown, one HTML page or JSON.
package enum AssessmentFormat {
    /// The assessment in one format and language.
    package static func render(
        _ a: Assessment, format: NoticeFormat, lang: NoticeLanguage = .zh, source: NoticeSource? = nil
    ) throws -> String {
        switch format {
        case .text: document(a, lang, source).text
        case .md: document(a, lang, source).markdown
        case .html: document(a, lang, source).html
        case .json: try json(a, lang, source)
        }
    }

    // MARK: Words

    static func subject(_ a: Assessment, _ lang: NoticeLanguage) -> String {
        lang.pick(
            "\(a.year)年度网络成员单位目标管理考核结果", "Target-management assessment of the member units, \(a.year)")
    }

    /// A KPI's name, its short column header and how it is measured.
    static func kpiWords(_ k: KPI, _ lang: NoticeLanguage) -> (name: String, short: String, measure: String) {
        switch k {
        case .organisation:
            (
                lang.pick("组织保障", "Organisation"), lang.pick("组织", "Org."),
                lang.pick("值班电话接听率(无呼叫的得满分)", "duty-line calls answered (full marks with no calls)")
            )
        case .onTimeReply:
            (
                lang.pick("按时回复", "On-time replies"), lang.pick("回复", "On time"),
                lang.pick("按期回复件数 ÷ 回复件数", "replied within the limit ÷ replied")
            )
        case .satisfaction:
            (
                lang.pick("群众满意", "Satisfaction"), lang.pick("满意", "Satisf."),
                lang.pick("(满意 + 基本满意)÷ 回访件数", "(satisfied + basically satisfied) ÷ verdicts at the callback")
            )
        case .timeliness:
            (
                lang.pick("签收及联系时效", "Timeliness"), lang.pick("时效", "Timely"),
                lang.pick("按时签收率与按时首次联系来电人率各占一半", "half signed for on time, half first contact on time")
            )
        case .information:
            (
                lang.pick("信息报送", "Information"), lang.pick("信息", "Info."),
                lang.pick(
                    "1 − 信息上报及派员到场超时次数 ÷ 承办的紧急上报案件数",
                    "1 − late information reports and attendances ÷ escalated cases held")
            )
        }
    }

    static func monthSpan(_ a: Assessment, _ lang: NoticeLanguage) -> String {
        guard let first = a.months.first.flatMap(Bulletin.month), let last = a.months.last.flatMap(Bulletin.month)
        else { return "" }
        if a.months.count == 1 {
            return lang.pick("\(first.year)年\(first.month)月", "\(BulletinFormat.monthName(first.month)) \(first.year)")
        }
        return lang.pick(
            "\(first.year)年\(first.month)月至\(last.month)月(\(a.months.count)个月)",
            "\(BulletinFormat.monthName(first.month)) to \(BulletinFormat.monthName(last.month)) \(last.year) (\(a.months.count) months)"
        )
    }

    /// The value a KPI measured, as a notice prints it.
    static func value(_ s: KPIScore, _ lang: NoticeLanguage) -> String {
        s.value.map { NoticeText.percent($0, lang) } ?? lang.pick("无应办事项", "nothing owed")
    }

    // MARK: The notice

    static func document(_ a: Assessment, _ lang: NoticeLanguage, _ source: NoticeSource?) -> NoticeDocument {
        var blocks: [NoticeDocument.Block] = []
        let r = a.rules
        let span = monthSpan(a, lang)
        blocks.append(.salutation(lang.pick("各网络成员单位:", "To the member units of the network:")))
        var opening = lang.pick(
            "根据《牡丹江市市长公开电话受理案件办理工作管理办法》第十四条,受理中心依据\(span)的案件办理情况,对网络成员单位进行了\(a.year)年度目标管理考核,现将结果通报如下。",
            "Under Art. 14 of the regulation, the centre assessed the member units for \(a.year) from how they handled their cases in \(span). The results follow."
        )
        if a.months.count < 12 {
            opening += lang.pick(
                "本次考核只包含有数据的\(a.months.count)个月。", " Only the \(a.months.count) months with figures are included.")
        }
        blocks.append(.paragraph(opening))

        // 一、考核办法
        blocks.append(.heading(NoticeText.section(1, lang) + lang.pick("考核办法", "The method"), level: 1))
        let header = [
            lang.pick("指标", "KPI"), lang.pick("分值", "Points"), lang.pick("计算方法", "Measure"),
            lang.pick("满分线", "Full at"), lang.pick("零分线", "Zero at"),
        ]
        let rows = r.kpis.map { k in
            let words = kpiWords(k.kpi, lang)
            return [
                words.name, NoticeText.plain(k.weight), words.measure, NoticeText.share(k.fullAt, lang),
                NoticeText.share(k.zeroAt, lang),
            ]
        }
        blocks.append(.table(header: header, rows: rows, right: [1, 3, 4]))
        blocks.append(
            .paragraph(
                lang.pick(
                    "各项得分 = 分值 ×(实际值 − 零分线)÷(满分线 − 零分线),最低0分、最高为该项分值;无应办事项的得满分。每件行政问责扣\(NoticeText.plain(r.accountabilityDeduction))分,每次督办扣\(NoticeText.plain(r.supervisionDeduction))分,总分最低为0分。全年登记案件少于\(r.minimumCases)件的单位不参加考核。",
                    "Each KPI earns its points × (value − zero at) ÷ (full at − zero at), at least 0 and at most its points; a KPI with nothing owed earns full marks. Each case held to account takes off \(NoticeText.plain(r.accountabilityDeduction)) points and each supervision \(NoticeText.plain(r.supervisionDeduction)); a score is never below 0. Units with fewer than \(r.minimumCases) cases registered in the year are not assessed."
                )))

        // 二、考核结果
        blocks.append(.heading(NoticeText.section(2, lang) + lang.pick("考核结果", "The ranking"), level: 1))
        if a.ranked.isEmpty {
            blocks.append(
                .paragraph(lang.pick("没有单位达到参加考核的案件数。", "No unit had enough cases to be assessed.")))
        } else {
            let header =
                [lang.pick("名次", "Rank"), lang.pick("单位", "Unit"), lang.pick("得分", "Score")]
                + r.kpis.map { kpiWords($0.kpi, lang).short + "/" + NoticeText.plain($0.weight) }
                + [lang.pick("扣分", "Deducted"), lang.pick("案件", "Cases")]
            let rows = a.ranked.map { s in
                ["\(s.rank ?? 0)", BulletinFormat.unitName(s.unit, lang), NoticeText.points(s.score)]
                    + s.kpis.map { NoticeText.points($0.points) }
                    + [
                        s.deductions > 0 ? "−" + NoticeText.points(s.deductions) : NoticeText.points(0),
                        NoticeText.whole(s.cases),
                    ]
            }
            blocks.append(.table(header: header, rows: rows, right: Set([0] + Array(2..<header.count))))
        }

        // 三、得分明细
        blocks.append(.heading(NoticeText.section(3, lang) + lang.pick("得分明细", "Each unit's score"), level: 1))
        if !a.ranked.isEmpty { blocks.append(.items(a.ranked.map { breakdown($0, r, lang) })) }

        // 四、未参加考核
        blocks.append(
            .heading(NoticeText.section(4, lang) + lang.pick("未参加考核的单位", "Units not assessed"), level: 1))
        if a.notAssessed.isEmpty {
            blocks.append(.paragraph(lang.pick("无。", "None.")))
        } else {
            let list = a.notAssessed.map {
                BulletinFormat.unitName($0.unit, lang) + lang.pick("(\($0.cases)件)", " (\($0.cases))")
            }
            blocks.append(
                .paragraph(
                    lang.pick(
                        "以下\(a.notAssessed.count)个单位全年登记案件少于\(r.minimumCases)件,不参加考核:" + list.joined(separator: "、")
                            + "。",
                        "These \(a.notAssessed.count) units had fewer than \(r.minimumCases) cases in the year and are not assessed: "
                            + list.joined(separator: ", ") + ".")))
        }

        // 五、说明
        blocks.append(.heading(NoticeText.section(5, lang) + lang.pick("说明", "Notes"), level: 1))
        var notes = [
            lang.pick(
                "考核指标、分值、满分线和零分线为本模型的假设,受理中心依每年制定下发的《目标管理考核办法》在模型中设定。",
                "The KPIs, their points and the values at full and zero marks are assumptions of the model; the centre sets them from the assessment rules it issues each year."
            ),
            lang.pick(
                "年度数据为各月数据之和,比率按合计数重新计算;得分相同的单位按单位代码排列。",
                "The year's counts are the months' added; rates are worked out again from the sums. Equal scores are listed by unit id."
            ),
            lang.pick(
                "依照第十五条,本考核结果只含统计数字,不含来电人电话号码及反映内容。",
                "Under Art. 15 this assessment holds counts only: no caller's number and nothing a caller said."),
        ]
        if let source { notes.append(source.sentence(lang)) }
        blocks.append(.items(notes.map { NoticeDocument.Item(head: $0) }))

        return NoticeDocument(
            lang: lang, title: [BulletinFormat.unitName(a.centre, lang), subject(a, lang)], blocks: blocks,
            signature: [BulletinFormat.unitName(a.centre, lang)])
    }

    /// One unit's score, KPI by KPI, so that it sees why.
    static func breakdown(_ s: UnitScore, _ r: AssessmentRules, _ lang: NoticeLanguage) -> NoticeDocument.Item {
        var head = BulletinFormat.unitName(s.unit, lang)
        if lang == .en { head += " (\(s.unit.id))" }
        head += lang.pick(":\(NoticeText.points(s.score))分", ": \(NoticeText.points(s.score)) points")
        var lines = s.kpis.map { k in
            NoticeDocument.Line(
                text: kpiWords(k.kpi, lang).name + lang.pick(":", ": ") + value(k, lang) + " → "
                    + NoticeText.points(k.points) + " / " + NoticeText.plain(k.max) + lang.pick("分", ""))
        }
        var deductions: [String] = []
        if s.accountability > 0 {
            deductions.append(
                lang.pick(
                    "行政问责\(s.accountability)件 × \(NoticeText.plain(r.accountabilityDeduction))分",
                    "\(s.accountability) held to account × \(NoticeText.plain(r.accountabilityDeduction))"))
        }
        if s.supervisions > 0 {
            deductions.append(
                lang.pick(
                    "督办\(s.supervisions)次 × \(NoticeText.plain(r.supervisionDeduction))分",
                    "\(s.supervisions) supervisions × \(NoticeText.plain(r.supervisionDeduction))"))
        }
        if !deductions.isEmpty {
            lines.append(
                NoticeDocument.Line(
                    text: lang.pick("扣分:", "Deducted: ") + deductions.joined(separator: lang.pick("、", ", "))
                        + lang.pick(",共", ", in all ") + NoticeText.points(s.deductions) + lang.pick("分", "")))
        }
        lines.append(
            NoticeDocument.Line(
                text: lang.pick("合计:", "Score: ") + NoticeText.points(s.kpiPoints) + " − "
                    + NoticeText.points(s.deductions) + " = " + NoticeText.points(s.score)
                    + (s.kpiPoints - s.deductions < 0 ? lang.pick("(不低于0分)", " (never below 0)") : "")))
        return NoticeDocument.Item(head: head, lines: lines)
    }

    // MARK: JSON

    struct JSONAssessment: Encodable {
        var kind = "assessment"
        var lang: String
        var year: Int
        var months: [String]
        var title: [String]
        var centre: BulletinFormat.JSONUnit
        var source: String?
        var rules: JSONRules
        var ranked: [JSONScore]
        var notAssessed: [JSONScore]
    }

    struct JSONRules: Encodable {
        var kpis: [JSONKPIRule]
        var accountabilityDeduction: Double
        var supervisionDeduction: Double
        var minimumCases: Int
    }

    struct JSONKPIRule: Encodable {
        var kpi: String
        var name: String
        var weight: Double
        var fullAt: Double
        var zeroAt: Double
    }

    struct JSONScore: Encodable {
        var rank: Int?
        var unit: BulletinFormat.JSONUnit
        var cases: Int
        var score: Double
        var kpiPoints: Double
        var deductions: Double
        var accountability: Int
        var supervisions: Int
        var kpis: [JSONKPI]
    }

    struct JSONKPI: Encodable {
        var kpi: String
        var name: String
        /// The measured share; `nil` when nothing was owed (full marks).
        var value: Double?
        var points: Double
        var max: Double
    }

    static func json(_ a: Assessment, _ lang: NoticeLanguage, _ source: NoticeSource?) throws -> String {
        func r2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        func score(_ s: UnitScore) -> JSONScore {
            JSONScore(
                rank: s.rank, unit: BulletinFormat.JSONUnit(s.unit), cases: s.cases, score: r2(s.score),
                kpiPoints: r2(s.kpiPoints), deductions: r2(s.deductions), accountability: s.accountability,
                supervisions: s.supervisions,
                kpis: s.kpis.map {
                    JSONKPI(
                        kpi: $0.kpi.rawValue, name: kpiWords($0.kpi, lang).name,
                        value: $0.value.map(BulletinFormat.round4), points: r2($0.points), max: $0.max)
                })
        }
        let doc = JSONAssessment(
            lang: lang.rawValue, year: a.year, months: a.months,
            title: [BulletinFormat.unitName(a.centre, lang), subject(a, lang)],
            centre: BulletinFormat.JSONUnit(a.centre),
            source: source?.sentence(lang),
            rules: JSONRules(
                kpis: a.rules.kpis.map {
                    JSONKPIRule(
                        kpi: $0.kpi.rawValue, name: kpiWords($0.kpi, lang).name, weight: $0.weight, fullAt: $0.fullAt,
                        zeroAt: $0.zeroAt)
                }, accountabilityDeduction: a.rules.accountabilityDeduction,
                supervisionDeduction: a.rules.supervisionDeduction, minimumCases: a.rules.minimumCases),
            ranked: a.ranked.map(score), notAssessed: a.notAssessed.map(score))
        return try BulletinFormat.encode(doc)
    }
}
