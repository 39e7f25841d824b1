package import HotlineCore

/// The headline figures of a run, with the definitions of DESIGN.md.
package struct Figures: Codable, Sendable, Equatable {
    /// Calls that reached the operator queue.
    package var offered: Double
    /// Answered by an operator.
    package var answered: Double
    /// Hung up while waiting.
    package var abandoned: Double
    /// Answered with a queue wait within the threshold, over offered.
    package var serviceLevel: Double
    /// Mean queue wait of answered calls, seconds.
    package var asaS: Double
    /// Mean queue wait of all offered calls (an abandoner counts its wait until it hung up).
    package var meanWaitS: Double
    /// Abandoned over offered.
    package var abandonRate: Double
    /// Operator busy time over operator staffed time (logged in, not on a break).
    package var occupancy: Double
    /// Events the engine processed.
    package var events: Double

    /// The figures of one replication.
    init(_ r: ReplicationResult) {
        let offered = Double(r.offered)
        self.offered = offered
        answered = Double(r.answered)
        abandoned = Double(r.abandoned)
        serviceLevel = offered > 0 ? Double(r.answeredInTime) / offered : 0
        asaS = r.answered > 0 ? r.waitAnswered / Double(r.answered) : 0
        meanWaitS = offered > 0 ? r.waitAll / offered : 0
        abandonRate = offered > 0 ? Double(r.abandoned) / offered : 0
        occupancy = r.staffed > 0 ? r.busy / r.staffed : 0
        events = Double(r.events)
    }

    init(_ values: [Double]) {
        (offered, answered, abandoned, serviceLevel, asaS, meanWaitS, abandonRate, occupancy, events) =
            (values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8])
    }

    var values: [Double] {
        [offered, answered, abandoned, serviceLevel, asaS, meanWaitS, abandonRate, occupancy, events]
    }
}

