import HotlineTesting
import Testing

@testable import HotlineCore

/// Working-day deadlines across the 2026 holidays and make-up working days (Art. 10(3), 10(8)).
struct WorkingCalendarTests {
    let calendar = Fixtures.calendar2026

    @Test(arguments: [
        ("2026-02-14", DayKind.makeUpWorkingDay), ("2026-02-15", .holiday), ("2026-02-23", .holiday),
        ("2026-02-24", .workingDay),
        ("2026-02-28", .makeUpWorkingDay), ("2026-03-01", .weekend), ("2026-10-07", .holiday),
        ("2026-10-10", .makeUpWorkingDay),
        ("2026-09-20", .makeUpWorkingDay), ("2026-01-04", .makeUpWorkingDay), ("2027-01-01", .assumedWorkingDay),
        ("2027-01-02", .assumedDayOff),
    ])
    func kindsOfDays(date: String, kind: DayKind) {
        #expect(calendar.kind(of: CivilDate(parsing: date)!) == kind)
    }

    /// Art. 10(3): a general case (5 working days) registered on Friday 13 February, before the Spring
    /// Festival: Saturday 14 Feb is a make-up working day (1), 15–23 Feb are off, then 24, 25, 26, 27 Feb.
    @Test func generalDeadlineAcrossSpringFestival() {
        let d = calendar.deadline(from: Fixtures.at("2026-02-13T10:00"), limit: .workingDays(5))
        #expect(d.at == Fixtures.at("2026-02-28T00:00"))
        #expect(!d.isAssumed)
        // Six working days end on the make-up Saturday 28 February.
        #expect(
            calendar.deadline(from: Fixtures.at("2026-02-13T10:00"), limit: .workingDays(6)).at
                == Fixtures.at("2026-03-01T00:00")
        )
    }

    /// Art. 10(3): sign-for within one working day, from the last day before the holiday.
    @Test func signForAcrossSpringFestival() {
        #expect(
            calendar.deadline(from: Fixtures.at("2026-02-14T16:00"), limit: .workingDays(1)).at
                == Fixtures.at("2026-02-25T00:00")
        )
    }

    /// National Day: 1–7 October off, Saturday 10 October a make-up working day.
    @Test(arguments: [
        ("2026-09-30T17:00", 1, "2026-10-09T00:00"),
        ("2026-09-30T17:00", 3, "2026-10-11T00:00"),  // 8, 9, and the make-up Saturday 10 Oct
        ("2026-10-09T09:00", 1, "2026-10-11T00:00"),
        ("2026-10-03T12:00", 1, "2026-10-09T00:00"),  // registered on a holiday: the first working day is 8 Oct
        ("2026-09-24T09:00", 3, "2026-10-01T00:00"),  // Mid-Autumn 25–27 Sep, then 28, 29, 30 Sep
        ("2026-09-24T09:00", 4, "2026-10-09T00:00"),
        ("2026-09-19T09:00", 1, "2026-09-21T00:00"),  // Sunday 20 Sep is a make-up working day
    ])
    func deadlinesAroundNationalDay(from: String, days: Int, expected: String) {
        #expect(calendar.deadline(from: Fixtures.at(from), limit: .workingDays(days)).at == Fixtures.at(expected))
    }

    /// Wall-clock limits ignore holidays (urgent classes, Art. 11).
    @Test func wallClockIgnoresHolidays() {
        let d = calendar.deadline(from: Fixtures.at("2026-10-01T23:00"), limit: .wall(seconds: 7200))
        #expect(d.at == Fixtures.at("2026-10-02T01:00"))
    }

    /// A year the calendar does not cover falls back to Monday–Friday and says so.
    @Test func uncoveredYearFallsBackAndWarns() {
        let d = calendar.deadline(from: Fixtures.at("2026-12-31T10:00"), limit: .workingDays(1))
        #expect(d.at == Fixtures.at("2027-01-02T00:00"))  // Friday 1 Jan 2027 taken as a working day
        #expect(d.isAssumed)
        #expect(!calendar.covers(year: 2027))
    }

    @Test func workingDayOnOrAfter() {
        #expect(calendar.workingDay(onOrAfter: CivilDate(parsing: "2026-02-15")!) == CivilDate(parsing: "2026-02-24")!)
        #expect(calendar.workingDay(onOrAfter: CivilDate(parsing: "2026-02-14")!) == CivilDate(parsing: "2026-02-14")!)
    }
}
