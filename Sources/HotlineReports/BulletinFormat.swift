internal import Foundation
package import HotlineCore

/// Where the figures of a notice came from, said in its closing notes.
package struct NoticeSource: Sendable {
    package enum Kind: Sendable {
        /// A simulated run (`hotline simulate --json`): the model, the first day and the days.
        case simulation(model: String, start: String, days: Int)
        /// The live case store of `hotline serve`.
        case store(path: String)
    }

    package var kind: Kind
    /// The first day counted, when it falls after the start of the period (a run that starts mid-month).
    package var countedFrom: CivilDate?
    /// The last day counted, when it falls before the end of the period (a run that stops mid-month).
    package var countedTo: CivilDate?
    /// Hours east of UTC of the times printed in JSON.
    package var utcOffsetHours: Int

    package init(_ kind: Kind, countedFrom: CivilDate? = nil, countedTo: CivilDate? = nil, utcOffsetHours: Int = 8) {
        self.kind = kind
        self.countedFrom = countedFrom
        self.countedTo = countedTo
        self.utcOffsetHours = utcOffsetHours
    }

    func sentence(_ lang: NoticeLanguage) -> String {
        switch kind {
        case .simulation(let model, let start, let days):
            lang.pick(
                "本文数据来自模型 \(model) 的模拟运行(\(start) 起 \(days) 天),不是真实案件。",
                "The figures come from a simulated run of the model \(model) (\(days) days from \(start)), not from real cases."
            )
        case .store(let path):
            lang.pick("本文数据来自案件库 \(path)。", "The figures come from the case store \(path).")
        }
    }
}

