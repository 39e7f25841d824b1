/// How far an open case is from its next deadline, in working days, and the card it carries: yellow
/// when the deadline falls within one working day, red once it has passed (Art. 10(8), 10(9)).
package enum AgeingCard: String, Hashable, Codable, Sendable, CaseIterable {
    case green, yellow, red
}

/// One open case against its next deadline.
package struct AgeingRow: Hashable, Sendable {
    package var id: CaseID
    package var unit: UnitID?
    package var step: CaseTimer
    package var due: Instant
    /// Working days until the deadline; negative once it has passed (by that many working days).
    package var workingDays: Double
    package var card: AgeingCard
}

/// A unit's open cases by how near or past their deadlines they are.
package struct AgeingUnit: Hashable, Codable, Sendable {
    package var unit: UnitID?
    package var open = 0
    package var green = 0
    package var yellow = 0
    package var red = 0
    /// Red cases by how long past the deadline: under one, one to five, over five working days.
    package var pastUnder1 = 0
    package var past1To5 = 0
    package var pastOver5 = 0
    /// Green cases due in one to three, and in more than three working days.
    package var due1To3 = 0
    package var dueOver3 = 0

    package init(unit: UnitID?) { self.unit = unit }
}

/// The ageing of open cases at a moment: each case's distance to its next deadline in working days,
/// and per unit the yellow and red cards. Pure: the caller reads the cases and the clock.
package struct CaseAgeing: Sendable {
    package var at: Instant
    package var rows: [AgeingRow]
    package var units: [AgeingUnit]

    /// - Parameter cases: open cases with their unit and next deadline (closed ones and those with no
    ///   deadline running are left out by the caller).
    package init(
        cases: [(id: CaseID, unit: UnitID?, step: CaseTimer, due: Instant)], at now: Instant,
        calendar: WorkingCalendar
    ) {
        at = now
        rows = cases.map { c in
            let days =
                c.due > now ? calendar.workingDays(from: now, to: c.due) : -calendar.workingDays(from: c.due, to: now)
            let card: AgeingCard = c.due <= now ? .red : days <= 1 ? .yellow : .green
            return AgeingRow(id: c.id, unit: c.unit, step: c.step, due: c.due, workingDays: days, card: card)
        }.sorted { ($0.workingDays, $0.id) < ($1.workingDays, $1.id) }
        var byUnit: [String: AgeingUnit] = [:]
        for r in rows {
            let key = r.unit?.rawValue ?? ""
            var u = byUnit[key] ?? AgeingUnit(unit: r.unit)
            u.open += 1
            switch r.card {
            case .red:
                u.red += 1
                if -r.workingDays < 1 {
                    u.pastUnder1 += 1
                } else if -r.workingDays <= 5 {
                    u.past1To5 += 1
                } else {
                    u.pastOver5 += 1
                }
            case .yellow: u.yellow += 1
            case .green:
                u.green += 1
                if r.workingDays <= 3 { u.due1To3 += 1 } else { u.dueOver3 += 1 }
            }
            byUnit[key] = u
        }
        units = byUnit.values.sorted {
            ($1.red, $1.yellow, $0.unit?.rawValue ?? "") < ($0.red, $0.yellow, $1.unit?.rawValue ?? "")
        }
    }
}
