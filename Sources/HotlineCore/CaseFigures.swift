/// How a case was opened (Art. 10(3)–(6), 8), for the figures.
package enum CaseDisposition: String, Hashable, Codable, Sendable, CaseIterable {
    /// Art. 10(3): registered and handed over on the unit's duty line.
    case phoneDispatch = "phone_dispatch"
    /// Art. 10(4): a written work order filed by the centre.
    case workOrder = "work_order"
    /// Art. 10(6), 11: reported upward, with joint handling.
    case escalation
    /// Art. 8: no clear owner; the city government decides.
    case government
    /// Art. 10(5): referred to an organisation or discipline body.
    case referral
}

extension Case {
    /// How the case was opened.
    package var disposition: CaseDisposition {
        if referralBody != nil { return .referral }
        if !escalationReports.isEmpty || order.reason == .majorOrUrgent { return .escalation }
        if decisionDue != nil || order.reason == .governmentDecision { return .government }
        return order.channel == .phone && returnedBy.isEmpty ? .phoneDispatch : .workOrder
    }

    /// The unit answerable for the case as a whole: its holder, or the unit it was dispatched to;
    /// `nil` while no unit has it (awaiting the government, referred, not yet dispatched).
    package var responsibleUnit: UnitID? { holder ?? dispatchedTo }
}

/// The figures of a set of cases (the whole centre, one unit, one month): counts, rates and times in
/// working days. The same fields for the centre and for each unit, from a simulated run or from the
/// live store: `CaseTally` counts them from case values.
///
/// `registered` = `closed` + `referred` + `openAtEnd`. A unit is credited with the cases it holds at
/// the end (after a hand-on, the sub-unit; after a return, the unit it went to next); returns, hand-ons,
/// supervisions and accountability go to the unit that did or suffered them.
package struct CaseFigures: Codable, Sendable, Equatable {
    /// Cases registered (every disposition), and by disposition.
    package var registered = 0.0
    package var phoneDispatch = 0.0
    package var workOrder = 0.0
    package var escalation = 0.0
    package var government = 0.0
    package var referred = 0.0
    /// Art. 10(9): cases assigned by city leaders or a provincial office, supervised directly.
    package var leaderAssigned = 0.0
    /// Signed for (签收), and within the limit.
    package var signedFor = 0.0
    package var signedForOnTime = 0.0
    /// Art. 10(7): caller contacted, and within the limit.
    package var contacted = 0.0
    package var contactedOnTime = 0.0
    /// Art. 10(8): replied, and within the limit (extended or not, never after a missed limit).
    package var replied = 0.0
    package var repliedOnTime = 0.0
    /// Closed, and with the closure report within its limit (Art. 10(11)).
    package var closed = 0.0
    package var closedOnTime = 0.0
    /// Cases whose reply limit passed unanswered at least once (Art. 10(9)).
    package var overdue = 0.0
    /// Art. 10(8): extensions applied for and granted.
    package var extensionRequested = 0.0
    package var extended = 0.0
    /// Returns (退单) the unit made.
    package var returned = 0.0
    /// Art. 7: cases the unit handed on to a sub-unit or enterprise.
    package var handedOn = 0.0
    /// Cases supervised at least once for being late (Art. 10(9)), and the supervisions.
    package var supervised = 0.0
    package var supervisions = 0.0
    /// Art. 13: cases on which the unit was held to account (reported, or its authority told).
    package var accountability = 0.0
    /// Art. 10(10): cases handled again after a dissatisfied caller.
    package var reHandled = 0.0
    /// Cases with a verdict at the satisfaction callback (the last one counts), by verdict.
    package var callbacks = 0.0
    package var satisfied = 0.0
    package var basicallySatisfied = 0.0
    package var dissatisfied = 0.0
    /// Satisfied or basically satisfied, over cases with a verdict; 0 when none.
    package var satisfactionRate = 0.0
    /// Art. 10(10): calls about an open case joined to it.
    package var repeatCalls = 0.0
    /// Registered and still open at the end.
    package var openAtEnd = 0.0
    /// Working days from registration to the reply, and to closure: mean and 90th percentile.
    package var replyWorkingDaysMean = 0.0
    package var replyWorkingDaysP90 = 0.0
    package var closeWorkingDaysMean = 0.0
    package var closeWorkingDaysP90 = 0.0

    package init() {}

    /// Replied within the limit over replied; 1 when nothing was replied.
    package var onTimeReplyRate: Double { replied > 0 ? repliedOnTime / replied : 1 }
}

