import HotlineCore
import Testing

@testable import HotlineStaffing

/// Patterns are every way the templates may be worked; per-interval staffing puts exactly its counts on.
@Suite struct ShiftPatternTests {
    @Test func theDefaultTemplateStartsOnEveryHalfHourAndPlacesItsBreak() {
        let patterns = StaffPlanning().patterns()
        // Starts 00:00 … 16:00 (33), the 30-minute break starting 3 h … 5 h in (5 places).
        #expect(patterns.count == 33 * 5)
        #expect(patterns.allSatisfy { $0.covers.count == 15 && $0.hours == 8 })
        let first = patterns.first { $0.start == 0 && $0.breaks == [ShiftBreak(offset: 3 * 3600, length: 1800)] }!
        #expect(first.covers == Array(0..<6) + Array(7..<16))
    }

    @Test func aStartListedLateWrapsPastMidnight() {
        let night = ShiftTemplate(
            name: "night", length: 10 * 3600, starts: [22 * 3600],
            breaks: [BreakWindow(length: 3600, earliest: 4 * 3600, latest: 5 * 3600)])
        let p = StaffPlanning(templates: [night]).patterns()
        #expect(p.count == 1)
        // 22:00-08:00 without 02:00-03:00.
        #expect(p[0].covers == [44, 45, 46, 47, 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    }

    @Test func twoBreaksNeverOverlap() {
        let t = ShiftTemplate(
            name: "long", length: 12 * 3600, starts: [0],
            breaks: [
                BreakWindow(length: 1800, earliest: 2 * 3600, latest: 4 * 3600),
                BreakWindow(length: 3600, earliest: 3 * 3600, latest: 7 * 3600),
            ])
        for p in StaffPlanning(templates: [t]).patterns() {
            #expect(p.breaks.count == 2)
            let (a, b) = (p.breaks[0], p.breaks[1])
            #expect(a.offset + a.length <= b.offset || b.offset + b.length <= a.offset)
            #expect(p.covers.count == 24 - 3)
        }
    }

    @Test func perIntervalStaffingPutsTheCountsOnAndChangesOnlyByTheDifference() {
        var counts = (0..<48).map { i in i < 12 ? 3 : i < 20 ? 9 : i < 40 ? 14 : 5 }
        counts[47] = 6  // the 6th operator works 06:00-20:00 and again 23:30-24:00
        let staffing = Staffing.perInterval(counts, intervalMinutes: 30)
        for i in 0..<48 {
            #expect(staffing.onDuty(secondsIntoDay: i * 1800 + 900, on: .wednesday) == counts[i], "interval \(i)")
        }
        // The three operators on all day are one 24-hour shift, not 48 half-hours.
        guard case .shifts(let shifts) = staffing else { return }
        #expect(shifts.contains { $0.length == 86_400 && $0.count == 3 })
        // Operators 1-3 all day, 4-5 from 06:00, the 6th in two runs, 7-9 06:00-20:00, 10-14 10:00-20:00.
        let operators: Int = shifts.reduce(0) { $0 + $1.count }
        #expect(operators == 15)
    }

    @Test func aLevelAcrossMidnightIsOneShift() {
        let counts = (0..<48).map { i in i >= 44 || i < 4 ? 2 : 1 }
        guard case .shifts(let shifts) = Staffing.perInterval(counts, intervalMinutes: 30) else { return }
        let night = shifts.first { $0.length != 86_400 }!
        #expect(night.start == TimeOfDay(hour: 22) && night.length == 4 * 3600)
    }
}
