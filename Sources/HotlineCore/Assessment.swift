/// A key performance indicator of the yearly target-management assessment (Art. 14).
package enum KPI: String, Hashable, Sendable, CaseIterable {
    /// Organisation (Art. 6, 13(1)): the share of duty-line calls answered; full marks with no calls.
    case organisation
    /// On-time replies (Art. 10(8)): replied within the limit over replied.
    case onTimeReply = "on_time_reply"
    /// Satisfaction (Art. 10(10)): satisfied or basically satisfied over verdicts at the callback.
    case satisfaction
    /// Timeliness (Art. 10(4), 10(7)): half signed for on time, half first contact on time.
    case timeliness
    /// Information (Art. 11, 12): 1 − (late information reports and attendances) / escalated cases held.
    case information
}

/// How one KPI is scored: `weight × clamp((value − zeroAt) / (fullAt − zeroAt), 0, 1)`.
package struct KPIRule: Hashable, Sendable {
    package var kpi: KPI
    /// Points at stake, of the 100.
    package var weight: Double
    /// The value that earns every point …
    package var fullAt: Double
    /// … and the value that earns none; in between, points in proportion.
    package var zeroAt: Double

    package init(_ kpi: KPI, weight: Double, fullAt: Double = 1, zeroAt: Double) {
        self.kpi = kpi
        self.weight = weight
        self.fullAt = fullAt
        self.zeroAt = zeroAt
    }

    /// The points a value earns; every point when there is no value (nothing was owed).
    package func points(_ value: Double?) -> Double {
        guard let value else { return weight }
        guard fullAt != zeroAt else { return value >= fullAt ? weight : 0 }
        return weight * min(1, max(0, (value - zeroAt) / (fullAt - zeroAt)))
    }

    /// The default KPIs (an assumption: published schemes score organisation, closure, satisfaction and
    /// timeliness out of 100, with weights of their own).
    package static let defaults: [KPIRule] = [
        KPIRule(.organisation, weight: 10, zeroAt: 0.5),
        KPIRule(.onTimeReply, weight: 30, zeroAt: 0.8),
        KPIRule(.satisfaction, weight: 30, zeroAt: 0.7),
        KPIRule(.timeliness, weight: 20, zeroAt: 0.5),
        KPIRule(.information, weight: 10, zeroAt: 0.5),
    ]
}

/// The yearly assessment's rules (Art. 14): `assessment:` in the model. Every figure is an assumption
/// of the bundled model, to be replaced by the centre's own 目标管理考核办法.
package struct AssessmentRules: Hashable, Sendable {
    /// The KPIs scored; their weights sum to 100.
    package var kpis: [KPIRule] = KPIRule.defaults
    /// Points taken off for each case on which the unit was held to account (Art. 13).
    package var accountabilityDeduction = 5.0
    /// Points taken off for each supervision of a late case (Art. 10(9)).
    package var supervisionDeduction = 0.5
    /// Units with fewer cases registered in the year are listed as not assessed.
    package var minimumCases = 30

    /// What the weights sum to.
    package static let totalWeight = 100.0

    package init() {}
}

/// One KPI of one unit: the value measured and the points it earned.
package struct KPIScore: Sendable, Equatable {
    package var kpi: KPI
    /// The measured share; `nil` when nothing was owed (no calls, no replies, …): full marks.
    package var value: Double?
    package var points: Double
    /// The KPI's weight: the most it can earn.
    package var max: Double
}

/// One unit's year: its figures, each KPI's value and points, the deductions and the score.
package struct UnitScore: Sendable, Equatable {
    package var unit: UnitName
    /// The year's figures: the months' counts added, the rates worked out from the sums.
    package var figures: CaseFigures
    package var dutyLine: DutyLineTally
    /// Information reports and attendances after their limit (Art. 11, 12; evidence of Art. 13(4), (6)).
    package var lapses: Int
    package var kpis: [KPIScore]
    /// Cases on which the unit was held to account in the year, and the supervisions of its cases.
    package var accountability: Int
    package var supervisions: Int
    /// Points taken off: accountability and supervisions.
    package var deductions: Double
    /// The KPI points less the deductions, not below 0.
    package var score: Double
    /// Its place in the ranking; `nil` for a unit not assessed (too few cases).
    package var rank: Int?

    /// Cases registered in the year.
    package var cases: Int { Int(figures.registered) }

    /// The points of every KPI together, before deductions.
    package var kpiPoints: Double { kpis.reduce(0) { $0 + $1.points } }
}

