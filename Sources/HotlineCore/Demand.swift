/// A day of the year, month and day, for seasons that recur every year.
package struct MonthDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var month: Int
    package var day: Int

    package init(month: Int, day: Int) {
        self.month = month
        self.day = day
    }

    package init(_ date: CivilDate) { self.init(month: date.month, day: date.day) }

    package static func < (a: MonthDay, b: MonthDay) -> Bool { (a.month, a.day) < (b.month, b.day) }

    package var description: String { (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)" }
}

/// A season with more (or fewer) calls, such as the heating season (15 Oct – 15 Apr).
package struct Season: Hashable, Sendable {
    package var name: String
    /// First day; the season may wrap past New Year.
    package var from: MonthDay
    /// Last day (inclusive).
    package var to: MonthDay
    package var factor: Double

    package init(name: String, from: MonthDay, to: MonthDay, factor: Double) {
        self.name = name
        self.from = from
        self.to = to
        self.factor = factor
    }

    /// Whether a date falls in the season.
    package func contains(_ date: CivilDate) -> Bool {
        let d = MonthDay(date)
        return from <= to ? (d >= from && d <= to) : (d >= from || d <= to)
    }
}

/// A surge of calls on given days (a cold snap, a water main burst), optionally in some categories only.
package struct Surge: Hashable, Sendable {
    package var first: CivilDate
    package var days: Int
    package var factor: Double
    /// Category prefixes the extra calls fall in; empty means all categories alike.
    package var categories: [CategoryCode]

    package init(first: CivilDate, days: Int = 1, factor: Double, categories: [CategoryCode] = []) {
        self.first = first
        self.days = days
        self.factor = factor
        self.categories = categories
    }

    package func contains(_ date: CivilDate) -> Bool {
        date.dayNumber >= first.dayNumber && date.dayNumber < first.dayNumber + days
    }
}

/// Calls offered to the centre over time: a base rate per half-hour of the day, times factors for
/// the day of the week, holidays, seasons and surge days.
package struct ArrivalProfile: Hashable, Sendable {
    /// Calls per hour in each of the 48 half-hours of an ordinary weekday (factor 1).
    package var baseRatePerHour: [Double]
    package var dayOfWeek: [Weekday: Double]
    /// Factor on statutory holidays (instead of the day-of-week factor); `nil` treats them by weekday.
    package var holidayFactor: Double?
    package var seasons: [Season]
    package var surges: [Surge]

    package init(
        baseRatePerHour: [Double],
        dayOfWeek: [Weekday: Double] = [:],
        holidayFactor: Double? = nil,
        seasons: [Season] = [],
        surges: [Surge] = []
    ) {
        precondition(baseRatePerHour.count == 48, "48 half-hours")
        self.baseRatePerHour = baseRatePerHour
        self.dayOfWeek = dayOfWeek
        self.holidayFactor = holidayFactor
        self.seasons = seasons
        self.surges = surges
    }

    /// A flat rate around the clock, every day.
    package static func flat(perHour rate: Double) -> ArrivalProfile {
        ArrivalProfile(baseRatePerHour: Array(repeating: rate, count: 48))
    }

    /// The factor of a whole day: day of week (or holiday), seasons and surges multiplied.
    package func dayFactor(_ date: CivilDate, calendar: WorkingCalendar) -> Double {
        var f: Double
        if let h = holidayFactor, calendar.kind(of: date) == .holiday {
            f = h
        } else {
            f = dayOfWeek[date.weekday] ?? 1
        }
        for s in seasons where s.contains(date) { f *= s.factor }
        for s in surges where s.contains(date) { f *= s.factor }
        return f
    }

    /// Calls per hour at an instant (piecewise constant over half-hours).
    package func rate(at time: Instant, calendar: WorkingCalendar) -> Double {
        let slot = min(47, Int(time.secondsIntoDay / 1800))
        return baseRatePerHour[slot] * dayFactor(time.date, calendar: calendar)
    }

    /// Expected calls on an ordinary weekday with all factors 1.
    package var baseCallsPerDay: Double { baseRatePerHour.reduce(0, +) / 2 }

    /// Expected calls on a date.
    package func expectedCalls(on date: CivilDate, calendar: WorkingCalendar) -> Double {
        baseCallsPerDay * dayFactor(date, calendar: calendar)
    }
}

