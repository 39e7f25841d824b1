package import HotlineCore
internal import HotlineEngine

/// A model compiled for the engine: samplers, alias tables, rates over the horizon, unit indices.
///
/// Built once per run and shared read-only by every replication.
package struct SimulationPlan: Sendable {
    package let model: CityModel
    /// The first simulated day; simulated time 0 is its local midnight.
    package let start: CivilDate
    package let days: Int
    /// The end of the arrivals, in simulated seconds.
    package var horizon: Double { Double(days) * 86_400 }

    let startSeconds: Double
    /// The intervals the run tallies calls and staffing by: their length in seconds (a divisor of a
    /// day), their number in a day, and the reciprocal of the length.
    package let intervalLength: Double
    package let intervalCount: Int
    let intervalScale: Double
    /// The first interval tallied (counted from the start): the warm-up days before it are dropped.
    let firstTallied: Int
    /// Days at the start whose calls and staffing the intervals leave out.
    package var warmUpDays: Int { firstTallied / intervalCount }
    let arrivals: PiecewiseRate
    let threshold: Double

    // Calls: category, territory and disposition mixes.
    let categories: [Category]
    let categoryAlias: AliasTable?
    let dispositionAliases: [AliasTable]
    let dispositionLists: [[Disposition]]
    let emergencyCategory: [Bool]
    /// Per day: the chance a call is a surge's extra call, and the categories extra calls fall in.
    let surgeShare: [Double]
    let surgeAlias: [AliasTable?]
    let territories: [TerritoryID]
    let territoryAlias: AliasTable?
    let handlingDispositions: [Disposition]
    let handlingAlias: AliasTable

    // Durations, indexed by `Disposition.index` (zero for dispositions the handling does not list).
    let talk: [Sampler]
    let afterCall: [Sampler]
    let hasAfterCall: [Bool]
    let meanHandleTime: Double
    /// How long callers wait before hanging up (never drawn when `hasPatience` is false).
    let patienceSampler: Sampler
    let hasPatience: Bool
    let retrialShare: Double
    let retrialDelay: Sampler?
    let greeting: Sampler?
    /// The greeting's length when it is the same for every caller (then folded into the arrival times).
    let fixedGreeting: Double?
    let ring: Sampler
    let bridged: Sampler
    let dispatchTalk: Sampler
    let notifyTalk: Sampler
    /// Unit conduct on cases, by unit index and deadline class (`draws(unit:deadlineClass:)`).
    let conduct: [[UnitDraws]]
    let classIndex: [DeadlineClassID: Int]
    /// Conduct for a unit outside the directory, by deadline class.
    let defaultConduct: [UnitDraws]
    /// The rules case events are checked against.
    let caseRules: CaseRules
    /// Days before the start whose cases are simulated to fill the units' desks (the case warm-up).
    package let caseWarmUpDays: Int
    /// Tier-2 units with duty lines: where a misrouted work order may go first.
    let misrouteCandidates: [UnitID]
    let callbackTalk: Sampler
    let missedCallTalk: Sampler
    let followUpAlias: AliasTable
    let followUps: [FollowUp]
    let satisfactionAlias: AliasTable
    let satisfactions: [Satisfaction]

    // Units, across every version of the directory.
    package let units: [UnitID]
    let unitIndex: [UnitID: Int]
    /// Duty-line capacity of each unit in each version (0 when the unit is not in force).
    let capacity: [[Int]]
    /// When each version takes effect, in simulated seconds (the base at -infinity).
    let versionStarts: [Double]

    /// Whether waiting callers get their own abandonment event (needed when an abandonment sets off
    /// later work: a retrial or a call-back); otherwise abandonment is found lazily, which is exact too.
    let eagerAbandonment: Bool

    /// Compiles a model for a run of `days` days from `start`.
    /// - Parameters:
    ///   - intervalMinutes: the length of the intervals the run is tallied by, a divisor of a day.
    ///   - warmUpDays: days at the start left out of the interval tallies (not of the totals).
    ///   - caseWarmUpDays: days before the start whose cases are simulated (a backlog), not counted.
    package init(
        model: CityModel, start: CivilDate, days: Int, intervalMinutes: Int = 30, warmUpDays: Int = 0,
        caseWarmUpDays: Int = 0
    ) {
        precondition(intervalMinutes > 0 && 1440 % intervalMinutes == 0, "intervals divide the day")
        intervalLength = Double(intervalMinutes * 60)
        intervalCount = 1440 / intervalMinutes
        intervalScale = 1 / intervalLength
        firstTallied = max(0, warmUpDays) * intervalCount
        self.model = model
        self.start = start
        self.days = days
        startSeconds = Instant(start).seconds
        threshold = model.service.thresholdSeconds
        let router = model.router
        var rates: [Double] = []
        rates.reserveCapacity(days * 48)
        var surgeShare: [Double] = []
        var surgeAlias: [AliasTable?] = []
        categories = router.categories.leaves.filter { ($0.callShare ?? 0) > 0 }
        for d in 0..<days {
            let date = start.adding(days: d)
            let factor = model.arrivals.dayFactor(date, calendar: router.calendar)
            for slot in 0..<48 { rates.append(model.arrivals.baseRatePerHour[slot] * factor / 3600) }
            // A surge with categories sends its extra calls (factor − 1 of factor) to those categories.
            let targeted = model.arrivals.surges.filter { $0.contains(date) && !$0.categories.isEmpty }
            if let surge = targeted.first, surge.factor > 1, !categories.isEmpty {
                let weights = categories.map { c in
                    surge.categories.contains { $0.isPrefix(of: c.code) } ? c.callShare ?? 0 : 0
                }
                if weights.reduce(0, +) > 0 {
                    surgeShare.append((surge.factor - 1) / factor)
                    surgeAlias.append(AliasTable(weights: weights))
                    continue
                }
            }
            surgeShare.append(0)
            surgeAlias.append(nil)
        }
        arrivals = PiecewiseRate(slotLength: 1800, ratePerSecond: rates)
        self.surgeShare = surgeShare
        self.surgeAlias = surgeAlias

        categoryAlias = categories.isEmpty ? nil : AliasTable(weights: categories.map { $0.callShare ?? 0 })
        var aliases: [AliasTable] = []
        var lists: [[Disposition]] = []
        for c in categories {
            let list = Disposition.allCases.filter { c.dispositions[$0] > 0 }
            lists.append(list)
            aliases.append(AliasTable(weights: list.map { c.dispositions[$0] }))
        }
        dispositionAliases = aliases
        dispositionLists = lists
        emergencyCategory = categories.map {
            $0.requestType == .emergency || (router.policy.classes[$0.urgency]?.isEmergency ?? false)
        }
        let leafTerritories = router.territories.territories.values.filter { t in
            !router.territories.territories.values.contains { $0.parent == t.id }
        }.sorted { $0.id < $1.id }
        territories = leafTerritories.map(\.id)
        let territoryWeights = leafTerritories.map { $0.callShare ?? 1 }
        territoryAlias = territoryWeights.isEmpty ? nil : AliasTable(weights: territoryWeights)
        handlingDispositions = Disposition.allCases.filter { (model.handling[$0]?.share ?? 0) > 0 }
        handlingAlias = AliasTable(weights: handlingDispositions.map { model.handling[$0]!.share })

        talk = Disposition.allCases.map { model.handling[$0].map { Sampler($0.talk) } ?? .deterministic(0) }
        afterCall = Disposition.allCases.map { model.handling[$0]?.afterCall.map { Sampler($0) } ?? .deterministic(0) }
        hasAfterCall = Disposition.allCases.map { model.handling[$0]?.afterCall != nil }
        meanHandleTime = model.handling.values.reduce(0) { $0 + $1.share * ($1.talk.mean + ($1.afterCall?.mean ?? 0)) }
        patienceSampler = model.patience.map { Sampler($0) } ?? .deterministic(0)
        hasPatience = model.patience != nil
        retrialShare = model.retrial?.share ?? 0
        retrialDelay = model.retrial.map { Sampler($0.delay) }
        greeting = model.ivr.greeting.map { Sampler($0) }
        if case .deterministic(let g)? = model.ivr.greeting {
            fixedGreeting = g
        } else {
            fixedGreeting = model.ivr.greeting == nil ? 0 : nil
        }
        ring = Sampler(model.conference.ring)
        bridged = Sampler(model.conference.bridgedTalk)
        dispatchTalk = Sampler(model.cases.dispatchTalk)
        notifyTalk = Sampler(model.cases.notifyTalk)
        callbackTalk = Sampler(model.callbacks?.talk ?? .exponential(mean: 60))
        missedCallTalk = Sampler(model.callbacks?.missedCallTalk ?? .exponential(mean: 120))
        followUps = FollowUp.allCases.filter { (model.cases.followUp[$0] ?? 0) > 0 }
        followUpAlias = AliasTable(weights: followUps.isEmpty ? [1] : followUps.map { model.cases.followUp[$0]! })
        satisfactions = Satisfaction.allCases
        satisfactionAlias = AliasTable(
            weights: Satisfaction.allCases.map { model.callbacks?.satisfaction[$0] ?? ($0 == .satisfied ? 1 : 0) })

        let versions = router.directory.allVersions
        var ids = Set<UnitID>()
        for v in versions { ids.formUnion(v.snapshot.units.keys) }
        units = ids.sorted()
        unitIndex = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($0.element, $0.offset) })
        let unitIDs = units
        capacity = versions.map { v in unitIDs.map { v.snapshot[$0]?.dutyLines?.count ?? 0 } }
        let classes = router.policy.classes.keys.sorted { $0.rawValue < $1.rawValue }
        classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
        var built: [UnitConduct: UnitDraws] = [:]
        func draws(_ c: UnitConduct) -> UnitDraws {
            if let known = built[c] { return known }
            let d = UnitDraws(c)
            built[c] = d
            return d
        }
        conduct = units.map { id in
            let unit = versions.lazy.compactMap { $0.snapshot[id] }.first
            return classes.map { k in
                unit.map { draws(model.cases.conduct(of: $0, in: k)) } ?? draws(model.cases.conduct)
            }
        }
        defaultConduct = classes.map { k in
            draws(model.cases.byClass[k]?.over(model.cases.conduct) ?? model.cases.conduct)
        }
        caseRules = router.caseRules
        self.caseWarmUpDays = router.directory.base.units.isEmpty ? 0 : max(0, caseWarmUpDays)
        misrouteCandidates = router.directory.base.sortedUnits.filter {
            $0.tier == .two && ($0.dutyLines?.count ?? 0) > 0
        }.map(\.id)
        let startSeconds = self.startSeconds
        versionStarts = versions.map { v in v.from.map { $0.seconds - startSeconds } ?? -.infinity }
        rosterDays = (-1...days).map {
            RosterDay(start.adding(days: $0), calendar: router.calendar, surges: model.arrivals.surges)
        }
        eagerAbandonment = model.retrial != nil || (model.callbacks?.missedCallShare ?? 0) > 0
    }

    /// Each day of the run as the roster sees it (its type, whether a surge), from the day before the
    /// first to the day after the last (calls still in the system then are answered).
    let rosterDays: [RosterDay]

    /// The tally bin of the `k`-th interval since the start: its interval of the day, or the
    /// warm-up bin (`intervalCount`).
    @inline(__always) func bin(ofInterval k: Int) -> Int { k < firstTallied ? intervalCount : k % intervalCount }

    /// Day `d` of the run (−1 for the day before) as the roster sees it.
    func rosterDay(_ d: Int) -> RosterDay { rosterDays[d + 1] }

    /// How unit `u` (an index of `units`, −1 for none) handles a case of a deadline class.
    func draws(unit u: Int, classIndex k: Int) -> UnitDraws {
        guard u >= 0, k < conduct[u].count else {
            return k < defaultConduct.count ? defaultConduct[k] : UnitDraws(UnitConduct())
        }
        return conduct[u][k]
    }

    /// The simulated time of an instant, and back.
    func instant(_ t: Double) -> Instant { Instant(seconds: startSeconds + t) }
    func time(_ i: Instant) -> Double { i.seconds - startSeconds }
}