/// The summary `hotline simulate` prints: the keys of DESIGN.md at the top level (means over
/// replications), `ci95` half-widths when there are several, and blocks of detail.
package struct SimulationSummary: Codable, Sendable {
    package var model: String
    package var start: String
    package var days: Int
    package var seed: UInt64
    package var replications: Int
    package var offered: Double
    package var answered: Double
    package var abandoned: Double
    package var serviceLevel: Double
    package var asaS: Double
    package var meanWaitS: Double
    package var abandonRate: Double
    package var occupancy: Double
    package var events: Double
    package var wallS: Double
    /// 95 % confidence half-widths of the figures above (Student's t over replications).
    package var ci95: Figures?
    package var targets: Targets
    package var dispositions: [String: Double]
    package var outbound: Outbound
    package var cases: Cases
    package var units: [UnitRow]
    package var intervals: [IntervalRow]
    /// Each month's case figures and Art. 13 evidence (of the first replication): what a bulletin
    /// (`hotline report bulletin --from`) and an assessment are written from.
    package var periods: [PeriodLedger]
    /// The headline figures of each replication, in replication order.
    package var perReplication: [Figures]

    package struct Targets: Codable, Sendable {
        package var thresholdS: Double
        package var serviceLevelTarget: Double
        package var connectionRateTarget: Double
        /// Answered over offered.
        package var connectionRate: Double
        package var serviceLevelMet: Bool
        package var connectionRateMet: Bool
    }

    package struct Outbound: Codable, Sendable {
        package var satisfactionCallbacks: Double
        package var missedCallCallbacks: Double
        package var callbackOffersTaken: Double
        package var retrials: Double
    }

    /// The figures of every case registered after the start (means over replications), the same
    /// fields as each unit's, with the centre's own steps and the warm-up's backlog beside them.
    package struct Cases: Codable, Sendable {
        package var figures: CaseFigures
        /// 95 % confidence half-widths of the figures (Student's t over replications).
        package var ci95: CaseFigures?
        /// Cases opened after the start (registered + referred + escalated + Art. 8).
        package var opened: Double
        /// Cases of the case warm-up still open at the start, and how many of them closed in the run.
        package var carriedIn: Double
        package var carriedInClosed: Double
        /// Art. 10(6): upward reports made, and levels reported after their limit (the centre's).
        package var upwardReports: Double
        package var upwardReportsLate: Double
        /// Art. 8: government decisions after their limit.
        package var decisionsLate: Double
        /// Transitions the routing core refused; a correct simulator has none.
        package var refused: Double
        /// The figures of each deadline class, by its id (emergency, outage, urgent, general, complex).
        package var byClass: [String: CaseFigures] = [:]

        private enum Keys: String, CodingKey {
            case ci95, opened, carriedIn, carriedInClosed, upwardReports, upwardReportsLate, decisionsLate, refused
            case byClass
        }

        package init(
            figures: CaseFigures, ci95: CaseFigures?, opened: Double, carriedIn: Double, carriedInClosed: Double,
            upwardReports: Double, upwardReportsLate: Double, decisionsLate: Double, refused: Double,
            byClass: [String: CaseFigures] = [:]
        ) {
            self.figures = figures
            self.ci95 = ci95
            self.opened = opened
            self.carriedIn = carriedIn
            self.carriedInClosed = carriedInClosed
            self.upwardReports = upwardReports
            self.upwardReportsLate = upwardReportsLate
            self.decisionsLate = decisionsLate
            self.refused = refused
            self.byClass = byClass
        }

        /// The figures sit at the top of the block, beside the centre's own counts.
        package func encode(to encoder: any Encoder) throws {
            try figures.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encodeIfPresent(ci95, forKey: .ci95)
            try c.encode(opened, forKey: .opened)
            try c.encode(carriedIn, forKey: .carriedIn)
            try c.encode(carriedInClosed, forKey: .carriedInClosed)
            try c.encode(upwardReports, forKey: .upwardReports)
            try c.encode(upwardReportsLate, forKey: .upwardReportsLate)
            try c.encode(decisionsLate, forKey: .decisionsLate)
            try c.encode(refused, forKey: .refused)
            try c.encode(byClass, forKey: .byClass)
        }

        package init(from decoder: any Decoder) throws {
            figures = try CaseFigures(from: decoder)
            let c = try decoder.container(keyedBy: Keys.self)
            ci95 = try c.decodeIfPresent(CaseFigures.self, forKey: .ci95)
            opened = try c.decodeIfPresent(Double.self, forKey: .opened) ?? 0
            carriedIn = try c.decodeIfPresent(Double.self, forKey: .carriedIn) ?? 0
            carriedInClosed = try c.decodeIfPresent(Double.self, forKey: .carriedInClosed) ?? 0
            upwardReports = try c.decodeIfPresent(Double.self, forKey: .upwardReports) ?? 0
            upwardReportsLate = try c.decodeIfPresent(Double.self, forKey: .upwardReportsLate) ?? 0
            decisionsLate = try c.decodeIfPresent(Double.self, forKey: .decisionsLate) ?? 0
            refused = try c.decodeIfPresent(Double.self, forKey: .refused) ?? 0
            byClass = try c.decodeIfPresent([String: CaseFigures].self, forKey: .byClass) ?? [:]
        }
    }

    package struct UnitRow: Codable, Sendable {
        package var id: String
        package var nameZh: String
        package var nameEn: String
        package var tier: Int
        package var dutyLines: Int
        /// Line-time in calls over line-time in force.
        package var lineOccupancy: Double
        package var conferenceAttempts: Double
        package var conferenceLineBusy: Double
        package var conferenceNoAnswer: Double
        package var conferenceOnSpot: Double
        package var conferenceCannotAnswer: Double
        package var dispatchCalls: Double
        package var dispatchLineBusy: Double
        package var notifications: Double
        package var notificationLineBusy: Double
        /// Art. 13(1): calls to its duty line (phone dispatches, notifications) and how many went unanswered.
        package var dutyLineCalls: Double
        package var dutyLineUnanswered: Double
        /// The figures of its cases, the same fields as the centre's `cases` block.
        package var cases: CaseFigures
        /// 95 % confidence half-widths of its case figures, with several replications.
        package var casesCI95: CaseFigures?
    }

    /// One interval of the day, averaged over days (after the warm-up) and replications (calls by arrival time).
    package struct IntervalRow: Codable, Sendable {
        package var start: String
        package var offered: Double
        package var answered: Double
        package var abandoned: Double
        package var serviceLevel: Double
        package var meanWaitS: Double
        /// Mean operators staffed and busy during the interval.
        package var staffed: Double
        package var busy: Double
        package var occupancy: Double
    }
}

