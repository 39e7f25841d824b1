/// How widely a bulletin criticises a unit (Art. 13): inside the network in the ordinary case, to the
/// mayor in charge when the failings had some negative effect, in the media when they had a major one.
package enum BulletinTier: String, Hashable, Sendable, CaseIterable, Comparable {
    /// 网络内部通报: circulated among the network's member units.
    case network
    /// 向主管市长通报: reported to the vice-mayor in charge of the unit.
    case mayor
    /// 媒体曝光: exposed in the media (the newspaper column of Art. 13).
    case media

    package static func < (a: BulletinTier, b: BulletinTier) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The thresholds that raise a unit to one tier of a bulletin. Any one threshold met is enough;
/// a threshold that is `nil` is not a criterion of the tier.
package struct TierRule: Hashable, Sendable {
    /// Findings of every failing together in the month.
    package var findings: Int?
    /// Findings on emergencies (Art. 11).
    package var emergencyFindings: Int?
    /// Cases on which the unit was held to account in the month.
    package var accountability: Int?

    package init(findings: Int? = nil, emergencyFindings: Int? = nil, accountability: Int? = nil) {
        self.findings = findings
        self.emergencyFindings = emergencyFindings
        self.accountability = accountability
    }

    /// The thresholds a unit with these counts meets, in the order findings, emergencies, accountability.
    package func reasons(findings n: Int, emergencies e: Int, accountability a: Int) -> [TierReason] {
        var met: [TierReason] = []
        if let t = findings, n >= t { met.append(TierReason(measure: .findings, value: n, threshold: t)) }
        if let t = emergencyFindings, e >= t {
            met.append(TierReason(measure: .emergencyFindings, value: e, threshold: t))
        }
        if let t = accountability, a >= t { met.append(TierReason(measure: .accountability, value: a, threshold: t)) }
        return met
    }
}

/// A threshold a unit met, which put it in its tier.
package struct TierReason: Hashable, Sendable {
    package enum Measure: String, Hashable, Sendable {
        case findings
        case emergencyFindings = "emergency_findings"
        case accountability
    }

    package var measure: Measure
    package var value: Int
    package var threshold: Int

    package init(measure: Measure, value: Int, threshold: Int) {
        self.measure = measure
        self.value = value
        self.threshold = threshold
    }
}

/// What a bulletin holds against units and how severely (Art. 13); `bulletins:` in the model.
/// The defaults follow published practice where there is one (92 % and 85 %); the rest are judgements.
package struct BulletinRules: Hashable, Sendable {
    /// Units are named when their on-time reply rate is below this share (published practice: 92 %) …
    package var replyRateBelow = 0.92
    /// … or their satisfaction rate is below this share (85 %) …
    package var satisfactionBelow = 0.85
    /// … with at least this many cases replied (or with a verdict), so that no unit is named on one case.
    package var namingMinimumCases = 10
    /// Art. 13(1): a duty line that leaves more than this share of its calls unanswered in a month …
    package var dutyLineUnansweredAbove = 0.2
    /// … out of at least this many calls is evidence that the unit has no dedicated staff.
    package var dutyLineMinimumCalls = 5
    /// When a unit is reported to the mayor in charge.
    package var mayor = TierRule(findings: 10, emergencyFindings: 1, accountability: 1)
    /// When a unit is exposed in the media.
    package var media = TierRule(findings: 30, emergencyFindings: 3)
    /// Evidence lines printed per finding (a ledger keeps at most 5 per unit, failing and month).
    package var examples = 5

    package init() {}

    /// The tier of a unit with these counts, and the thresholds that put it there.
    package func tier(findings: Int, emergencies: Int, accountability: Int) -> (BulletinTier, [TierReason]) {
        let m = media.reasons(findings: findings, emergencies: emergencies, accountability: accountability)
        if !m.isEmpty { return (.media, m) }
        let y = mayor.reasons(findings: findings, emergencies: emergencies, accountability: accountability)
        if !y.isEmpty { return (.mayor, y) }
        return (.network, [])
    }
}

/// A unit as a notice names it.
package struct UnitName: Hashable, Sendable {
    package var id: UnitID
    package var zh: String
    package var en: String

    package init(id: UnitID, zh: String, en: String) {
        self.id = id
        self.zh = zh
        self.en = en
    }

    /// The name of a unit in the directory (its latest entry, so a unit removed since keeps its
    /// name), or its id when the model does not know it.
    package init(_ id: UnitID, in directory: Directory) {
        let unit = directory.latestEntry(of: id)
        self.init(
            id: id, zh: unit?.nameZh ?? id.rawValue,
            en: unit.map { $0.nameEn.isEmpty ? $0.nameZh : $0.nameEn } ?? id.rawValue)
    }
}

extension Directory {
    /// A unit's entry in the latest version that has it; `nil` for a unit never in the network.
    package func latestEntry(of id: UnitID) -> Unit? {
        allVersions.reversed().lazy.compactMap { $0.snapshot[id] }.first
    }

    /// The centre (the unit of kind `centre`) as a notice names it, with a plain name when the model has none.
    package var centreName: UnitName {
        if let c = allVersions.last?.snapshot.sortedUnits.first(where: { $0.kind == .centre }) {
            return UnitName(id: c.id, zh: c.nameZh, en: c.nameEn.isEmpty ? c.nameZh : c.nameEn)
        }
        return UnitName(id: "centre", zh: "受理中心", en: "Acceptance Centre")
    }
}

/// One failing of one unit in a bulletin: how often, how often on an emergency, and the evidence.
package struct BulletinFinding: Sendable, Equatable {
    package var failing: Failing
    package var count: Int
    package var emergencies: Int
    /// The first pieces of evidence, at most `BulletinRules.examples`.
    package var evidence: [Evidence]
    /// Art. 13(1): the calls to the unit's duty line in the month, and how many went unanswered.
    package var dutyLine: DutyLineTally?
    /// Art. 13(2): the note of each change reported late, one for each piece of evidence.
    package var notes: [String]

    package init(
        failing: Failing, count: Int, emergencies: Int = 0, evidence: [Evidence] = [], dutyLine: DutyLineTally? = nil,
        notes: [String] = []
    ) {
        self.failing = failing
        self.count = count
        self.emergencies = emergencies
        self.evidence = evidence
        self.dutyLine = dutyLine
        self.notes = notes
    }
}

/// One unit criticised in a bulletin: its findings by failing, its tier and why.
package struct UnitNotice: Sendable, Equatable {
    package var unit: UnitName
    /// What the unit is in law; `nil` when the model does not know the unit.
    package var nature: UnitNature?
    /// Its findings, in the order of Art. 13.
    package var findings: [BulletinFinding]
    /// Its figures of the month (cases by the month they were registered).
    package var figures: CaseFigures
    /// Cases on which it was held to account in the month.
    package var accountability: Int
    package var tier: BulletinTier
    /// The thresholds that put it in its tier; empty for the network tier.
    package var reasons: [TierReason]

    /// Findings of every failing together.
    package var total: Int { findings.reduce(0) { $0 + $1.count } }
    /// Findings on emergencies.
    package var emergencies: Int { findings.reduce(0) { $0 + $1.emergencies } }

    /// The finding of one failing, if any.
    package subscript(failing: Failing) -> BulletinFinding? { findings.first { $0.failing == failing } }
}

/// A unit named for a low on-time reply rate or a low satisfaction rate.
package struct NamedUnit: Sendable, Equatable {
    package enum Measure: String, Hashable, Sendable, CaseIterable {
        /// Replied within the limit over replied (Art. 10(8)).
        case replyRate = "reply_rate"
        /// Satisfied or basically satisfied over verdicts at the callback (Art. 10(10)).
        case satisfaction
    }

    package var unit: UnitName
    package var measure: Measure
    package var value: Double
    package var threshold: Double
    /// The cases the rate is taken over (replied, or with a verdict).
    package var cases: Int
}

/// Art. 13: a unit supervised twice or more that still did not handle its case, and what followed.
package struct AccountabilityNotice: Sendable, Equatable {
    package var unit: UnitName
    package var nature: UnitNature?
    package var caseID: CaseID
    package var at: Instant
    /// Reported to discipline inspection for administrative accountability (an organ or institution).
    package var reported: Bool
    /// Its superior (an organ's parent, an enterprise's industry authority) told; `nil` when it has none
    /// in the model (a tier-2 organ: the city leaders are told).
    package var told: UnitName?
    /// The supervisions that came before (Art. 10(9)).
    package var supervisions: Int
}

/// A monthly bulletin (Art. 13): the centre's figures of the month; each unit criticised, with its
/// findings and the evidence, its tier and why; units named for low reply or satisfaction rates;
/// and the units held to account. Pure: written from a `PeriodLedger` and the model's rules.
///
/// A bulletin holds case numbers, limits and counts only: a ledger keeps no caller number and no
/// complaint text (Art. 15), so no bulletin can print one.
package struct Bulletin: Sendable, Equatable {
    /// `YYYY-MM`.
    package var period: String
    package var year: Int
    package var month: Int
    package var centre: UnitName
    /// The centre's figures of the month.
    package var figures: CaseFigures
    /// The units criticised: the highest tier first, then the most findings, then by id.
    package var units: [UnitNotice]
    /// Units named for a low reply rate, then for low satisfaction; the lowest first.
    package var named: [NamedUnit]
    /// Accountability in the month, in time order.
    package var accountability: [AccountabilityNotice]
    package var rules: BulletinRules

    /// The bulletin of one month, with the model's rules and directory.
    package init(period: PeriodLedger, model: CityModel) {
        self.init(period: period, rules: model.bulletins, directory: model.router.directory)
    }

    /// The bulletin of one month.
    /// - Parameters:
    ///   - period: the month's ledger.
    ///   - rules: the thresholds of naming and of the tiers.
    ///   - directory: names units, says what each is in law, and holds the changes of Art. 13(2).
    package init(period ledger: PeriodLedger, rules: BulletinRules, directory: Directory) {
        period = ledger.period
        (year, month) = Self.month(ledger.period) ?? (0, 0)
        centre = directory.centreName
        figures = ledger.centre
        self.rules = rules
        let examples = max(0, rules.examples)

        var findings: [UnitID: [Failing: BulletinFinding]] = [:]
        for u in ledger.units {
            for (failing, tally) in u.findings where tally.count > 0 {
                findings[u.unit, default: [:]][failing] = BulletinFinding(
                    failing: failing, count: tally.count, emergencies: tally.emergencies,
                    evidence: Array(tally.examples.prefix(examples)))
            }
            // Art. 13(1): the duty line goes unanswered too often for a staffed line.
            let d = u.dutyLine
            if d.calls > 0, d.calls >= rules.dutyLineMinimumCalls,
                Double(d.unanswered) / Double(d.calls) > rules.dutyLineUnansweredAbove
            {
                findings[u.unit, default: [:]][.staffing] = BulletinFinding(
                    failing: .staffing, count: d.unanswered, dutyLine: d)
            }
        }
        // Art. 13(2): a change that took effect this month and was reported to the centre after it did.
        for change in directory.changes where Self.period(of: change.effective) == ledger.period {
            guard let reported = change.reported, reported > change.effective else { continue }
            let evidence = Evidence(
                caseID: nil, what: "change", at: change.effective, lateBy: reported - change.effective,
                emergency: false)
            for unit in change.upsert {
                var f =
                    findings[unit.id, default: [:]][.unreportedChanges]
                    ?? BulletinFinding(
                        failing: .unreportedChanges, count: 0)
                f.count += 1
                if f.evidence.count < examples {
                    f.evidence.append(evidence)
                    f.notes.append(change.note)
                }
                findings[unit.id, default: [:]][.unreportedChanges] = f
            }
        }

        var accountable: [UnitID: Int] = [:]
        for a in ledger.accountability { accountable[a.unit, default: 0] += 1 }
        let criticised = Set(findings.keys).union(accountable.keys)
        units = criticised.map { id in
            let list = (findings[id] ?? [:]).values.sorted { $0.failing < $1.failing }
            let total = list.reduce(0) { $0 + $1.count }
            let emergencies = list.reduce(0) { $0 + $1.emergencies }
            let (tier, reasons) = rules.tier(
                findings: total, emergencies: emergencies, accountability: accountable[id] ?? 0)
            return UnitNotice(
                unit: UnitName(id, in: directory), nature: directory.latestEntry(of: id)?.nature, findings: list,
                figures: ledger[id].figures, accountability: accountable[id] ?? 0, tier: tier, reasons: reasons)
        }.sorted { a, b in
            if a.tier != b.tier { return a.tier > b.tier }
            if a.total != b.total { return a.total > b.total }
            return a.unit.id < b.unit.id
        }

        var named: [NamedUnit] = []
        for u in ledger.units {
            let f = u.figures
            if f.replied >= Double(rules.namingMinimumCases), f.onTimeReplyRate < rules.replyRateBelow {
                named.append(
                    NamedUnit(
                        unit: UnitName(u.unit, in: directory), measure: .replyRate, value: f.onTimeReplyRate,
                        threshold: rules.replyRateBelow, cases: Int(f.replied)))
            }
            if f.callbacks >= Double(rules.namingMinimumCases), f.satisfactionRate < rules.satisfactionBelow {
                named.append(
                    NamedUnit(
                        unit: UnitName(u.unit, in: directory), measure: .satisfaction, value: f.satisfactionRate,
                        threshold: rules.satisfactionBelow, cases: Int(f.callbacks)))
            }
        }
        self.named = named.sorted { a, b in
            if a.measure != b.measure { return a.measure == .replyRate }
            if a.value != b.value { return a.value < b.value }
            return a.unit.id < b.unit.id
        }

        accountability = ledger.accountability.map { a in
            AccountabilityNotice(
                unit: UnitName(a.unit, in: directory), nature: directory.latestEntry(of: a.unit)?.nature,
                caseID: a.caseID, at: a.at, reported: a.reported, told: a.told.map { UnitName($0, in: directory) },
                supervisions: a.supervisions)
        }
    }

    /// The units of one tier, in bulletin order.
    package func units(in tier: BulletinTier) -> [UnitNotice] { units.filter { $0.tier == tier } }

    /// The year and month of `YYYY-MM`; `nil` for any other text or a month that does not exist.
    package static func month(_ period: String) -> (year: Int, month: Int)? {
        let parts = period.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), let y = Int(parts[0]),
            let m = Int(parts[1]), (1...12).contains(m)
        else { return nil }
        return (y, m)
    }

    /// The `YYYY-MM` of the month an instant falls in.
    package static func period(of t: Instant) -> String {
        let d = t.date
        return "\(d.year)-" + (d.month < 10 ? "0" : "") + "\(d.month)"
    }
}
