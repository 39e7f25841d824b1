/// One way to work a shift template: a start and a place for each break, and the intervals of the
/// day it puts an operator on the phones in.
package struct ShiftPattern: Sendable, Hashable {
    /// Index of the template in the planning rules.
    package var template: Int
    package var name: String
    /// Start, seconds after midnight.
    package var start: Int
    /// Paid length, seconds.
    package var length: Int
    /// Breaks, each `(offset after the start, length)` in seconds.
    package var breaks: [ShiftBreak]
    /// Intervals of the day on the phones; a shift past midnight covers the start of the day (the
    /// next day, planned as one of the same type).
    package var covers: [Int]

    /// Paid hours.
    package var hours: Double { Double(length) / 3600 }

    /// The shift of the model format worked by `count` operators, on the given types of day.
    package func shift(count: Int, dayTypes: Set<DayType>, name: String) -> Shift {
        Shift(
            name: name, start: TimeOfDay(seconds: start), length: length, count: count, breaks: breaks,
            dayTypes: dayTypes)
    }
}

extension StaffPlanning {
    /// Every pattern the templates allow: each start, and each placement of each break on whole
    /// intervals inside its window (breaks of one shift never overlap).
    /// - Parameter limit: stop once more than this many are found (the count then exceeds it).
    package func patterns(limit: Int = .max) -> [ShiftPattern] {
        let step = intervalMinutes * 60
        let count = 86_400 / step
        var out: [ShiftPattern] = []
        for (t, template) in templates.enumerated() {
            let starts =
                template.starts ?? Array(stride(from: 0, through: 86_400 - template.length, by: step))
            var placements: [[ShiftBreak]] = [[]]
            for w in template.breaks {
                var next: [[ShiftBreak]] = []
                for placed in placements {
                    for offset in stride(from: w.earliest, through: w.latest - w.length, by: step) {
                        let b = ShiftBreak(offset: offset, length: w.length)
                        if placed.contains(where: {
                            $0.offset < b.offset + b.length && b.offset < $0.offset + $0.length
                        }) {
                            continue
                        }
                        next.append(placed + [b])
                        if next.count > limit { break }
                    }
                    if next.count > limit { break }
                }
                placements = next
            }
            for start in starts {
                for placed in placements {
                    var covers: [Int] = []
                    for k in 0..<(template.length / step) {
                        let offset = k * step
                        if placed.contains(where: { offset >= $0.offset && offset < $0.offset + $0.length }) {
                            continue
                        }
                        covers.append((start / step + k) % count)
                    }
                    if out.count > limit { return out }
                    out.append(
                        ShiftPattern(
                            template: t, name: template.name, start: start, length: template.length,
                            breaks: placed.sorted { $0.offset < $1.offset }, covers: covers))
                }
            }
        }
        return out
    }
}