/// A break inside a shift.
package struct ShiftBreak: Hashable, Sendable {
    /// Seconds after the shift's start.
    package var offset: Int
    package var length: Int

    package init(offset: Int, length: Int) {
        self.offset = offset
        self.length = length
    }
}

/// The kinds of day a roster tells apart; the planner plans each on its own.
package enum DayType: String, CaseIterable, Sendable, Hashable, Codable {
    /// Working days, make-up working days (调休) among them.
    case working
    /// Weekend days that are days off.
    case weekend
    /// Statutory holidays.
    case holiday
    /// The model's surge days (a cold snap); a surge day is also of its calendar type.
    case surge

    /// The calendar type of a date: working, weekend or holiday (never `surge`).
    package init(_ kind: DayKind) {
        switch kind {
        case .workingDay, .makeUpWorkingDay, .assumedWorkingDay: self = .working
        case .weekend, .assumedDayOff: self = .weekend
        case .holiday: self = .holiday
        }
    }
}

/// A day as the roster sees it: its weekday, its calendar type and whether it is a surge day.
package struct RosterDay: Hashable, Sendable {
    package var weekday: Weekday
    /// `working`, `weekend` or `holiday`.
    package var type: DayType
    package var surge: Bool

    package init(weekday: Weekday, type: DayType, surge: Bool = false) {
        self.weekday = weekday
        self.type = type
        self.surge = surge
    }

    /// A date as the roster sees it, by the model's calendar and surges.
    package init(_ date: CivilDate, calendar: WorkingCalendar, surges: [Surge]) {
        self.init(
            weekday: date.weekday, type: DayType(calendar.kind(of: date)), surge: surges.contains { $0.contains(date) })
    }

    /// An ordinary day of a weekday: Saturday and Sunday are weekend days, the others working days.
    package init(ordinary weekday: Weekday) {
        self.init(weekday: weekday, type: weekday == .saturday || weekday == .sunday ? .weekend : .working)
    }

    /// The weekday before this one.
    package var previousWeekday: Weekday { Weekday(rawValue: (weekday.rawValue + 5) % 7 + 1)! }
}

/// A shift of the operator roster: `count` operators from `start` for `length` seconds, with breaks.
package struct Shift: Hashable, Sendable {
    package var name: String
    package var start: TimeOfDay
    /// Length in seconds, at most 24 h; a shift may run past midnight.
    package var length: Int
    package var count: Int
    package var breaks: [ShiftBreak]
    /// Days the shift starts on; all days when empty.
    package var days: Set<Weekday>
    /// Types of day the shift starts on; all when empty. A `surge` shift works on surge days only,
    /// on top of the shifts of the day's calendar type.
    package var dayTypes: Set<DayType>

    package init(
        name: String,
        start: TimeOfDay,
        length: Int,
        count: Int,
        breaks: [ShiftBreak] = [],
        days: Set<Weekday> = [],
        dayTypes: Set<DayType> = []
    ) {
        self.name = name
        self.start = start
        self.length = length
        self.count = count
        self.breaks = breaks
        self.days = days
        self.dayTypes = dayTypes
    }

    /// Whether the shift starts on a day.
    package func starts(on day: RosterDay) -> Bool {
        guard days.isEmpty || days.contains(day.weekday) else { return false }
        return dayTypes.isEmpty || dayTypes.contains(day.type) || (day.surge && dayTypes.contains(.surge))
    }

    /// Operators of this shift on duty (not on a break) `t` seconds into `day`, which follows `yesterday`.
    package func onDuty(secondsIntoDay t: Int, on day: RosterDay, after yesterday: RosterDay) -> Int {
        // The shift may have started today or, running past midnight, yesterday (no array: the model
        // check asks this for every minute of every kind of day).
        func at(_ offset: Int) -> Int {
            breaks.contains { offset >= $0.offset && offset < $0.offset + $0.length } ? 0 : count
        }
        let today = t - start.seconds
        if today >= 0, today < length, starts(on: day) { return at(today) }
        let carried = t + 86_400 - start.seconds
        if carried >= 0, carried < length, starts(on: yesterday) { return at(carried) }
        return 0
    }

    /// Operators on duty `t` seconds into an ordinary day of weekday `day` (after an ordinary day).
    package func onDuty(secondsIntoDay t: Int, on day: Weekday) -> Int {
        let today = RosterDay(ordinary: day)
        return onDuty(secondsIntoDay: t, on: today, after: RosterDay(ordinary: today.previousWeekday))
    }
}

