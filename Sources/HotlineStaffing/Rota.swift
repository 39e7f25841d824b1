package import HotlineCore

/// A weekly rota of named seats: who works which shift on which day.
package struct Rota: Sendable, Hashable, Codable {
    package struct Seat: Sendable, Hashable, Codable {
        package var seat: String
        /// The shift worked on each day of the week (`mon` … `sun`), `nil` on a day off.
        package var days: [String: String]
        package var hours: Double
    }

    package var seats: [Seat]
    /// Seats needed to work the week, and the headcount once shrinkage is added.
    package var seatCount: Int
    package var headcount: Int

    /// One shift on one day, to be given to a seat.
    package struct Duty: Sendable, Hashable {
        package var day: Weekday
        package var name: String
        /// Start, seconds after midnight of `day`, and paid length.
        package var start: Int
        package var length: Int

        package init(day: Weekday, name: String, start: Int, length: Int) {
            self.day = day
            self.name = name
            self.start = start
            self.length = length
        }
    }

    /// Gives every duty of the week to a seat: a seat works at most `daysPerWeek` days and one shift a
    /// day, rests at least `rest` seconds between shifts, and keeps yesterday's shift when it can (a
    /// steady week); new seats are opened only when no seat can take a duty.
    package static func layOut(
        _ duties: [Duty], daysPerWeek: Int, rest: Int, shrinkage: Double, prefix: String = "S"
    ) -> Rota {
        struct Work {
            var days: [Int: (name: String, start: Int, end: Int)] = [:]
        }
        let byDay = Dictionary(grouping: duties, by: \.day)
        // Open the seats the week needs at least, with their days off staggered over the days that
        // have duties (each seat's days off in a row), so that no day runs short of free seats.
        let dutyDays = Weekday.allCases.filter { byDay[$0] != nil }.map { $0.rawValue - 1 }
        let least = max(
            byDay.values.map(\.count).max() ?? 0, (duties.count + daysPerWeek - 1) / max(1, daysPerWeek))

        /// One greedy pass: the days-off pattern turned by `rotation`, each day's duties from the
        /// earliest (or the latest) start.
        func attempt(rotation: Int, latestFirst: Bool) -> [Work] {
            var offDays: [Set<Int>] = []
            if dutyDays.count > daysPerWeek {
                let off = dutyDays.count - daysPerWeek
                for k in 0..<least {
                    let first = k * dutyDays.count / max(1, least) + rotation
                    offDays.append(Set((0..<off).map { dutyDays[(first + $0) % dutyDays.count] }))
                }
            } else {
                offDays = Array(repeating: [], count: least)
            }
            var seats = Array(repeating: Work(), count: least)
            for day in Weekday.allCases {
                let d = day.rawValue - 1
                let today = (byDay[day] ?? []).sorted {
                    latestFirst ? ($0.start, $0.name) > ($1.start, $1.name) : ($0.start, $0.name) < ($1.start, $1.name)
                }
                for duty in today {
                    let start = d * 86_400 + duty.start
                    let end = start + duty.length
                    func fits(_ k: Int) -> Bool {
                        let w = seats[k]
                        guard w.days[d] == nil, w.days.count < daysPerWeek,
                            !(k < offDays.count && offDays[k].contains(d))
                        else { return false }
                        // Rest against the seat's other shifts this week (and the weeks before and after).
                        for (_, other) in w.days {
                            for shift in [-7 * 86_400, 0, 7 * 86_400] {
                                let a = other.start + shift
                                let b = other.end + shift
                                if start < b + rest && a < end + rest { return false }
                            }
                        }
                        return true
                    }
                    let candidates = seats.indices.filter(fits)
                    // Yesterday's shift again; else the seat whose yesterday ended longest before.
                    let pick =
                        candidates.first { seats[$0].days[d - 1]?.name == duty.name }
                        ?? candidates.min { a, b in
                            let ea = seats[a].days[d - 1]?.end ?? Int.min
                            let eb = seats[b].days[d - 1]?.end ?? Int.min
                            return (seats[a].days.count, ea, a) < (seats[b].days.count, eb, b)
                        }
                    let i = pick ?? seats.count
                    if pick == nil { seats.append(Work()) }
                    seats[i].days[d] = (duty.name, start, end)
                }
            }
            seats.removeAll { $0.days.isEmpty }
            return seats
        }
        var seats: [Work] = []
        for rotation in 0..<max(1, dutyDays.count) {
            for latestFirst in [false, true] {
                let tried = attempt(rotation: rotation, latestFirst: latestFirst)
                if seats.isEmpty || tried.count < seats.count { seats = tried }
            }
        }
        let width = String(seats.count).count
        let named = seats.enumerated().map { (k, w) -> Seat in
            var days: [String: String] = [:]
            var hours = 0.0
            for (d, s) in w.days {
                days[Weekday(rawValue: d + 1)!.key] = s.name
                hours += Double(s.end - s.start) / 3600
            }
            let number = String(k + 1)
            return Seat(
                seat: prefix + String(repeating: "0", count: width - number.count) + number, days: days, hours: hours)
        }
        let headcount = Int((Double(seats.count) / (1 - shrinkage) - 1e-9).rounded(.up))
        return Rota(seats: named, seatCount: seats.count, headcount: headcount)
    }
}
