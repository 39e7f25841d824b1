import HotlineCore
import Testing

@testable import HotlineStaffing

/// The weekly rota gives every duty to one seat, within the working week and the rest between shifts.
@Suite struct RotaTests {
    func duties(_ days: [Weekday], _ shifts: [(String, Int, Int, Int)]) -> [Rota.Duty] {
        days.flatMap { d in
            shifts.flatMap { name, start, hours, count in
                Array(repeating: Rota.Duty(day: d, name: name, start: start * 3600, length: hours * 3600), count: count)
            }
        }
    }

    @Test func aSevenDayWeekNeedsSevenFifthsOfTheDailySeats() {
        let all = duties(Weekday.allCases, [("night", 0, 8, 3), ("early", 7, 8, 6), ("late", 15, 8, 6)])
        let rota = Rota.layOut(all, daysPerWeek: 5, rest: 11 * 3600, shrinkage: 0.15)
        // 15 a day × 7 days / 5 days a seat = 21 seats, the least possible.
        #expect(rota.seatCount == 21)
        #expect(rota.headcount == 25)  // 21 / 0.85 = 24.7
        #expect(rota.seats.allSatisfy { $0.days.count <= 5 })
        // Every duty is worked once.
        for day in Weekday.allCases {
            let worked = rota.seats.compactMap { $0.days[day.key] }
            #expect(worked.filter { $0 == "night" }.count == 3 && worked.filter { $0 == "late" }.count == 6)
        }
    }

    @Test func nobodyWorksALateShiftAndTheNextNight() {
        let all = duties(Weekday.allCases, [("night", 0, 8, 2), ("late", 16, 8, 2)])
        let rota = Rota.layOut(all, daysPerWeek: 5, rest: 11 * 3600, shrinkage: 0)
        for seat in rota.seats {
            for (k, day) in Weekday.allCases.enumerated() where seat.days[day.key] == "late" {
                let next = Weekday.allCases[(k + 1) % 7]
                #expect(seat.days[next.key] != "night", "\(seat.seat) works late on \(day.key) then the night")
            }
        }
    }

    @Test func aWorkingWeekNeedsNoDaysOff() {
        let week = duties([.monday, .tuesday, .wednesday, .thursday, .friday], [("day", 8, 8, 10)])
        let rota = Rota.layOut(week, daysPerWeek: 5, rest: 11 * 3600, shrinkage: 0.1)
        #expect(rota.seatCount == 10)
        #expect(rota.seats.allSatisfy { $0.days.count == 5 && $0.hours == 40 })
    }
}