extension SimulationReport {
    /// The summary over all replications.
    package var summary: SimulationSummary {
        let n = Double(results.count)
        let per = results.map(Figures.init)
        let columns = (0..<9).map { k in per.map { $0.values[k] } }
        let stats = columns.map { meanAndHalfWidth($0) }
        let mean = Figures(stats.map(\.mean))
        let model = plan.model
        func avg(_ f: (ReplicationResult) -> Int) -> Double { Double(results.reduce(0) { $0 + f($1) }) / n }
        func avgD(_ f: (ReplicationResult) -> Double) -> Double { results.reduce(0) { $0 + f($1) } / n }
        let totalOffered = avg(\.offered)
        let connection = totalOffered > 0 ? avg(\.answered) / totalOffered : 0

        var dispositions: [String: Double] = [:]
        for (k, outcome) in Outcome.allCases.enumerated() { dispositions[outcome.rawValue] = avg { $0.outcomes[k] } }

        let base = model.router.directory.base
        let unitFigures = results.map { $0.ledger.unitFigures }
        let dutyLines = results.map { r in
            r.ledger.periods.reduce(into: [UnitID: DutyLineTally]()) { all, p in
                for u in p.units {
                    all[u.unit, default: DutyLineTally()].calls += u.dutyLine.calls
                    all[u.unit, default: DutyLineTally()].unanswered += u.dutyLine.unanswered
                }
            }
        }
        let units = plan.units.enumerated().map { (u, id) -> SimulationSummary.UnitRow in
            let unit = base[id] ?? model.router.directory.allVersions.compactMap { $0.snapshot[id] }.first
            let t = results.map { $0.units[u] }
            func a(_ f: (UnitTally) -> Int) -> Double { Double(t.reduce(0) { $0 + f($1) }) / n }
            let capacity = t.reduce(0) { $0 + $1.lineCapacity }
            return SimulationSummary.UnitRow(
                id: id.rawValue, nameZh: unit?.nameZh ?? "", nameEn: unit?.nameEn ?? "", tier: unit?.tier.rawValue ?? 0,
                dutyLines: unit?.dutyLines?.count ?? 0,
                lineOccupancy: capacity > 0 ? t.reduce(0) { $0 + $1.lineBusy } / capacity : 0,
                conferenceAttempts: a(\.conferenceAttempts), conferenceLineBusy: a(\.conferenceLineBusy),
                conferenceNoAnswer: a(\.conferenceNoAnswer), conferenceOnSpot: a(\.conferenceOnSpot),
                conferenceCannotAnswer: a(\.conferenceCannotAnswer), dispatchCalls: a(\.dispatchCalls),
                dispatchLineBusy: a(\.dispatchLineBusy), notifications: a(\.notifications),
                notificationLineBusy: a(\.notificationLineBusy),
                dutyLineCalls: Double(dutyLines.reduce(0) { $0 + ($1[id]?.calls ?? 0) }) / n,
                dutyLineUnanswered: Double(dutyLines.reduce(0) { $0 + ($1[id]?.unanswered ?? 0) }) / n,
                cases: combined(unitFigures.map { $0[id] ?? CaseFigures() }).mean,
                casesCI95: results.count > 1 ? combined(unitFigures.map { $0[id] ?? CaseFigures() }).halfWidth : nil)
        }

        let days = Double(plan.days - plan.warmUpDays) * n
        let length = plan.intervalLength
        let intervals = (0..<plan.intervalCount).map { s -> SimulationSummary.IntervalRow in
            let t = results.map { $0.intervals[s] }
            let offered = Double(t.reduce(0) { $0 + $1.offered })
            let staffed = t.reduce(0) { $0 + $1.staffed }
            let busy = t.reduce(0) { $0 + $1.busy }
            return SimulationSummary.IntervalRow(
                start: TimeOfDay(seconds: s * Int(length)).description, offered: offered / days,
                answered: Double(t.reduce(0) { $0 + $1.answered }) / days,
                abandoned: Double(t.reduce(0) { $0 + $1.abandoned }) / days,
                serviceLevel: offered > 0 ? Double(t.reduce(0) { $0 + $1.answeredInTime }) / offered : 0,
                meanWaitS: offered > 0 ? t.reduce(0) { $0 + $1.waitSum } / offered : 0,
                staffed: staffed / length / days,
                busy: busy / length / days, occupancy: staffed > 0 ? busy / staffed : 0)
        }

        let c = results.map(\.cases)
        func ac(_ f: (CaseCounts) -> Int) -> Double { Double(c.reduce(0) { $0 + f($1) }) / n }
        let centre = combined(results.map { $0.ledger.figures })
        return SimulationSummary(
            model: model.name, start: plan.start.description, days: plan.days, seed: options.seed,
            replications: results.count,
            offered: mean.offered, answered: mean.answered, abandoned: mean.abandoned, serviceLevel: mean.serviceLevel,
            asaS: mean.asaS, meanWaitS: mean.meanWaitS, abandonRate: mean.abandonRate, occupancy: mean.occupancy,
            events: mean.events, wallS: wallSeconds,
            ci95: results.count > 1 ? Figures(stats.map(\.halfWidth)) : nil,
            targets: .init(
                thresholdS: model.service.thresholdSeconds, serviceLevelTarget: model.service.targetShare,
                connectionRateTarget: model.service.connectionRateTarget, connectionRate: connection,
                serviceLevelMet: mean.serviceLevel >= model.service.targetShare,
                connectionRateMet: connection >= model.service.connectionRateTarget),
            dispositions: dispositions,
            outbound: .init(
                satisfactionCallbacks: avg(\.satisfactionCallbacks), missedCallCallbacks: avg(\.missedCallCallbacks),
                callbackOffersTaken: avg(\.callbackOffersTaken), retrials: avg(\.retrials)),
            cases: .init(
                figures: centre.mean, ci95: results.count > 1 ? centre.halfWidth : nil, opened: ac(\.opened),
                carriedIn: Double(results.reduce(0) { $0 + $1.ledger.carriedIn }) / n,
                carriedInClosed: Double(results.reduce(0) { $0 + $1.ledger.carriedInClosed }) / n,
                upwardReports: ac(\.upwardReports), upwardReportsLate: ac(\.upwardReportsLate),
                decisionsLate: ac(\.decisionsLate), refused: ac(\.refused),
                byClass: Dictionary(
                    uniqueKeysWithValues: plan.model.router.policy.classes.keys.map { k in
                        (k.rawValue, combined(results.map { $0.ledger.classFigures[k] ?? CaseFigures() }).mean)
                    })),
            units: units, intervals: intervals, periods: results.first?.ledger.periods ?? [], perReplication: per)
    }
}

/// The mean and 95 % half-width of every case figure over replications.
func combined(_ figures: [CaseFigures]) -> (mean: CaseFigures, halfWidth: CaseFigures) {
    var mean = CaseFigures()
    var half = CaseFigures()
    for field in CaseFigures.allFields {
        let (m, h) = meanAndHalfWidth(figures.map { $0[keyPath: field] })
        mean[keyPath: field] = m
        half[keyPath: field] = h
    }
    return (mean, half)
}
