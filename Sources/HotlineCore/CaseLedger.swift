/// The six failings for which Art. 13 criticises a unit in a bulletin.
package enum Failing: String, Hashable, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Comparable {
    /// Art. 13(1): no dedicated staff, office or equipment (the duty line goes unanswered).
    case staffing
    /// Art. 13(2): reorganisations, staff or law changes, major decisions not reported to the centre.
    case unreportedChanges = "unreported_changes"
    /// Art. 13(3): slow, evasive (推诿), rude or unlawful handling.
    case handling
    /// Art. 13(4): not attending on-site meetings, coordination meetings or site visits in time.
    case meetings
    /// Art. 13(5): late replies, feedback or closure.
    case lateReplies = "late_replies"
    /// Art. 13(6): late or inaccurate information reports.
    case information

    /// The item of Art. 13, 1 to 6.
    package var item: Int { Self.allCases.firstIndex(of: self)! + 1 }

    package var article: Article { Article(13, item) }

    package static func < (a: Failing, b: Failing) -> Bool { a.item < b.item }

    /// The failing a missed step is evidence of; `nil` for the centre's own steps.
    package init?(step: CaseTimer) {
        switch step {
        case .signFor, .firstContact: self = .handling
        case .reply, .closureReport: self = .lateReplies
        case .attendance: self = .meetings
        case .information: self = .information
        case .upwardReport, .decision: return nil
        }
    }
}

/// One piece of evidence of a failing: a case and what went wrong on it, and when.
package struct Evidence: Hashable, Codable, Sendable {
    /// The case number; `nil` for evidence that is not about one case (a duty line, a change).
    package var caseID: CaseID?
    /// What went wrong: a step name (`sign_for`, `reply`, …), `return` or `dissatisfied`.
    package var what: String
    /// The limit that passed, or when it happened.
    package var at: Instant
    /// How late the step came; `nil` while it is still not done.
    package var lateBy: Double?
    /// Whether the case is an emergency (Art. 11): weighs on the severity of a bulletin.
    package var emergency: Bool

    package init(caseID: CaseID?, what: String, at: Instant, lateBy: Double?, emergency: Bool) {
        self.caseID = caseID
        self.what = what
        self.at = at
        self.lateBy = lateBy
        self.emergency = emergency
    }
}

/// A failing of one unit in one period: how often, how often on an emergency, and the first examples.
package struct FindingTally: Codable, Sendable, Equatable {
    package var count = 0
    package var emergencies = 0
    package var examples: [Evidence] = []

    package init() {}
}

/// Art. 13: a unit held to account on a case.
package struct AccountabilityEntry: Codable, Sendable, Equatable {
    package var unit: UnitID
    package var caseID: CaseID
    package var at: Instant
    /// Reported to discipline inspection (an organ or institution); else its industry authority told.
    package var reported: Bool
    package var told: UnitID?
    /// The supervisions that came before (Art. 10(9)).
    package var supervisions: Int
}

/// Calls to a unit's duty line and how many went unanswered (Art. 6, 13(1)).
package struct DutyLineTally: Codable, Sendable, Equatable {
    package var calls = 0
    package var unanswered = 0
    package init() {}
}

/// One unit's month: its figures, the Art. 13 evidence against it, its duty line.
package struct UnitPeriod: Codable, Sendable, Equatable {
    package var unit: UnitID
    package var figures: CaseFigures
    package var findings: [Failing: FindingTally]
    package var dutyLine: DutyLineTally

    package init(unit: UnitID) {
        self.unit = unit
        figures = CaseFigures()
        findings = [:]
        dutyLine = DutyLineTally()
    }
}

/// What one month of cases shows: figures for the centre and each unit (cases by the month they were
/// registered), findings of Art. 13 (by the month the limit passed), accountability and duty lines.
/// A bulletin is written from it, from a simulated run and from the live store alike.
package struct PeriodLedger: Codable, Sendable, Equatable {
    /// `YYYY-MM`.
    package var period: String
    package var centre: CaseFigures
    /// Units with cases, evidence or duty-line calls in the month, by id.
    package var units: [UnitPeriod]
    package var accountability: [AccountabilityEntry]

    package init(period: String) {
        self.period = period
        centre = CaseFigures()
        units = []
        accountability = []
    }

    /// A unit's month (empty when it had nothing).
    package subscript(unit: UnitID) -> UnitPeriod {
        units.first { $0.unit == unit } ?? UnitPeriod(unit: unit)
    }
}