/// The yearly target-management assessment (Art. 14): every unit's score out of 100 from the months of
/// one year, with each score's breakdown, and the ranking. Pure: written from ledgers and the rules.
package struct Assessment: Sendable, Equatable {
    package var year: Int
    /// The months of the year the ledgers held, `YYYY-MM`, in order.
    package var months: [String]
    package var centre: UnitName
    package var rules: AssessmentRules
    /// Units assessed, best first (equal scores, to 0.01, by id).
    package var ranked: [UnitScore]
    /// Units with fewer cases than `rules.minimumCases` in the year, by id.
    package var notAssessed: [UnitScore]

    /// The assessment of one year, with the model's rules and directory.
    package init(year: Int, periods: [PeriodLedger], model: CityModel) {
        self.init(year: year, periods: periods, rules: model.assessment, directory: model.router.directory)
    }

    /// The assessment of one year.
    /// - Parameters:
    ///   - periods: ledgers of any months; those of `year` are summed.
    ///   - directory: names units; every unit that can take cases in the year is listed, even with none.
    package init(year: Int, periods: [PeriodLedger], rules: AssessmentRules, directory: Directory) {
        self.year = year
        self.rules = rules
        centre = directory.centreName
        let prefix = "\(year)-"
        let months = periods.filter { $0.period.hasPrefix(prefix) }.sorted { $0.period < $1.period }
        self.months = months.map(\.period)

        var ids = Set(months.flatMap { $0.units.map(\.unit) })
        for a in months.flatMap(\.accountability) { ids.insert(a.unit) }
        // Units of the directory in force during the year that can be dispatched to.
        let start = Instant(CivilDate(year: year, month: 1, day: 1)!)
        let end = Instant(CivilDate(year: year + 1, month: 1, day: 1)!)
        for (k, version) in directory.allVersions.enumerated() {
            let next = k + 1 < directory.allVersions.count ? directory.allVersions[k + 1].from : nil
            if let from = version.from, from >= end { continue }
            if let next, next <= start { continue }
            for unit in version.snapshot.units.values where unit.kind != .centre && !unit.competence.isEmpty {
                ids.insert(unit.id)
            }
        }

        var scores = ids.map { id in
            Self.score(id, months: months, rules: rules, directory: directory)
        }
        scores.sort { a, b in
            let x = (a.score * 100).rounded()
            let y = (b.score * 100).rounded()
            return x != y ? x > y : a.unit.id < b.unit.id
        }
        var ranked: [UnitScore] = []
        var notAssessed: [UnitScore] = []
        for var s in scores {
            if s.cases >= rules.minimumCases {
                s.rank = ranked.count + 1
                ranked.append(s)
            } else {
                notAssessed.append(s)
            }
        }
        self.ranked = ranked
        self.notAssessed = notAssessed.sorted { $0.unit.id < $1.unit.id }
    }

    /// One unit's score over the months given.
    static func score(_ id: UnitID, months: [PeriodLedger], rules: AssessmentRules, directory: Directory)
        -> UnitScore
    {
        let own = months.map { $0[id] }
        let f = CaseFigures.sum(own.map(\.figures))
        var duty = DutyLineTally()
        var lapses = 0
        for u in own {
            duty.calls += u.dutyLine.calls
            duty.unanswered += u.dutyLine.unanswered
            lapses += (u.findings[.information]?.count ?? 0) + (u.findings[.meetings]?.count ?? 0)
        }
        let accountability = months.reduce(0) { $0 + $1.accountability.count { $0.unit == id } }
        func rate(_ part: Double, _ whole: Double) -> Double? { whole > 0 ? part / whole : nil }
        let kpis = rules.kpis.map { rule -> KPIScore in
            let value: Double?
            switch rule.kpi {
            case .organisation:
                value = rate(Double(duty.calls - duty.unanswered), Double(duty.calls))
            case .onTimeReply:
                value = rate(f.repliedOnTime, f.replied)
            case .satisfaction:
                value = rate(f.satisfied + f.basicallySatisfied, f.callbacks)
            case .timeliness:
                let parts = [rate(f.signedForOnTime, f.signedFor), rate(f.contactedOnTime, f.contacted)].compactMap {
                    $0
                }
                value = parts.isEmpty ? nil : parts.reduce(0, +) / Double(parts.count)
            case .information:
                // Owed on the escalated cases the unit held; an assisting unit late on more than it held scores 0.
                let owed = max(f.escalation, Double(lapses))
                value = owed > 0 ? 1 - Double(lapses) / owed : nil
            }
            return KPIScore(kpi: rule.kpi, value: value, points: rule.points(value), max: rule.weight)
        }
        let deductions =
            Double(accountability) * rules.accountabilityDeduction + f.supervisions * rules.supervisionDeduction
        let points = kpis.reduce(0) { $0 + $1.points }
        return UnitScore(
            unit: UnitName(id, in: directory), figures: f, dutyLine: duty, lapses: lapses, kpis: kpis,
            accountability: accountability, supervisions: Int(f.supervisions), deductions: deductions,
            score: max(0, points - deductions), rank: nil)
    }

    /// A unit's score, assessed or not.
    package subscript(unit: UnitID) -> UnitScore? {
        ranked.first { $0.unit.id == unit } ?? notAssessed.first { $0.unit.id == unit }
    }
}

extension CaseFigures {
    /// The figures of several sets of cases together (the months of a year): counts added, the
    /// satisfaction rate worked out from the sums, mean times weighted by their cases; a 90th
    /// percentile cannot be recombined, so the largest of the months' stands for it (an upper bound).
    package static func sum(_ parts: [CaseFigures]) -> CaseFigures {
        var total = CaseFigures()
        for p in parts {
            for column in columns where column.isCount { total[keyPath: column.field] += p[keyPath: column.field] }
            total.replyWorkingDaysMean += p.replyWorkingDaysMean * p.replied
            total.closeWorkingDaysMean += p.closeWorkingDaysMean * p.closed
            total.replyWorkingDaysP90 = max(total.replyWorkingDaysP90, p.replyWorkingDaysP90)
            total.closeWorkingDaysP90 = max(total.closeWorkingDaysP90, p.closeWorkingDaysP90)
        }
        total.replyWorkingDaysMean = total.replied > 0 ? total.replyWorkingDaysMean / total.replied : 0
        total.closeWorkingDaysMean = total.closed > 0 ? total.closeWorkingDaysMean / total.closed : 0
        let verdicts = total.satisfied + total.basicallySatisfied + total.dissatisfied
        total.satisfactionRate = verdicts > 0 ? (total.satisfied + total.basicallySatisfied) / verdicts : 0
        return total
    }
}