/// How many operators answer calls: a flat count or a shift table.
package enum Staffing: Hashable, Sendable {
    case flat(Int)
    case shifts([Shift])

    /// Operators on duty `t` seconds into an ordinary day of weekday `day`.
    package func onDuty(secondsIntoDay t: Int, on day: Weekday) -> Int {
        switch self {
        case .flat(let n): n
        case .shifts(let s): s.reduce(0) { $0 + $1.onDuty(secondsIntoDay: t, on: day) }
        }
    }

    /// Operators on duty `t` seconds into `day`, which follows `yesterday`.
    package func onDuty(secondsIntoDay t: Int, on day: RosterDay, after yesterday: RosterDay) -> Int {
        switch self {
        case .flat(let n): n
        case .shifts(let s):
            // By index: each shift is read in place, not copied (the model check asks every minute).
            s.indices.reduce(0) { $0 + s[$1].onDuty(secondsIntoDay: t, on: day, after: yesterday) }
        }
    }
}

/// Operator handling of one disposition (Art. 10(1)–(6)).
package struct Handling: Hashable, Sendable {
    /// Share of calls settled this way when the category does not say; the shares sum to 1.
    package var share: Double
    /// Operator talk time with the caller.
    package var talk: Distribution
    /// After-call work (registration, work order writing).
    package var afterCall: Distribution?

    package init(share: Double, talk: Distribution, afterCall: Distribution? = nil) {
        self.share = share
        self.talk = talk
        self.afterCall = afterCall
    }
}

/// How units' duty lines behave in a three-party call (Art. 10(2)); the simulator draws from it.
package struct ConferenceBehaviour: Hashable, Sendable {
    /// Time the duty line rings before someone picks up.
    package var ring: Distribution
    /// A duty line unanswered this long falls back to registration (Art. 10(3)).
    package var ringTimeout: Double
    /// Chance the duty line is answered before the timeout.
    package var answerProbability: Double
    /// Chance the unit can answer the caller on the spot once it answers.
    package var onSpotProbability: Double
    /// Talk time while the three parties are bridged.
    package var bridgedTalk: Distribution

    package init(
        ring: Distribution = .uniform(min: 10, max: 30),
        ringTimeout: Double = 30,
        answerProbability: Double = 0.9,
        onSpotProbability: Double = 0.5,
        bridgedTalk: Distribution = .exponential(mean: 90)
    ) {
        self.ring = ring
        self.ringTimeout = ringTimeout
        self.answerProbability = answerProbability
        self.onSpotProbability = onSpotProbability
        self.bridgedTalk = bridgedTalk
    }
}

/// Service targets (GB/T 33358-2016 and local standards).
package struct ServiceTargets: Hashable, Sendable {
    /// Seconds within which a call counts as answered in time.
    package var thresholdSeconds: Double
    /// Share of offered calls to answer within the threshold.
    package var targetShare: Double
    /// Answered over offered, over 24 h.
    package var connectionRateTarget: Double

    package init(thresholdSeconds: Double, targetShare: Double = 0.8, connectionRateTarget: Double = 0.95) {
        self.thresholdSeconds = thresholdSeconds
        self.targetShare = targetShare
        self.connectionRateTarget = connectionRateTarget
    }
}

/// Callers who hang up and call again.
package struct Retrial: Hashable, Sendable {
    package var share: Double
    package var delay: Distribution
    package init(share: Double, delay: Distribution) {
        self.share = share
        self.delay = delay
    }
}

/// Outbound calls: satisfaction callbacks (回访) on the next working day, and call-backs of missed calls.
package struct Callbacks: Hashable, Sendable {
    /// Share of replied cases that get a satisfaction callback (at least 80 %).
    package var share: Double
    package var satisfaction: [Satisfaction: Double]
    package var talk: Distribution
    /// Hours of the working day in which satisfaction callbacks are made.
    package var hours: DailyCover
    /// Share of abandoned callers (who do not call again) that the centre calls back.
    package var missedCallShare: Double
    package var missedCallTalk: Distribution

    package init(
        share: Double = 0.8, satisfaction: [Satisfaction: Double], talk: Distribution = .exponential(mean: 60),
        hours: DailyCover = DailyCover(start: TimeOfDay(hour: 9), end: TimeOfDay(hour: 17)),
        missedCallShare: Double = 0,
        missedCallTalk: Distribution = .exponential(mean: 120)
    ) {
        self.share = share
        self.satisfaction = satisfaction
        self.talk = talk
        self.hours = hours
        self.missedCallShare = missedCallShare
        self.missedCallTalk = missedCallTalk
    }
}