/// Counts cases into the figures of the whole run and of each month, and collects the evidence of
/// Art. 13 bulletins. Fed one case at a time (when it closes, or at the end while still open); holds
/// counts and a few examples, never the cases.
package struct CaseLedger: Sendable, Equatable {
    package let calendar: WorkingCalendar
    /// Examples kept per unit, failing and month.
    package let examples: Int
    /// Cases registered before this are carried in (a simulation's warm-up): they count only as
    /// `carriedIn`, and only their evidence from this time on counts.
    package let from: Instant?
    /// Cases registered before `from`, and how many of them closed.
    package private(set) var carriedIn = 0
    package private(set) var carriedInClosed = 0
    private var whole = CaseTally()
    private var wholeUnits: [UnitID: CaseTally] = [:]
    private var wholeClasses: [DeadlineClassID: CaseTally] = [:]
    private var months: [Int: Month] = [:]

    private struct Month: Sendable, Equatable {
        var centre = CaseTally(coarse: true)
        var units: [UnitID: CaseTally] = [:]
        var findings: [UnitID: [Failing: FindingTally]] = [:]
        var accountability: [AccountabilityEntry] = []
        var dutyLines: [UnitID: DutyLineTally] = [:]
    }

    package init(calendar: WorkingCalendar, examples: Int = 5, from: Instant? = nil) {
        self.calendar = calendar
        self.examples = examples
        self.from = from
    }

    private static func month(of t: Instant) -> Int {
        let d = t.date
        return d.year * 12 + (d.month - 1)
    }

    /// Counts a case: closed, referred, or still open at the end.
    package mutating func record(_ c: Case) { record(LedgerEntry(c)) }

    /// Counts a case from its ledger entry (as the store keeps it).
    package mutating func record(_ c: LedgerEntry) {
        if let from, c.registeredAt < from {
            carriedIn += 1
            if c.state == .closed { carriedInClosed += 1 }
            collectEvidence(c)
            return
        }
        let m = Self.month(of: c.registeredAt)
        let facts = CaseFacts(c, for: nil, calendar: calendar)
        whole.add(facts)
        whole.countConduct(c, of: nil)
        if !c.isReferral {
            wholeClasses[c.deadlineClass, default: CaseTally()].add(facts)
            wholeClasses[c.deadlineClass, default: CaseTally()].countConduct(c, of: nil)
        }
        months[m, default: Month()].centre.add(facts)
        months[m, default: Month()].centre.countConduct(c, of: nil)
        let responsible = c.responsibleUnit
        if let unit = responsible {
            // The responsible unit's own lapses only (a hand-on's tier-2 lapses are the tier-2 unit's).
            var own = facts
            if c.lapses.contains(where: { $0.unit != unit }) { own = CaseFacts(c, for: unit, calendar: calendar) }
            wholeUnits[unit, default: CaseTally()].add(own)
            months[m, default: Month()].units[unit, default: CaseTally(coarse: true)].add(own)
        }
        var involved: [UnitID] = responsible.map { [$0] } ?? []
        for u in c.returnedBy where !involved.contains(u) { involved.append(u) }
        if let u = c.handedOnBy, !involved.contains(u) { involved.append(u) }
        for s in c.supervisions where !s.direct {
            if let u = s.unit, !involved.contains(u) { involved.append(u) }
        }
        if let a = c.accountability, !involved.contains(a.unit) { involved.append(a.unit) }
        for unit in involved
        where involved.count > 1 || !c.returnedBy.isEmpty || c.handedOnBy != nil
            || !c.supervisions.isEmpty || c.accountability != nil
        {
            wholeUnits[unit, default: CaseTally()].countConduct(c, of: unit)
            months[m, default: Month()].units[unit, default: CaseTally(coarse: true)].countConduct(c, of: unit)
        }
        collectEvidence(c)
    }

    /// Art. 13 evidence on a case: missed limits, returns of a unit's own case, a caller dissatisfied
    /// twice; and accountability.
    private mutating func collectEvidence(_ c: LedgerEntry) {
        let emergency = c.disposition == .escalation
        for lapse in c.lapses {
            guard let unit = lapse.unit, let failing = Failing(step: lapse.step) else { continue }
            let late = lapse.doneAt.map { $0.seconds - lapse.due.seconds }
            note(
                failing, of: unit,
                Evidence(caseID: c.id, what: lapse.step.rawValue, at: lapse.due, lateBy: late, emergency: emergency))
        }
        // 推诿: a unit returned a case that came back to it (the centre found it was its own).
        if let final = c.responsibleUnit, c.returnedBy.contains(final) {
            note(
                .handling, of: final,
                Evidence(caseID: c.id, what: "return", at: c.registeredAt, lateBy: nil, emergency: emergency))
        }
        if c.dissatisfiedCallbacks >= 2, let unit = c.responsibleUnit {
            note(
                .handling, of: unit,
                Evidence(
                    caseID: c.id, what: "dissatisfied", at: c.repliedAt ?? c.registeredAt, lateBy: nil,
                    emergency: emergency))
        }
        if let a = c.accountability, from.map({ a.at >= $0 }) ?? true {
            let entry = AccountabilityEntry(
                unit: a.unit, caseID: c.id, at: a.at, reported: a.reported, told: a.told,
                supervisions: c.supervisions.filter { !$0.direct && $0.unit == a.unit }.count)
            months[Self.month(of: a.at), default: Month()].accountability.append(entry)
        }
    }

    /// Adds one piece of evidence of a failing, in the month it happened.
    package mutating func note(_ failing: Failing, of unit: UnitID, _ evidence: Evidence) {
        if let from, evidence.at < from { return }
        let m = Self.month(of: evidence.at)
        var tally = months[m, default: Month()].findings[unit, default: [:]][failing, default: FindingTally()]
        tally.count += 1
        if evidence.emergency { tally.emergencies += 1 }
        // The earliest examples (then by case number): the same whatever order the cases come in, so a
        // run and a store of it give the same bulletin.
        func earlier(_ a: Evidence, _ b: Evidence) -> Bool {
            (a.at, a.caseID?.rawValue ?? "", a.what) < (b.at, b.caseID?.rawValue ?? "", b.what)
        }
        if tally.examples.count < examples || tally.examples.last.map({ earlier(evidence, $0) }) == true {
            let k = tally.examples.firstIndex { earlier(evidence, $0) } ?? tally.examples.count
            tally.examples.insert(evidence, at: k)
            if tally.examples.count > examples { tally.examples.removeLast() }
        }
        months[m, default: Month()].findings[unit, default: [:]][failing] = tally
    }

    /// A call to a unit's duty line (a phone dispatch, a three-party call, an Art. 11 notification).
    package mutating func dutyLineCall(_ unit: UnitID, at t: Instant, answered: Bool) {
        let m = Self.month(of: t)
        months[m, default: Month()].dutyLines[unit, default: DutyLineTally()].calls += 1
        if !answered { months[m, default: Month()].dutyLines[unit, default: DutyLineTally()].unanswered += 1 }
    }

    /// The figures of every case recorded.
    package var figures: CaseFigures { whole.result }

    /// The figures of each deadline class (referred cases have none): emergencies against ordinary cases.
    package var classFigures: [DeadlineClassID: CaseFigures] { wholeClasses.mapValues(\.result) }

    /// The figures of each unit.
    package var unitFigures: [UnitID: CaseFigures] { wholeUnits.mapValues(\.result) }

    /// Each month's ledger, in order.
    package var periods: [PeriodLedger] {
        months.keys.sorted().map { m in
            let month = months[m]!
            let period = "\(m / 12)-" + (m % 12 + 1 < 10 ? "0" : "") + "\(m % 12 + 1)"
            var p = PeriodLedger(period: period)
            p.centre = month.centre.result
            let ids = Set(month.units.keys).union(month.findings.keys).union(month.dutyLines.keys)
            p.units = ids.sorted().map { id in
                var u = UnitPeriod(unit: id)
                u.figures = month.units[id]?.result ?? CaseFigures()
                u.findings = month.findings[id] ?? [:]
                u.dutyLine = month.dutyLines[id] ?? DutyLineTally()
                return u
            }
            p.accountability = month.accountability.sorted { ($0.at, $0.caseID) < ($1.at, $1.caseID) }
            return p
        }
    }
}
