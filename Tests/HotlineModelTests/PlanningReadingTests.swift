import HotlineCore
import Testing

@testable import HotlineModel

/// The `planning:` section and shifts by type of day: read as written, or refused at the line.
@Suite struct PlanningReadingTests {
    static let head = """
        name: planning
        service: { threshold_s: 15 }
        arrivals: { rate_per_hour: 40 }
        handling:
          direct: { share: 1.0, talk: { exponential: { mean_s: 150 } } }

        """

    func load(_ text: String) throws(ModelLoadFailure) -> CityModel {
        try ModelLoader.load(text: Self.head + text, file: "planning.yaml").model
    }

    func errors(_ text: String) -> [ModelError] {
        do {
            _ = try load(text)
            return []
        } catch { return error.errors }
    }

    @Test func aPlanningSectionIsReadAsWritten() throws {
        let m = try load(
            """
            operators: { count: 3 }
            planning:
              interval_minutes: 15
              minimum_staff: 2
              minimum: [{ from: "09:00", to: "17:00", staff: 4 }]
              shrinkage: { leave: 0.1, training: 0.05 }
              overtime_premium: 2
              duty_line_blocking: 0.02
              templates:
                - { name: day, hours: 8, starts: { from: "06:00", to: "08:00" }, breaks: [{ minutes: 30, after_hours: 3, before_hours: 5 }] }
                - { name: night, hours: 10, starts: ["22:00"] }
            """)
        let p = m.planning
        #expect(p.intervalMinutes == 15 && p.minimumStaff == 2 && p.overtimePremium == 2)
        #expect(abs(p.totalShrinkage - 0.15) < 1e-12)
        #expect(p.dutyLineBlocking == 0.02)
        #expect(p.templates.map(\.name) == ["day", "night"])
        let quarterHours: [Int] = Array(stride(from: 21_600, through: 28_800, by: 900))
        #expect(p.templates[0].starts == quarterHours)
        #expect(p.templates[0].breaks == [BreakWindow(length: 1800, earliest: 3 * 3600, latest: 5 * 3600)])
        #expect(p.templates[1].starts == [22 * 3600] && p.templates[1].length == 36_000)
        #expect(p.floor(secondsIntoDay: 10 * 3600) == 4 && p.floor(secondsIntoDay: 18 * 3600) == 2)
    }

    @Test func withoutPlanningTheDefaultsApply() throws {
        let p = try load("operators: { count: 3 }\n").planning
        #expect(p == StaffPlanning())
        #expect(p.templates == [StaffPlanning.eightHours])
    }

    @Test(arguments: [
        (
            "templates: [{ name: t, hours: 8, breaks: [{ minutes: 60, after_hours: 7, before_hours: 7.5 }] }]",
            "does not fit"
        ),
        (
            "templates: [{ name: t, hours: 8, breaks: [{ minutes: 30, after_hours: 7, before_hours: 7.75 }] }]",
            "whole intervals"
        ),
        ("templates: [{ name: t, hours: 8, starts: [\"07:10\"] }]", "not on an interval of 30 minutes"),
        ("templates: [{ name: t, hours: 7.75 }]", "whole intervals"),
        ("templates: [{ name: t, hours: 30 }]", "at most 24 hours"),
        ("templates: [{ name: t, hours: 8 }, { name: t, hours: 4 }]", "defined twice"),
        ("interval_minutes: 20", "15 or 30"),
        ("shrinkage: 0.95", "0 to 0.9"),
        ("shrinkage: { leave: 0.5, sick: 0.5 }", "nobody would be left"),
        ("duty_line_blocking: 0", "between 0 and 1"),
        ("templats: []", "unknown key"),
        (
            "templates: [{ name: t, hours: 8, breaks: [{ minutes: 30, after_hours: 0, before_hours: 8 }, { minutes: 30, after_hours: 0, before_hours: 8 }, { minutes: 30, after_hours: 0, before_hours: 8 }] }]",
            "more than 6000 ways"
        ),
        (
            "templates: [{ name: t, hours: 8, breaks: [{ minutes: 60, after_hours: 3, before_hours: 4 }, { minutes: 60, after_hours: 3, before_hours: 4 }] }]",
            "cannot all be placed"
        ),
    ])
    func aBadPlanningSectionIsRefusedAtItsLine(entry: String, message: String) {
        let found = errors("operators: { count: 3 }\nplanning:\n  \(entry)\n")
        #expect(found.contains { $0.message.contains(message) || ($0.hint ?? "").contains(message) }, "\(found)")
        // Named at the planning section's own line (7) and in its file.
        #expect(found.allSatisfy { $0.file == "planning.yaml" && $0.line == 8 }, "\(found)")
    }

    @Test func shiftsWorkOnTheirTypeOfDay() throws {
        let m = try load(
            """
            operators:
              shifts:
                - { name: week, start: "00:00", hours: 24, count: 5, on: [working] }
                - { name: rest, start: "00:00", hours: 24, count: 2, on: [weekend, holiday] }
                - { name: cold, start: "08:00", hours: 8, count: 9, on: [surge] }
            """)
        let working = RosterDay(weekday: .wednesday, type: .working)
        let saturday = RosterDay(weekday: .saturday, type: .weekend)
        let makeUp = RosterDay(weekday: .sunday, type: .working)  // 调休: a Sunday worked
        let holiday = RosterDay(weekday: .thursday, type: .holiday)
        let surge = RosterDay(weekday: .monday, type: .working, surge: true)
        let noon = 12 * 3600
        #expect(m.staffing.onDuty(secondsIntoDay: noon, on: working, after: working) == 5)
        #expect(m.staffing.onDuty(secondsIntoDay: noon, on: saturday, after: working) == 2)
        #expect(m.staffing.onDuty(secondsIntoDay: noon, on: makeUp, after: saturday) == 5)
        #expect(m.staffing.onDuty(secondsIntoDay: noon, on: holiday, after: working) == 2)
        #expect(m.staffing.onDuty(secondsIntoDay: noon, on: surge, after: saturday) == 5 + 9)
    }

    static let twoTypes = """
        operators:
          shifts:
            - { name: week, start: "00:00", hours: 24, count: 5, on: [working] }
            - { name: rest, start: "00:00", hours: 24, count: 2, on: [weekend] }

        """

    @Test func aShiftTableWithADayTypeUncoveredIsRefused() {
        // The calendar has holidays, and on them nobody would answer (Art. 10(1)).
        let found = errors(
            Self.twoTypes
                + "calendar: { weekend: [sat, sun], years: [{ year: 2026, holidays: [2026-10-01/2026-10-07] }] }\n")
        #expect(found.contains { $0.message.contains("a holiday") && $0.message.contains("Art. 10(1)") }, "\(found)")
    }

    @Test func holidaysNeedNoShiftsWhereTheCalendarHasNone() throws {
        #expect(errors(Self.twoTypes).isEmpty)
    }

    @Test func anUnknownDayTypeIsNamed() {
        let found = errors(
            """
            operators:
              shifts:
                - { name: week, start: "00:00", hours: 24, count: 5, on: [weekdays] }
            """)
        #expect(found.contains { $0.message.contains("'weekdays' is not a type of day") && $0.line == 8 }, "\(found)")
    }
}