/// The inbound IVR (GB/T 33358-2016: a greeting, queue announcements and a call-back offer, no deep menu).
package struct IVRBehaviour: Hashable, Sendable {
    /// The greeting played before a caller joins the queue.
    package var greeting: Distribution?
    /// Callers told of a wait longer than this are offered a call-back; `nil` for no offer.
    package var callbackOfferAfter: Double?
    /// Share of callers offered a call-back who take it (they leave the queue and are called back).
    package var callbackAcceptance: Double

    package init(greeting: Distribution? = nil, callbackOfferAfter: Double? = nil, callbackAcceptance: Double = 0.5) {
        self.greeting = greeting
        self.callbackOfferAfter = callbackOfferAfter
        self.callbackAcceptance = callbackAcceptance
    }
}

/// How one step of a case is done against its limit: the share done within it (at a time drawn
/// evenly up to the limit), and how long after the limit the rest come.
package struct StepTiming: Hashable, Sendable {
    package var onTime: Double
    package var lateBy: Distribution

    package init(onTime: Double, lateBy: Distribution) {
        self.onTime = onTime
        self.lateBy = lateBy
    }
}

/// How a unit handles the cases it holds, for one deadline class (the simulator draws these facts).
package struct UnitConduct: Hashable, Sendable {
    /// Signing for the case (签收), Art. 10(3)/(4); a tier-2 unit's hand-on (Art. 7) is timed alike.
    package var signFor: StepTiming
    /// Art. 10(7): contacting the caller.
    package var firstContact: StepTiming
    /// Art. 10(8): the reply, against the limit then in force.
    package var reply: StepTiming
    /// Art. 10(11): the closure report once the result stands.
    package var closureReport: StepTiming
    /// Art. 11: arriving at joint handling.
    package var attendance: StepTiming
    /// Art. 12: the lead unit's information report on an escalated matter.
    package var information: StepTiming
    /// Art. 10(8): of the cases it will reply to late, the share for which it applies for the one
    /// extension in time.
    package var asksExtension: Double
    /// Share of its own cases it returns anyway (退单 as evasion, 推诿, Art. 13(3)).
    package var evasiveReturn: Double
    /// Art. 10(10): share of common matters answered through the media rather than by phone.
    package var mediaReply: Double
    /// The callers' verdicts on its replies; `nil` for the shares of `callbacks.satisfaction`.
    package var satisfaction: [Satisfaction: Double]?

    package init(
        signFor: StepTiming = StepTiming(onTime: 0.97, lateBy: .exponential(mean: 14_400)),
        firstContact: StepTiming = StepTiming(onTime: 0.95, lateBy: .exponential(mean: 28_800)),
        reply: StepTiming = StepTiming(onTime: 0.93, lateBy: .exponential(mean: 172_800)),
        closureReport: StepTiming = StepTiming(onTime: 0.95, lateBy: .exponential(mean: 86_400)),
        attendance: StepTiming = StepTiming(onTime: 0.97, lateBy: .exponential(mean: 1800)),
        information: StepTiming = StepTiming(onTime: 0.95, lateBy: .exponential(mean: 3600)),
        asksExtension: Double = 0.5, evasiveReturn: Double = 0, mediaReply: Double = 0.5,
        satisfaction: [Satisfaction: Double]? = nil
    ) {
        self.signFor = signFor
        self.firstContact = firstContact
        self.reply = reply
        self.closureReport = closureReport
        self.attendance = attendance
        self.information = information
        self.asksExtension = asksExtension
        self.evasiveReturn = evasiveReturn
        self.mediaReply = mediaReply
        self.satisfaction = satisfaction
    }
}

