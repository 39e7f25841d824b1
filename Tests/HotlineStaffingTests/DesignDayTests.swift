import Foundation
import HotlineCore
import HotlineModel
import Testing

@testable import HotlineStaffing

/// A plan holds all year only if it is sized for the busiest date of its type.
@Suite struct DesignDayTests {
    static let model = IntervalRequirementTests.model("Scenarios/mudanjiang")

    @Test func theBusiestWorkingDayIsAHeatingSeasonMonday() {
        let day = DesignDay.busiest(.working, in: Self.model)!
        // Monday 1.1 × heating season 1.2; surge days are left to the surge plan.
        #expect(day.date.weekday == .monday)
        #expect(abs(day.factor - 1.32) < 1e-12)
        #expect(day.surge == nil)
        #expect(Self.model.arrivals.surges.allSatisfy { !$0.contains(day.date) })
    }

    @Test func surgeDaysAreSizedForTheBiggestSurge() {
        let day = DesignDay.busiest(.surge, in: Self.model)!
        // The winter-solstice cold snap (× 3.0 on a heating-season Monday) beats January's × 2.5.
        #expect(day.date == CivilDate(year: 2026, month: 12, day: 21))
        #expect(day.surge?.factor == 3.0)
        #expect(day.dates == 4)
    }

    @Test func everyTypeOfDayIsFoundInTheCalendar() {
        #expect(DesignDay.busiest(.weekend, in: Self.model)?.date.weekday == .saturday)
        let holiday = DesignDay.busiest(.holiday, in: Self.model)!
        #expect(Self.model.router.calendar.kind(of: holiday.date) == .holiday)
    }

    @Test func aModelWithoutSurgesHasNoSurgePlan() {
        var m = Self.model
        m.arrivals.surges = []
        #expect(DesignDay.busiest(.surge, in: m) == nil)
    }

    @Test func daysOffMakeNoSatisfactionCallbacks() {
        let weekend = DesignDay.busiest(.weekend, in: Self.model)!
        let m = weekend.model(Self.model, staffing: .flat(3), days: 3)
        #expect(m.callbacks?.share == 0)
        // Every day a working day for deadlines: a calendar without one would never end a count.
        #expect(m.router.calendar.isWorkingDay(weekend.date))
        let working = DesignDay.busiest(.working, in: Self.model)!
        #expect(working.model(Self.model, staffing: .flat(3), days: 3).callbacks?.share == Self.model.callbacks?.share)
    }
}
