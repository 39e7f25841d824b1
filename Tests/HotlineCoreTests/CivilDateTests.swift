import Testing

@testable import HotlineCore

struct CivilDateTests {
    @Test(arguments: [
        ("1970-01-01", 0, Weekday.thursday), ("2026-01-01", 20454, .thursday), ("2026-02-17", 20501, .tuesday),
        ("2024-02-29", 19782, .thursday), ("1969-12-31", -1, .wednesday), ("2000-03-01", 11017, .wednesday),
    ])
    func dayNumberAndWeekday(text: String, day: Int, weekday: Weekday) throws {
        let date = try #require(CivilDate(parsing: text))
        #expect(date.dayNumber == day)
        #expect(date.weekday == weekday)
        #expect(CivilDate(dayNumber: day) == date)
        #expect(date.description == text)
    }

    @Test func roundTripsEveryDayOfFourCenturies() {
        var previous = CivilDate(dayNumber: -146_098)
        for n in -146_097...146_097 {
            let d = CivilDate(dayNumber: n)
            #expect(d.dayNumber == n)
            #expect(d > previous)
            previous = d
            if n % 9973 != 0 { continue }
            #expect(CivilDate(year: d.year, month: d.month, day: d.day) == d)
        }
    }

    @Test(arguments: [
        "2026-02-29", "2025-02-29", "2026-13-01", "2026-04-31", "2026-1-1", "26-01-01", "2026-01-01T", "", "２０２６-01-01",
    ])
    func refusesDatesThatDoNotExist(text: String) {
        #expect(CivilDate(parsing: text) == nil)
    }

    @Test func timeOfDayParsesTheEndOfTheDay() {
        #expect(TimeOfDay(parsing: "24:00")?.seconds == 86_400)
        #expect(TimeOfDay(parsing: "24:30") == nil)
        #expect(TimeOfDay(parsing: "07:05")?.seconds == 25_500)
        #expect(TimeOfDay(parsing: "7:60") == nil)
    }

    @Test func instantKnowsItsLocalDateAndTime() throws {
        let t = try #require(Instant(parsing: "2026-10-01T23:59"))
        #expect(t.date == CivilDate(year: 2026, month: 10, day: 1))
        #expect(t.secondsIntoDay == 86_340)
        #expect((t + 60).date == CivilDate(year: 2026, month: 10, day: 2))
        #expect(t.description == "2026-10-01T23:59")
    }
}