/// Times in working days, for a mean and a 90th percentile: bins of 0.05 working day up to 100 days,
/// or, coarse (for the many tallies of single months), of half a day up to 60.
package struct WorkingDayTimes: Sendable, Equatable {
    private let binsPerDay: Double
    private let top: Int
    private(set) var count = 0
    private(set) var sum = 0.0
    private var bins: [Int32] = []

    package init(coarse: Bool = false) {
        binsPerDay = coarse ? 2 : 20
        top = coarse ? 120 : 2000
    }

    package mutating func add(_ days: Double) {
        count += 1
        sum += days
        if bins.isEmpty { bins = [Int32](repeating: 0, count: top + 1) }
        bins[min(top, max(0, Int(days * binsPerDay)))] += 1
    }

    package var mean: Double { count > 0 ? sum / Double(count) : 0 }

    /// The 90th percentile: the upper edge of the bin that holds it.
    package var p90: Double {
        guard count > 0 else { return 0 }
        let rank = Int((Double(count) * 0.9).rounded(.up))
        var seen = 0
        for (k, n) in bins.enumerated() {
            seen += Int(n)
            if seen >= rank { return Double(k + 1) / binsPerDay }
        }
        return Double(top) / binsPerDay
    }
}

/// What a case shows for the figures, worked out once: its disposition, which of its steps were done
/// and within their limits (the lapses of one unit, or of anybody), its verdict and its times.
package struct CaseFacts: Sendable {
    package struct Flags: OptionSet, Sendable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }
        static let leaderAssigned = Flags(rawValue: 1 << 0)
        static let signed = Flags(rawValue: 1 << 1)
        static let signedOnTime = Flags(rawValue: 1 << 2)
        static let contacted = Flags(rawValue: 1 << 3)
        static let contactedOnTime = Flags(rawValue: 1 << 4)
        static let replied = Flags(rawValue: 1 << 5)
        static let repliedOnTime = Flags(rawValue: 1 << 6)
        static let closed = Flags(rawValue: 1 << 7)
        static let closedOnTime = Flags(rawValue: 1 << 8)
        static let open = Flags(rawValue: 1 << 9)
        static let overdue = Flags(rawValue: 1 << 10)
        static let extensionRequested = Flags(rawValue: 1 << 11)
        static let extended = Flags(rawValue: 1 << 12)
        static let reHandled = Flags(rawValue: 1 << 13)
    }

    package var disposition: CaseDisposition
    package var flags: Flags = []
    package var verdict: Satisfaction?
    package var repeatCalls: Int
    /// Working days from registration to the reply, and to closure.
    package var replyDays: Double?
    package var closeDays: Double?

    /// The facts of `c`; `unit` narrows the missed limits to that unit's (`nil`: anybody's).
    package init(_ c: Case, for unit: UnitID?, calendar: WorkingCalendar) {
        self.init(LedgerEntry(c), for: unit, calendar: calendar)
    }

    package init(_ c: LedgerEntry, for unit: UnitID?, calendar: WorkingCalendar) {
        disposition = c.disposition
        verdict = c.lastSatisfaction
        repeatCalls = c.repeatCalls
        var late: Set<CaseTimer> = []
        for lapse in c.lapses where unit == nil || lapse.unit == unit { late.insert(lapse.step) }
        if c.directlySupervised { flags.insert(.leaderAssigned) }
        if c.signedAt != nil {
            flags.insert(.signed)
            if !late.contains(.signFor) { flags.insert(.signedOnTime) }
        }
        if c.contactedAt != nil {
            flags.insert(.contacted)
            if !late.contains(.firstContact) { flags.insert(.contactedOnTime) }
        }
        if let replied = c.repliedAt {
            flags.insert(.replied)
            if !late.contains(.reply) { flags.insert(.repliedOnTime) }
            replyDays = calendar.workingDays(from: c.registeredAt, to: replied)
        }
        if c.state == .closed && !c.isReferral, let closed = c.closedAt {
            flags.insert(.closed)
            if !late.contains(.closureReport) { flags.insert(.closedOnTime) }
            closeDays = calendar.workingDays(from: c.registeredAt, to: closed)
        } else if c.state != .closed && c.state != .referred {
            flags.insert(.open)
        }
        if c.lapses.contains(where: { $0.step == .reply }) { flags.insert(.overdue) }
        if c.extensionRequested { flags.insert(.extensionRequested) }
        if c.extensionGranted { flags.insert(.extended) }
        if c.reHandled > 0 { flags.insert(.reHandled) }
    }
}