/// Renders a monthly bulletin (Art. 13) as a notice the centre issues: terminal text, Markdown, one
/// HTML page or JSON. Chinese by default. Nothing in a bulletin is a caller's number or words (Art. 15).
package enum BulletinFormat {
    /// The bulletin in one format and language.
    package static func render(
        _ b: Bulletin, format: NoticeFormat, lang: NoticeLanguage = .zh, source: NoticeSource? = nil
    ) throws -> String {
        switch format {
        case .text: document(b, lang, source).text
        case .md: document(b, lang, source).markdown
        case .html: document(b, lang, source).html
        case .json: try json(b, lang, source)
        }
    }

    // MARK: Words

    /// The title of a bulletin: `关于2026年11月份案件办理情况的通报`.
    static func subject(_ b: Bulletin, _ lang: NoticeLanguage) -> String {
        lang.pick(
            "关于\(b.year)年\(b.month)月份案件办理情况的通报",
            "Bulletin on the handling of cases, \(monthName(b.month)) \(b.year)")
    }

    static func monthName(_ m: Int) -> String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return (1...12).contains(m) ? names[m - 1] : "\(m)"
    }

    /// The failing as Art. 13 words it, with its item.
    static func failingTitle(_ f: Failing, _ lang: NoticeLanguage) -> String {
        let zh: String
        let en: String
        switch f {
        case .staffing:
            (zh, en) = ("未配备专职人员、专用设备,值班电话无人接听", "no dedicated staff or equipment: the duty line goes unanswered")
        case .unreportedChanges: (zh, en) = ("机构调整、人员变动等重要情况未及时报告受理中心", "changes not reported to the centre in time")
        case .handling: (zh, en) = ("案件办理不及时、推诿", "slow or evasive handling")
        case .meetings: (zh, en) = ("现场会、协调会等未按时派员参加", "not at on-site or coordination meetings in time")
        case .lateReplies: (zh, en) = ("案件办理情况未及时回复、反馈及办理结案手续", "late replies, feedback or closure")
        case .information: (zh, en) = ("信息上报不及时", "late information reports")
        }
        return lang.pick("第十三条第(\(NoticeText.chineseNumeral(f.item)))项 " + zh, "\(f.article) " + en)
    }

    static func tierName(_ t: BulletinTier, _ lang: NoticeLanguage) -> String {
        switch t {
        case .network: lang.pick("网络内部通报", "within the network")
        case .mayor: lang.pick("向主管市长通报", "to the mayor in charge")
        case .media: lang.pick("媒体曝光", "in the media")
        }
    }

    static func reason(_ r: TierReason, _ lang: NoticeLanguage) -> String {
        switch r.measure {
        case .findings: lang.pick("问题\(r.value)项 ≥ \(r.threshold)", "\(r.value) findings ≥ \(r.threshold)")
        case .emergencyFindings:
            lang.pick("紧急案件问题\(r.value)项 ≥ \(r.threshold)", "\(r.value) on emergencies ≥ \(r.threshold)")
        case .accountability:
            lang.pick("行政问责\(r.value)件 ≥ \(r.threshold)", "\(r.value) held to account ≥ \(r.threshold)")
        }
    }

    /// A tier's thresholds in words: `问题≥10项、紧急案件问题≥1项或行政问责≥1件`.
    static func rule(_ t: TierRule, _ lang: NoticeLanguage) -> String {
        var parts: [String] = []
        if let n = t.findings { parts.append(lang.pick("问题≥\(n)项", "\(n) or more findings")) }
        if let n = t.emergencyFindings {
            parts.append(lang.pick("紧急案件问题≥\(n)项", "\(n) or more on emergencies"))
        }
        if let n = t.accountability { parts.append(lang.pick("行政问责≥\(n)件", "\(n) or more held to account")) }
        guard !parts.isEmpty else { return lang.pick("(不适用)", "(never)") }
        if parts.count == 1 { return parts[0] }
        return parts.dropLast().joined(separator: lang.pick("、", ", ")) + lang.pick("或", " or ") + parts.last!
    }

    static func unitName(_ u: UnitName, _ lang: NoticeLanguage) -> String { lang.pick(u.zh, u.en) }

    static func natureName(_ n: UnitNature?, _ lang: NoticeLanguage) -> String? {
        switch n {
        case .organ: lang.pick("党政机关", "a party or government organ")
        case .institution: lang.pick("事业单位", "a public institution")
        case .enterprise: lang.pick("企业", "an enterprise")
        case nil: nil
        }
    }

    static func step(_ what: String, _ lang: NoticeLanguage) -> String {
        switch what {
        case "sign_for": lang.pick("签收", "sign-for")
        case "first_contact": lang.pick("首次联系来电人", "first contact with the caller")
        case "reply": lang.pick("回复", "reply")
        case "closure_report": lang.pick("结案报告", "closure report")
        case "attendance": lang.pick("派员到场", "attendance")
        case "information": lang.pick("信息上报", "information report")
        default: what
        }
    }

    /// One piece of evidence: `案件 C14512:回复时限 2026-11-03 00:00,超时1天4小时`.
    static func evidence(_ e: Evidence, note: String?, _ lang: NoticeLanguage) -> String {
        let urgent = e.emergency ? lang.pick("【紧急】", "[emergency] ") : ""
        let caseText = e.caseID.map { lang.pick("案件 \($0.rawValue):", "case \($0.rawValue): ") } ?? ""
        let at = NoticeText.time(e.at)
        let line: String
        switch e.what {
        case "return":
            line = lang.pick(
                "退回本单位应办的案件(推诿),案件登记于 \(at)", "returned a case that was its own (evasion), registered \(at)")
        case "dissatisfied":
            line = lang.pick("来电人两次回访均不满意(回复于 \(at))", "the caller was dissatisfied at two callbacks (replied \(at))")
        case "change":
            let late = e.lateBy ?? 0
            let reported = NoticeText.time(e.at + late)
            let why = note.map { $0.isEmpty ? "" : lang.pick(":", ": ") + $0 } ?? ""
            line = lang.pick(
                "\(at) 生效的变更,\(reported) 才报告受理中心,迟报\(NoticeText.duration(late, lang))\(why)",
                "a change in force from \(at) reported to the centre on \(reported), \(NoticeText.duration(late, lang)) late\(why)"
            )
        default:
            let limit = lang.pick("\(step(e.what, lang))时限 \(at)", "\(step(e.what, lang)) due \(at)")
            if let late = e.lateBy {
                line =
                    limit
                    + lang.pick(",超时\(NoticeText.duration(late, lang))", ", \(NoticeText.duration(late, lang)) late")
            } else {
                line = limit + lang.pick(",截至统计时仍未办理", ", still not done when counted")
            }
        }
        return urgent + caseText + line
    }

    /// A finding's line: `第十三条第(五)项 …:16项,其中紧急案件2项`.
    static func findingLine(_ f: BulletinFinding, _ rules: BulletinRules, _ lang: NoticeLanguage) -> NoticeDocument.Line
    {
        var text = failingTitle(f.failing, lang) + lang.pick(":\(f.count)项", ": \(f.count)")
        if f.emergencies > 0 { text += lang.pick(",其中紧急案件\(f.emergencies)项", ", \(f.emergencies) on emergencies") }
        var sub: [String] = []
        if let d = f.dutyLine {
            let share = NoticeText.percent(Double(d.unanswered) / Double(max(1, d.calls)), lang)
            let limit = NoticeText.share(rules.dutyLineUnansweredAbove, lang)
            sub.append(
                lang.pick(
                    "值班电话本月呼叫\(d.calls)次,未接听\(d.unanswered)次(\(share)),超过\(limit)",
                    "the duty line left \(d.unanswered) of \(d.calls) calls unanswered (\(share)), above \(limit)"))
        }
        for (k, e) in f.evidence.enumerated() {
            sub.append(evidence(e, note: k < f.notes.count ? f.notes[k] : nil, lang))
        }
        if f.count > f.evidence.count && !f.evidence.isEmpty {
            sub.append(
                lang.pick(
                    "……共\(f.count)项,列举前\(f.evidence.count)项", "… \(f.count) in all, the first \(f.evidence.count) shown"
                ))
        }
        return NoticeDocument.Line(text: text, sub: sub)
    }

    static func rate(_ part: Double, _ whole: Double, _ lang: NoticeLanguage) -> String {
        whole > 0 ? NoticeText.percent(part / whole, lang) : "—"
    }

    // MARK: The notice

    static func document(_ b: Bulletin, _ lang: NoticeLanguage, _ source: NoticeSource?) -> NoticeDocument {
        var blocks: [NoticeDocument.Block] = []
        let f = b.figures
        let w = NoticeText.whole as (Double) -> String
        let monthText = lang.pick("\(b.year)年\(b.month)月份", "\(monthName(b.month)) \(b.year)")
        var opening = lang.pick(
            "根据《牡丹江市市长公开电话受理案件办理工作管理办法》第十三条,现将\(monthText)市长公开电话受理案件办理情况通报如下。",
            "Under Art. 13 of the regulation on the handling of cases of the mayor's public telephone, the centre reports how the network's units handled their cases in \(monthText)."
        )
        switch (source?.countedFrom, source?.countedTo) {
        case (let from?, let to?):
            opening += lang.pick(
                "(统计时段为\(from.month)月\(from.day)日至\(to.month)月\(to.day)日。)", " (Counted from \(from) to \(to).)")
        case (let from?, nil):
            opening += lang.pick("(统计自\(from.month)月\(from.day)日起。)", " (Counted from \(from).)")
        case (nil, let to?):
            opening += lang.pick("(统计截至\(to.year)年\(to.month)月\(to.day)日。)", " (Counted to \(to).)")
        case (nil, nil): break
        }
        blocks.append(.salutation(lang.pick("各网络成员单位:", "To the member units of the network:")))
        blocks.append(.paragraph(opening))

        // 一、总体情况
        blocks.append(.heading(NoticeText.section(1, lang) + lang.pick("总体情况", "The month in figures"), level: 1))
        blocks.append(
            .paragraph(
                lang.pick(
                    "本月受理中心登记案件\(w(f.registered))件,其中电话交办\(w(f.phoneDispatch))件、书面交办\(w(f.workOrder))件、紧急上报\(w(f.escalation))件、报市政府确定承办单位\(w(f.government))件、转送\(w(f.referred))件。"
                        + "签收\(w(f.signedFor))件,按时签收率\(rate(f.signedForOnTime, f.signedFor, lang));"
                        + "回复\(w(f.replied))件,按时回复率\(rate(f.repliedOnTime, f.replied, lang));"
                        + "办结\(w(f.closed))件,按时报送结案报告率\(rate(f.closedOnTime, f.closed, lang));"
                        + "超期\(w(f.overdue))件,督办\(w(f.supervised))件\(w(f.supervisions))次;"
                        + "回访\(w(f.callbacks))件,满意率\(rate(f.satisfied + f.basicallySatisfied, f.callbacks, lang))(满意\(w(f.satisfied))件、基本满意\(w(f.basicallySatisfied))件、不满意\(w(f.dissatisfied))件);"
                        + "行政问责\(b.accountability.count)件。",
                    "The centre registered \(w(f.registered)) cases this month: \(w(f.phoneDispatch)) dispatched by telephone, \(w(f.workOrder)) by written work order, \(w(f.escalation)) escalated as emergencies, \(w(f.government)) sent to the city government to decide who handles them and \(w(f.referred)) referred. "
                        + "\(w(f.signedFor)) were signed for, \(rate(f.signedForOnTime, f.signedFor, lang)) on time; "
                        + "\(w(f.replied)) replied, \(rate(f.repliedOnTime, f.replied, lang)) on time; "
                        + "\(w(f.closed)) closed, \(rate(f.closedOnTime, f.closed, lang)) with the closure report on time; "
                        + "\(w(f.overdue)) went overdue, and \(w(f.supervised)) were supervised \(w(f.supervisions)) times. "
                        + "\(w(f.callbacks)) callers gave a verdict at the callback, \(rate(f.satisfied + f.basicallySatisfied, f.callbacks, lang)) satisfied or basically satisfied (\(w(f.satisfied)) satisfied, \(w(f.basicallySatisfied)) basically satisfied, \(w(f.dissatisfied)) dissatisfied). "
                        + "\(b.accountability.count) case\(b.accountability.count == 1 ? "" : "s") led to accountability."
                )))
        let counts = BulletinTier.allCases.reversed().map { b.units(in: $0).count }
        blocks.append(
            .paragraph(
                lang.pick(
                    "本月有\(b.units.count)个网络成员单位存在第十三条所列问题,其中媒体曝光\(counts[0])个、向主管市长通报\(counts[1])个、网络内部通报\(counts[2])个;按时回复率或满意率未达标\(b.named.count)次;督办两次以上仍未认真办理、报请问责\(b.accountability.count)件。",
                    "\(b.units.count) member units showed failings of Art. 13 this month: \(counts[0]) are exposed in the media, \(counts[1]) reported to the mayor in charge and \(counts[2]) criticised within the network. Units fell below the reply or satisfaction standard \(b.named.count) times, and \(b.accountability.count) case\(b.accountability.count == 1 ? " was" : "s were") taken to accountability after two or more supervisions."
                )))

        // 二、通报批评
        blocks.append(
            .heading(NoticeText.section(2, lang) + lang.pick("通报批评的单位", "Units criticised (Art. 13)"), level: 1))
        if b.units.isEmpty {
            blocks.append(.paragraph(lang.pick("本月没有单位存在第十三条所列问题。", "No unit showed a failing of Art. 13 this month.")))
        } else {
            let header =
                [
                    lang.pick("单位", "Unit"), lang.pick("通报级别", "Tier"), lang.pick("问题", "Findings"),
                    lang.pick("紧急", "Emerg."),
                ]
                + Failing.allCases.map { lang.pick("(\(NoticeText.chineseNumeral($0.item)))", "13(\($0.item))") }
                + [lang.pick("按时回复率", "On-time replies"), lang.pick("满意率", "Satisfaction")]
            let rows = b.units.map { u in
                [
                    unitName(u.unit, lang), lang.pick(tierName(u.tier, lang), u.tier.rawValue), "\(u.total)",
                    "\(u.emergencies)",
                ]
                    + Failing.allCases.map { u[$0].map { "\($0.count)" } ?? "" }
                    + [
                        rate(u.figures.repliedOnTime, u.figures.replied, lang),
                        rate(u.figures.satisfied + u.figures.basicallySatisfied, u.figures.callbacks, lang),
                    ]
            }
            blocks.append(
                .table(header: header, rows: rows, right: Set(2..<header.count), marks: b.units.map(\.tier.rawValue)))
            var sub = 0
            for tier in BulletinTier.allCases.reversed() {
                let units = b.units(in: tier)
                guard !units.isEmpty else { continue }
                sub += 1
                blocks.append(
                    .heading(
                        NoticeText.subsection(sub, lang) + tierName(tier, lang)
                            + lang.pick("(\(units.count)个单位)", " (\(units.count) unit\(units.count == 1 ? "" : "s"))"),
                        level: 2))
                blocks.append(.items(units.map { unitItem($0, b.rules, lang) }))
            }
        }

        // 三、未达标
        blocks.append(
            .heading(
                NoticeText.section(3, lang)
                    + lang.pick("按时回复率、满意率未达标的单位", "Units below the reply or satisfaction standard"),
                level: 1))
        let n = b.rules.namingMinimumCases
        blocks.append(
            .paragraph(
                lang.pick(
                    "按时回复率低于\(NoticeText.share(b.rules.replyRateBelow, lang))(本月回复不少于\(n)件)或满意率低于\(NoticeText.share(b.rules.satisfactionBelow, lang))(本月回访不少于\(n)件)的单位予以点名。",
                    "A unit is named when fewer than \(NoticeText.share(b.rules.replyRateBelow, lang)) of its replies were on time (of \(n) or more replies in the month), or fewer than \(NoticeText.share(b.rules.satisfactionBelow, lang)) of its callers were satisfied (of \(n) or more verdicts)."
                )))
        if b.named.isEmpty {
            blocks.append(.paragraph(lang.pick("本月没有未达标的单位。", "No unit is named this month.")))
        } else {
            blocks.append(
                .items(
                    b.named.map { u in
                        let what =
                            u.measure == .replyRate
                            ? lang.pick(
                                "按时回复率\(NoticeText.percent(u.value, lang))(回复\(u.cases)件)",
                                "\(NoticeText.percent(u.value, lang)) of \(u.cases) replies on time")
                            : lang.pick(
                                "满意率\(NoticeText.percent(u.value, lang))(回访\(u.cases)件)",
                                "\(NoticeText.percent(u.value, lang)) of \(u.cases) callers satisfied")
                        return NoticeDocument.Item(
                            head: unitName(u.unit, lang) + lang.pick(":", ": ") + what
                                + lang.pick(
                                    ",低于\(NoticeText.share(u.threshold, lang))",
                                    ", below \(NoticeText.share(u.threshold, lang))"))
                    }))
        }

        // 四、行政问责
        blocks.append(.heading(NoticeText.section(4, lang) + lang.pick("行政问责", "Accountability"), level: 1))
        if b.accountability.isEmpty {
            blocks.append(
                .paragraph(lang.pick("本月没有督办两次以上仍未认真办理的案件。", "No case was taken to accountability this month.")))
        } else {
            blocks.append(
                .paragraph(
                    lang.pick(
                        "以下单位承办的案件经受理中心督办两次以上仍未认真办理,依照第十三条处理:",
                        "These units still did not handle their cases properly after the centre supervised them twice or more; under Art. 13:"
                    )))
            blocks.append(.items(b.accountability.map { accountabilityItem($0, lang) }))
        }

        // 五、说明
        blocks.append(.heading(NoticeText.section(5, lang) + lang.pick("说明", "Notes"), level: 1))
        let r = b.rules
        var notes = [
            lang.pick(
                "第十三条第(一)项以值班电话未接听比例超过\(NoticeText.share(r.dutyLineUnansweredAbove, lang))(当月呼叫不少于\(r.dutyLineMinimumCalls)次)认定;第(二)项以机构调整等情况晚于生效时间报告受理中心认定;其余各项以案件各环节超过时限、推诿退单及来电人两次不满意认定。",
                "Art. 13(1) is found when a duty line leaves more than \(NoticeText.share(r.dutyLineUnansweredAbove, lang)) of its calls unanswered (of \(r.dutyLineMinimumCalls) or more in the month); 13(2) when a change is reported to the centre after it took effect; the others from steps of cases past their limits, cases returned that were the unit's own, and callers dissatisfied twice."
            ),
            lang.pick(
                "通报级别:\(rule(r.media, lang))的,媒体曝光;\(rule(r.mayor, lang))的,向主管市长通报;其余在网络内部通报。",
                "Tiers: in the media with \(rule(r.media, lang)); to the mayor in charge with \(rule(r.mayor, lang)); otherwise within the network."
            ),
            lang.pick(
                "每项问题列举不超过\(r.examples)个案件;案件按登记月份统计,问题按时限届满月份统计。",
                "At most \(r.examples) cases are listed for each finding; cases count in the month they were registered, findings in the month their limit passed."
            ),
            lang.pick(
                "依照第十五条,本通报只列案件编号、时限和统计数字,不含来电人电话号码及反映内容。",
                "Under Art. 15 this bulletin lists case numbers, limits and counts only: no caller's number and nothing a caller said."
            ),
        ]
        if let source { notes.append(source.sentence(lang)) }
        blocks.append(.items(notes.map { NoticeDocument.Item(head: $0) }))

        return NoticeDocument(
            lang: lang, title: [unitName(b.centre, lang), subject(b, lang)], blocks: blocks,
            signature: [unitName(b.centre, lang)])
    }

    static func unitItem(_ u: UnitNotice, _ rules: BulletinRules, _ lang: NoticeLanguage) -> NoticeDocument.Item {
        var head = unitName(u.unit, lang)
        if lang == .en { head += " (\(u.unit.id))" }
        head += lang.pick(":问题\(u.total)项", ": \(u.total) finding\(u.total == 1 ? "" : "s")")
        if u.emergencies > 0 { head += lang.pick(",其中紧急案件\(u.emergencies)项", ", \(u.emergencies) on emergencies") }
        if u.accountability > 0 {
            head += lang.pick(",行政问责\(u.accountability)件", ", \(u.accountability) held to account")
        }
        let why =
            u.reasons.isEmpty
            ? lang.pick("(一般情况)", " (the ordinary case)")
            : lang.pick(";依据:", "; because of ")
                + u.reasons.map { reason($0, lang) }.joined(separator: lang.pick("、", ", "))
        let lines =
            [NoticeDocument.Line(text: lang.pick("通报级别:", "Tier: ") + tierName(u.tier, lang) + why)]
            + u.findings.map { findingLine($0, rules, lang) }
        return NoticeDocument.Item(head: head, lines: lines, mark: u.tier.rawValue)
    }

    static func accountabilityItem(_ a: AccountabilityNotice, _ lang: NoticeLanguage) -> NoticeDocument.Item {
        var head = unitName(a.unit, lang)
        if let nature = natureName(a.nature, lang) { head += lang.pick("(\(nature))", " (\(nature))") }
        let at = NoticeText.time(a.at)
        var text = lang.pick(
            "案件 \(a.caseID.rawValue) 经督办\(a.supervisions)次仍未认真办理,于 \(at) ",
            "case \(a.caseID.rawValue), supervised \(a.supervisions) times and still not handled properly; on \(at)")
        if a.reported {
            text += lang.pick(
                "报市纪检监察部门进行行政问责", " reported to the city's discipline inspection for administrative accountability")
            if let told = a.told {
                text += lang.pick(",同时通报其上级主管部门\(unitName(told, lang))", ", its superior \(unitName(told, lang)) told")
            }
            text += lang.pick(",并报市委、市政府主要领导。", ", and the city's leaders informed.")
        } else if let told = a.told {
            text += lang.pick(
                "通报其行业主管部门\(unitName(told, lang))。", " its industry authority \(unitName(told, lang)) told.")
        } else {
            text += lang.pick(
                "通报其行业主管部门(网络名录未列明该单位的行业主管部门)。", " its industry authority to be told (the directory names none).")
        }
        return NoticeDocument.Item(head: head, lines: [NoticeDocument.Line(text: text)])
    }

    // MARK: JSON

    struct JSONBulletin: Encodable {
        var kind = "bulletin"
        var lang: String
        var period: String
        var title: [String]
        var centre: JSONUnit
        var countedFrom: String?
        var countedTo: String?
        var source: String?
        var figures: CaseFigures
        var units: [JSONUnitNotice]
        var named: [JSONNamed]
        var accountability: [JSONAccountability]
        var rules: JSONRules
    }

    struct JSONUnit: Encodable {
        var id: String
        var nameZh: String
        var nameEn: String

        init(_ u: UnitName) {
            id = u.id.rawValue
            nameZh = u.zh
            nameEn = u.en
        }
    }

    struct JSONUnitNotice: Encodable {
        var unit: JSONUnit
        var nature: String?
        var tier: String
        var tierName: String
        var reasons: [JSONReason]
        var findingsTotal: Int
        var emergencies: Int
        var accountability: Int
        var onTimeReplyRate: Double?
        var satisfactionRate: Double?
        var findings: [JSONFinding]
    }

    struct JSONReason: Encodable {
        var measure: String
        var value: Int
        var threshold: Int
    }

    struct JSONFinding: Encodable {
        var failing: String
        var article: String
        var title: String
        var count: Int
        var emergencies: Int
        var dutyLine: DutyLineTally?
        var evidence: [JSONEvidence]
    }

    struct JSONEvidence: Encodable {
        var caseId: String?
        var what: String
        /// The limit that passed (or when the return, the reply or the change happened), ISO 8601.
        var at: String
        /// Hours late, to a tenth; `nil` while still not done.
        var lateByHours: Double?
        var done: Bool
        var emergency: Bool
        var note: String?
        var text: String
    }

    struct JSONNamed: Encodable {
        var unit: JSONUnit
        var measure: String
        var value: Double
        var threshold: Double
        var cases: Int
    }

    struct JSONAccountability: Encodable {
        var unit: JSONUnit
        var nature: String?
        var caseId: String
        var at: String
        var reportedToDisciplineInspection: Bool
        var told: JSONUnit?
        var supervisions: Int
        var text: String
    }

    struct JSONRules: Encodable {
        var replyRateBelow: Double
        var satisfactionBelow: Double
        var namingMinimumCases: Int
        var dutyLineUnansweredAbove: Double
        var dutyLineMinimumCalls: Int
        var mayor: JSONTierRule
        var media: JSONTierRule
        var examples: Int
    }

    struct JSONTierRule: Encodable {
        var findings: Int?
        var emergencyFindings: Int?
        var accountability: Int?

        init(_ t: TierRule) {
            findings = t.findings
            emergencyFindings = t.emergencyFindings
            accountability = t.accountability
        }
    }

    static func json(_ b: Bulletin, _ lang: NoticeLanguage, _ source: NoticeSource?) throws -> String {
        let offset = source?.utcOffsetHours ?? 8
        func iso(_ t: Instant) -> String { t.iso(offsetHours: offset) }
        let doc = JSONBulletin(
            lang: lang.rawValue, period: b.period, title: [unitName(b.centre, lang), subject(b, lang)],
            centre: JSONUnit(b.centre), countedFrom: source?.countedFrom?.description,
            countedTo: source?.countedTo?.description, source: source?.sentence(lang),
            figures: rounded(b.figures),
            units: b.units.map { u in
                JSONUnitNotice(
                    unit: JSONUnit(u.unit), nature: u.nature?.rawValue, tier: u.tier.rawValue,
                    tierName: tierName(u.tier, lang),
                    reasons: u.reasons.map {
                        JSONReason(measure: $0.measure.rawValue, value: $0.value, threshold: $0.threshold)
                    }, findingsTotal: u.total, emergencies: u.emergencies, accountability: u.accountability,
                    onTimeReplyRate: u.figures.replied > 0 ? round4(u.figures.onTimeReplyRate) : nil,
                    satisfactionRate: u.figures.callbacks > 0 ? round4(u.figures.satisfactionRate) : nil,
                    findings: u.findings.map { f in
                        JSONFinding(
                            failing: f.failing.rawValue, article: f.failing.article.description,
                            title: failingTitle(f.failing, lang), count: f.count, emergencies: f.emergencies,
                            dutyLine: f.dutyLine,
                            evidence: f.evidence.enumerated().map { k, e in
                                let note = k < f.notes.count ? f.notes[k] : nil
                                return JSONEvidence(
                                    caseId: e.caseID?.rawValue, what: e.what, at: iso(e.at),
                                    lateByHours: e.lateBy.map { ($0 / 360).rounded() / 10 }, done: e.lateBy != nil,
                                    emergency: e.emergency, note: note, text: evidence(e, note: note, lang))
                            })
                    })
            },
            named: b.named.map {
                JSONNamed(
                    unit: JSONUnit($0.unit), measure: $0.measure.rawValue, value: round4($0.value),
                    threshold: $0.threshold, cases: $0.cases)
            },
            accountability: b.accountability.map { a in
                JSONAccountability(
                    unit: JSONUnit(a.unit), nature: a.nature?.rawValue, caseId: a.caseID.rawValue, at: iso(a.at),
                    reportedToDisciplineInspection: a.reported, told: a.told.map(JSONUnit.init),
                    supervisions: a.supervisions, text: accountabilityItem(a, lang).lines.first?.text ?? "")
            },
            rules: JSONRules(
                replyRateBelow: b.rules.replyRateBelow, satisfactionBelow: b.rules.satisfactionBelow,
                namingMinimumCases: b.rules.namingMinimumCases,
                dutyLineUnansweredAbove: b.rules.dutyLineUnansweredAbove,
                dutyLineMinimumCalls: b.rules.dutyLineMinimumCalls, mayor: JSONTierRule(b.rules.mayor),
                media: JSONTierRule(b.rules.media), examples: b.rules.examples))
        return try encode(doc)
    }

    /// One JSON document, keys snake_case and sorted, so the same bulletin prints the same bytes.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    static func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

    /// Figures with their worked-out rates and times to four decimals (counts are whole already).
    static func rounded(_ f: CaseFigures) -> CaseFigures {
        var f = f
        for column in CaseFigures.columns where !column.isCount {
            f[keyPath: column.field] = round4(f[keyPath: column.field])
        }
        return f
    }
}