/// Settings of unit conduct that one layer changes (a deadline class, a unit kind, one unit); what
/// it leaves `nil` comes from the layer below.
package struct ConductLayer: Hashable, Sendable {
    package var signFor: PartialTiming = PartialTiming()
    package var firstContact: PartialTiming = PartialTiming()
    package var reply: PartialTiming = PartialTiming()
    package var closureReport: PartialTiming = PartialTiming()
    package var attendance: PartialTiming = PartialTiming()
    package var information: PartialTiming = PartialTiming()
    package var asksExtension: Double?
    package var evasiveReturn: Double?
    package var mediaReply: Double?
    package var satisfaction: [Satisfaction: Double]?

    package init() {}

    /// The timing of a step, one of them left as it is.
    package struct PartialTiming: Hashable, Sendable {
        package var onTime: Double?
        package var lateBy: Distribution?
        package init(onTime: Double? = nil, lateBy: Distribution? = nil) {
            self.onTime = onTime
            self.lateBy = lateBy
        }
        func over(_ t: StepTiming) -> StepTiming {
            StepTiming(onTime: onTime ?? t.onTime, lateBy: lateBy ?? t.lateBy)
        }
    }

    /// `base` with this layer's settings over it.
    package func over(_ base: UnitConduct) -> UnitConduct {
        var c = base
        c.signFor = signFor.over(base.signFor)
        c.firstContact = firstContact.over(base.firstContact)
        c.reply = reply.over(base.reply)
        c.closureReport = closureReport.over(base.closureReport)
        c.attendance = attendance.over(base.attendance)
        c.information = information.over(base.information)
        c.asksExtension = asksExtension ?? base.asksExtension
        c.evasiveReturn = evasiveReturn ?? base.evasiveReturn
        c.mediaReply = mediaReply ?? base.mediaReply
        c.satisfaction = satisfaction ?? base.satisfaction
        return c
    }
}

/// How units behave on the cases dispatched to them, and what the centre meets at intake; the
/// simulator draws these facts.
package struct CaseBehaviour: Hashable, Sendable {
    /// The operator reads a case to the unit's duty line (Art. 10(3)): operator and line held together.
    package var dispatchTalk: Distribution
    /// An Art. 11 notification holds each notified unit's duty line this long.
    package var notifyTalk: Distribution
    /// Share of dispatched cases first sent to a unit that is not responsible; it returns them (退单).
    package var misrouted: Double
    /// Art. 10(9): share of registered cases assigned by city leaders or a provincial office.
    package var leaderAssigned: Double
    /// Art. 10(6): share of escalated matters judged major (reported to the levels for major matters).
    package var major: Double
    /// Art. 10(8): share of extension applications the centre grants.
    package var extensionGranted: Double
    /// Art. 10(10): share of calls (that would otherwise raise a new matter) from callers whose case is
    /// still open: the call joins that case.
    package var repeatCalls: Double
    /// After a dissatisfied callback: shares of re-handle, promise and explain (Art. 10(10)).
    package var followUp: [FollowUp: Double]
    /// Unit conduct: the default, then by deadline class, by unit kind and by unit, each over the last.
    package var conduct: UnitConduct
    package var byClass: [DeadlineClassID: ConductLayer]
    package var byKind: [UnitKind: ConductLayer]
    package var byUnit: [UnitID: ConductLayer]

    package init(
        dispatchTalk: Distribution = .exponential(mean: 90), notifyTalk: Distribution = .exponential(mean: 60),
        misrouted: Double = 0, leaderAssigned: Double = 0, major: Double = 0, extensionGranted: Double = 0.8,
        repeatCalls: Double = 0,
        followUp: [FollowUp: Double] = [.reHandle: 0.5, .promise: 0.3, .explain: 0.2],
        conduct: UnitConduct = UnitConduct(),
        byClass: [DeadlineClassID: ConductLayer] = [:], byKind: [UnitKind: ConductLayer] = [:],
        byUnit: [UnitID: ConductLayer] = [:]
    ) {
        self.dispatchTalk = dispatchTalk
        self.notifyTalk = notifyTalk
        self.misrouted = misrouted
        self.leaderAssigned = leaderAssigned
        self.major = major
        self.extensionGranted = extensionGranted
        self.repeatCalls = repeatCalls
        self.followUp = followUp
        self.conduct = conduct
        self.byClass = byClass
        self.byKind = byKind
        self.byUnit = byUnit
    }

    /// How `unit` handles a case of deadline class `deadlineClass`: the default conduct, with the class's,
    /// the unit kind's and the unit's own settings over it, in that order.
    package func conduct(of unit: Unit, in deadlineClass: DeadlineClassID) -> UnitConduct {
        var c = conduct
        if let l = byClass[deadlineClass] { c = l.over(c) }
        if let l = byKind[unit.kind] { c = l.over(c) }
        if let l = byUnit[unit.id] { c = l.over(c) }
        return c
    }
}