/// Counts cases into figures, for one set (the centre, a unit, a month).
package struct CaseTally: Sendable, Equatable {
    package private(set) var figures = CaseFigures()
    private var replyDays: WorkingDayTimes
    private var closeDays: WorkingDayTimes

    /// - Parameter coarse: percentiles to half a working day (a month's tally), not a twentieth.
    package init(coarse: Bool = false) {
        replyDays = WorkingDayTimes(coarse: coarse)
        closeDays = WorkingDayTimes(coarse: coarse)
    }

    /// The figures, with their rates and times worked out.
    package var result: CaseFigures {
        var f = figures
        let verdicts = f.satisfied + f.basicallySatisfied + f.dissatisfied
        f.satisfactionRate = verdicts > 0 ? (f.satisfied + f.basicallySatisfied) / verdicts : 0
        f.replyWorkingDaysMean = replyDays.mean
        f.replyWorkingDaysP90 = replyDays.p90
        f.closeWorkingDaysMean = closeDays.mean
        f.closeWorkingDaysP90 = closeDays.p90
        return f
    }

    /// Counts a case as a whole: registration, its steps against their limits, how it ended.
    package mutating func count(_ c: Case, for unit: UnitID?, calendar: WorkingCalendar) {
        add(CaseFacts(c, for: unit, calendar: calendar))
    }

    /// Counts a case from its facts (worked out once for the several tallies it goes to).
    package mutating func add(_ f: CaseFacts) {
        figures.registered += 1
        switch f.disposition {
        case .phoneDispatch: figures.phoneDispatch += 1
        case .workOrder: figures.workOrder += 1
        case .escalation: figures.escalation += 1
        case .government: figures.government += 1
        case .referral: figures.referred += 1
        }
        func bump(_ flag: CaseFacts.Flags, _ field: inout Double) { if f.flags.contains(flag) { field += 1 } }
        bump(.leaderAssigned, &figures.leaderAssigned)
        bump(.signed, &figures.signedFor)
        bump(.signedOnTime, &figures.signedForOnTime)
        bump(.contacted, &figures.contacted)
        bump(.contactedOnTime, &figures.contactedOnTime)
        bump(.replied, &figures.replied)
        bump(.repliedOnTime, &figures.repliedOnTime)
        bump(.closed, &figures.closed)
        bump(.closedOnTime, &figures.closedOnTime)
        bump(.open, &figures.openAtEnd)
        bump(.overdue, &figures.overdue)
        bump(.extensionRequested, &figures.extensionRequested)
        bump(.extended, &figures.extended)
        bump(.reHandled, &figures.reHandled)
        if let verdict = f.verdict {
            figures.callbacks += 1
            switch verdict {
            case .satisfied: figures.satisfied += 1
            case .basicallySatisfied: figures.basicallySatisfied += 1
            case .dissatisfied: figures.dissatisfied += 1
            }
        }
        figures.repeatCalls += Double(f.repeatCalls)
        if let d = f.replyDays { replyDays.add(d) }
        if let d = f.closeDays { closeDays.add(d) }
    }

    /// Counts what a unit did or suffered on a case it may no longer hold: returns, hand-ons,
    /// supervisions, accountability. `nil` counts everybody's (the centre's figures).
    package mutating func countConduct(_ c: Case, of unit: UnitID?) { countConduct(LedgerEntry(c), of: unit) }

    package mutating func countConduct(_ c: LedgerEntry, of unit: UnitID?) {
        figures.returned += Double(c.returnedBy.count { unit == nil || $0 == unit })
        if let by = c.handedOnBy, unit == nil || by == unit { figures.handedOn += 1 }
        let supervisions = c.supervisions.filter { !$0.direct && (unit == nil || $0.unit == unit) }
        if !supervisions.isEmpty { figures.supervised += 1 }
        figures.supervisions += Double(supervisions.count)
        if let a = c.accountability, unit == nil || a.unit == unit { figures.accountability += 1 }
    }
}

extension CaseFigures {
    /// Every field with its name in JSON and CSV, counts first, then the figures worked out from them.
    package static var columns: [(name: String, field: WritableKeyPath<CaseFigures, Double>, isCount: Bool)] {
        let counts: [(String, WritableKeyPath<CaseFigures, Double>)] = [
            ("registered", \.registered), ("phone_dispatch", \.phoneDispatch), ("work_order", \.workOrder),
            ("escalation", \.escalation), ("government", \.government), ("referred", \.referred),
            ("leader_assigned", \.leaderAssigned), ("signed_for", \.signedFor),
            ("signed_for_on_time", \.signedForOnTime), ("contacted", \.contacted),
            ("contacted_on_time", \.contactedOnTime), ("replied", \.replied), ("replied_on_time", \.repliedOnTime),
            ("closed", \.closed), ("closed_on_time", \.closedOnTime), ("overdue", \.overdue),
            ("extension_requested", \.extensionRequested), ("extended", \.extended), ("returned", \.returned),
            ("handed_on", \.handedOn), ("supervised", \.supervised), ("supervisions", \.supervisions),
            ("accountability", \.accountability), ("re_handled", \.reHandled), ("callbacks", \.callbacks),
            ("satisfied", \.satisfied), ("basically_satisfied", \.basicallySatisfied),
            ("dissatisfied", \.dissatisfied), ("repeat_calls", \.repeatCalls), ("open_at_end", \.openAtEnd),
        ]
        let worked: [(String, WritableKeyPath<CaseFigures, Double>)] = [
            ("satisfaction_rate", \.satisfactionRate), ("reply_working_days_mean", \.replyWorkingDaysMean),
            ("reply_working_days_p90", \.replyWorkingDaysP90), ("close_working_days_mean", \.closeWorkingDaysMean),
            ("close_working_days_p90", \.closeWorkingDaysP90),
        ]
        return counts.map { ($0.0, $0.1, true) } + worked.map { ($0.0, $0.1, false) }
    }

    /// Every field, counts and worked-out figures, in a fixed order (for means and confidence intervals
    /// over replications).
    package static var allFields: [WritableKeyPath<CaseFigures, Double>] { columns.map(\.field) }
}
