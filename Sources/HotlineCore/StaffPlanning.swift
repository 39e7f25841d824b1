/// A break a shift must take somewhere inside a window (a meal break between the 3rd and 5th hour).
package struct BreakWindow: Hashable, Sendable {
    /// Length in seconds.
    package var length: Int
    /// The earliest start, in seconds after the shift's start.
    package var earliest: Int
    /// The latest end, in seconds after the shift's start.
    package var latest: Int

    package init(length: Int, earliest: Int, latest: Int) {
        self.length = length
        self.earliest = earliest
        self.latest = latest
    }
}

/// A kind of shift the planner may use: its length, the times it may start and its breaks.
package struct ShiftTemplate: Hashable, Sendable {
    package var name: String
    /// Paid length in seconds, breaks included.
    package var length: Int
    /// Times of day it may start, in seconds after midnight; `nil` for every interval from which it
    /// ends by midnight.
    package var starts: [Int]?
    package var breaks: [BreakWindow]

    package init(name: String, length: Int, starts: [Int]? = nil, breaks: [BreakWindow] = []) {
        self.name = name
        self.length = length
        self.starts = starts
        self.breaks = breaks
    }
}

/// A floor on the operators on the phones during part of the day.
package struct StaffFloor: Hashable, Sendable {
    package var from: TimeOfDay
    /// The end (exclusive); 00:00 means midnight at the end of the day.
    package var to: TimeOfDay
    package var staff: Int

    package init(from: TimeOfDay, to: TimeOfDay, staff: Int) {
        self.from = from
        self.to = to
        self.staff = staff
    }

    /// Whether the floor holds at `t` seconds into the day.
    package func covers(secondsIntoDay t: Int) -> Bool {
        let end = to.seconds == 0 ? 86_400 : to.seconds
        return from.seconds < end ? (t >= from.seconds && t < end) : (t >= from.seconds || t < end)
    }
}

/// What the staffing planner plans with: shift templates, floors, shrinkage and costs.
package struct StaffPlanning: Hashable, Sendable {
    /// Interval length in minutes (30 or 15).
    package var intervalMinutes: Int
    package var templates: [ShiftTemplate]
    /// Operators on the phones in every interval, whatever the demand (Art. 10(1): 24-hour answering).
    package var minimumStaff: Int
    package var floors: [StaffFloor]
    /// Shares of paid time lost to leave, training, sickness and the like, by name.
    package var shrinkage: [String: Double]
    /// What an overtime hour costs against a planned hour.
    package var overtimePremium: Double
    /// The chance a three-party call may find every duty line of a unit busy (Art. 6).
    package var dutyLineBlocking: Double
    /// Days a seat works in a week.
    package var daysPerWeek: Int
    /// Least rest between two shifts of one seat, in seconds.
    package var restBetweenShifts: Int
    /// Seconds the search for the cheapest shifts may take before it stops with its best.
    package var solverTimeLimit: Double

    package init(
        intervalMinutes: Int = 30,
        templates: [ShiftTemplate] = [StaffPlanning.eightHours],
        minimumStaff: Int = 1,
        floors: [StaffFloor] = [],
        shrinkage: [String: Double] = [:],
        overtimePremium: Double = 1.5,
        dutyLineBlocking: Double = 0.05,
        daysPerWeek: Int = 5,
        restBetweenShifts: Int = 11 * 3600,
        solverTimeLimit: Double = 10
    ) {
        self.intervalMinutes = intervalMinutes
        self.templates = templates
        self.minimumStaff = minimumStaff
        self.floors = floors
        self.shrinkage = shrinkage
        self.overtimePremium = overtimePremium
        self.dutyLineBlocking = dutyLineBlocking
        self.daysPerWeek = daysPerWeek
        self.restBetweenShifts = restBetweenShifts
        self.solverTimeLimit = solverTimeLimit
    }

    /// The template used when a model names none: 8 hours with a 30-minute meal break between the
    /// 3rd hour and 5.5 hours in, starting on any half-hour from which it ends by midnight.
    package static let eightHours = ShiftTemplate(
        name: "8h", length: 8 * 3600, breaks: [BreakWindow(length: 1800, earliest: 3 * 3600, latest: 5 * 3600 + 1800)])

    /// The total shrinkage, a share of paid time (the parts add up).
    package var totalShrinkage: Double { shrinkage.values.reduce(0, +) }

    /// The least staff at `t` seconds into the day.
    package func floor(secondsIntoDay t: Int) -> Int {
        floors.filter { $0.covers(secondsIntoDay: t) }.map(\.staff).max().map { max($0, minimumStaff) } ?? minimumStaff
    }
}
