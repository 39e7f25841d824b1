package import HotlineCore

/// A verified staffing plan for one type of day: what `hotline staff --json` prints.
package struct StaffPlan: Sendable, Codable {
    package var model: String
    package var method: StaffingMethod
    /// The requirement the shifts cover: the method's own, or (simulation) a cheaper per-interval
    /// Erlang requirement whose cover held in every interval of the whole simulated model.
    package var requirementSource: String
    package var dayType: String
    /// The busiest date of the type, which the plan is sized for, and its expected calls.
    package var designDate: String
    package var designCalls: Double
    /// Dates of this type in the calendar's years.
    package var datesOfType: Int
    package var target: ServiceTarget
    package var intervalMinutes: Int
    package var intervals: [IntervalRow]
    /// Paid operator-hours of the shifts (breaks included).
    package var operatorHours: Double
    package var shifts: [ShiftRow]
    package var shrinkage: Double
    /// Seats on the phones this day, and the headcount once shrinkage is added.
    package var seats: Int
    package var headcount: Int
    package var dutyLines: [DutyLineRow]
    package var erlangCPlan: ComparedPlan
    package var solver: SolverRow
    /// The iterative staffing algorithm's rounds (`simulation` only).
    package var iterations: [StaffingIteration]?
    package var converged: Bool?
    package var verification: Verification
    /// How a surge day can be met (`surge` only).
    package var surge: SurgeOptions?
    package var rota: Rota?
    /// The whole week's rota, the working-day plan from Monday to Friday and the weekend plan on
    /// Saturday and Sunday (on the working-day plan, when every type is planned).
    package var weekRota: Rota?
    package var warnings: [String]
    /// Where the time went (the only figures that differ between runs of the same plan).
    package var timing: Timing

    package struct Timing: Sendable, Codable, Hashable {
        /// Erlang C and Erlang A requirements of every interval of the day.
        package var erlangTablesS: Double
        /// The iterative staffing algorithm's rounds.
        package var iterativeStaffingS: Double
        /// The exact shift searches.
        package var shiftSearchS: Double
        package var totalS: Double
    }

    package struct IntervalRow: Sendable, Codable, Hashable {
        package var start: String
        /// Expected calls offered in the interval.
        package var offered: Double
        package var offeredErlangs: Double
        package var required: Int
        package var scheduled: Int
        /// Simulated: answered within the threshold over offered, abandoned over offered.
        package var serviceLevel: Double
        package var abandonRate: Double
        package var occupancy: Double
        package var meetsTarget: Bool
    }

    package struct ShiftRow: Sendable, Codable, Hashable {
        package var name: String
        package var start: String
        package var hours: Double
        package var breaks: [BreakRow]
        package var count: Int
        /// Overtime on a surge day, on top of the working-day roster.
        package var overtime: Bool

        package init(name: String, start: String, hours: Double, breaks: [BreakRow], count: Int, overtime: Bool) {
            self.name = name
            self.start = start
            self.hours = hours
            self.breaks = breaks
            self.count = count
            self.overtime = overtime
        }
    }

    package struct BreakRow: Sendable, Codable, Hashable {
        package var start: String
        package var minutes: Int

        package init(start: String, minutes: Int) {
            self.start = start
            self.minutes = minutes
        }
    }

    package struct DutyLineRow: Sendable, Codable, Hashable {
        package var unit: String
        package var name: String
        package var current: Int
        package var lines: Int
        /// Erlang B blocking with `lines` at the busiest interval's load.
        package var blocking: Double
        package var offeredErlangs: Double
        /// Blocking the verification simulation saw with `lines`, over the whole day.
        package var simulatedBlocking: Double
    }

    package struct ComparedPlan: Sendable, Codable, Hashable {
        package var operatorHours: Double
        package var intervalsUnderTarget: Int
        package var required: [Int]
        package var serviceLevel: Double
    }

    package struct SolverRow: Sendable, Codable, Hashable {
        package var optimal: Bool
        package var gap: Double
        package var wallS: Double
        package var nodes: Int
        package var patterns: Int
        /// The relaxation's bound, operator-hours.
        package var bound: Double
    }

    package struct Verification: Sendable, Codable, Hashable {
        package var seed: UInt64
        package var replications: Int
        package var daysPerReplication: Int
        package var warmUpDays: Int
        package var callsSimulated: Int
        package var serviceLevel: Double
        package var abandonRate: Double
        package var intervalsUnderTarget: Int
        /// Rounds of raising the requirement where the verification fell short.
        package var corrections: Int
    }

    package struct SurgeOptions: Sendable, Codable, Hashable {
        /// The working-day roster's hours, and the overtime on top of it.
        package var workingHours: Double
        package var overtimeHours: Double
        /// Overtime hours at the overtime premium, in planned-hour equivalents.
        package var overtimeCost: Double
        /// The working-day roster alone on the surge day, with the call-back offer.
        package var workingRosterServiceLevel: Double
        package var workingRosterAbandonRate: Double
        package var workingRosterIntervalsUnderTarget: Int
        /// Callers per day who take the call-back offer instead of waiting (each a later outbound call).
        package var callbacksTaken: Double
    }
}

extension StaffPlan {
    /// The rota of a whole week: `working`'s shifts Monday to Friday, `weekend`'s on Saturday and
    /// Sunday, each shift's name prefixed by its type of day.
    package static func weekRota(working: StaffPlan, weekend: StaffPlan, planning: StaffPlanning) -> Rota {
        func duties(_ p: StaffPlan, _ days: [Weekday]) -> [Rota.Duty] {
            days.flatMap { d in
                p.shifts.flatMap { s in
                    Array(
                        repeating: Rota.Duty(
                            day: d, name: p.dayType + "-" + s.name, start: TimeOfDay(parsing: s.start)?.seconds ?? 0,
                            length: Int((s.hours * 3600).rounded())),
                        count: s.count)
                }
            }
        }
        return Rota.layOut(
            duties(working, [.monday, .tuesday, .wednesday, .thursday, .friday])
                + duties(weekend, [.saturday, .sunday]),
            daysPerWeek: planning.daysPerWeek, rest: planning.restBetweenShifts, shrinkage: planning.totalShrinkage)
    }
}