/// A step of unit conduct, ready to draw: the share on time, and how late the rest come.
struct StepDraw {
    let onTime: Double
    let lateBy: Sampler
}

/// `UnitConduct` compiled for the engine.
struct UnitDraws {
    let signFor, firstContact, reply, closureReport, attendance, information: StepDraw
    let asksExtension, evasiveReturn, mediaReply: Double
    /// Cumulative shares of satisfied and basically satisfied; `nil` for the callbacks' own shares.
    let satisfaction: (Double, Double)?

    init(_ c: UnitConduct) {
        func step(_ t: StepTiming) -> StepDraw { StepDraw(onTime: t.onTime, lateBy: Sampler(t.lateBy)) }
        signFor = step(c.signFor)
        firstContact = step(c.firstContact)
        reply = step(c.reply)
        closureReport = step(c.closureReport)
        attendance = step(c.attendance)
        information = step(c.information)
        asksExtension = c.asksExtension
        evasiveReturn = c.evasiveReturn
        mediaReply = c.mediaReply
        satisfaction = c.satisfaction.map { ($0[.satisfied] ?? 0, $0[.basicallySatisfied] ?? 0) }
    }
}

extension Disposition {
    /// The position in `allCases`, for arrays indexed by disposition.
    var index: Int {
        switch self {
        case .directAnswer: 0
        case .threePartyCall: 1
        case .phoneDispatch: 2
        case .workOrder: 3
        case .referral: 4
        case .escalation: 5
        }
    }
}

extension Sampler {
    /// The engine's sampler for a distribution of the model.
    init(_ d: Distribution) {
        switch d {
        case .exponential(let m): self = .exponential(mean: m)
        case .lognormal(let m, let cv): self = .lognormal(mean: m, cv: cv)
        case .gamma(let m, let cv): self = .gamma(mean: m, cv: cv)
        case .erlang(let k, let m): self = .erlang(k: k, phaseMean: m / Double(k))
        case .deterministic(let v): self = .deterministic(v)
        case .uniform(let a, let b): self = .uniform(min: a, width: b - a)
        case .empirical(let v, let p): self = .empirical(values: v, alias: AliasTable(weights: p))
        }
    }
}
