import Foundation
import HotlineCore
import HotlineModel
import HotlineSimulation
import Testing

@testable import HotlineStaffing

/// The Erlang methods require exactly the least staff that meets the target; on a flat single-queue
/// model they require it in every interval. The reference figures are those of an independent
/// Python reference (birth-death chain and tagged-caller absorbing chain).
@Suite struct IntervalRequirementTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func model(_ path: String) -> CityModel {
        try! ModelLoader.load(path: root.appendingPathComponent(path).path).model
    }

    @Test func erlangCRequirementIsTheLeastStaffMeetingTheTarget() {
        // 360 calls/h of 300 s: SL(35) = 0.79609, SL(36) = 0.85797, SL(37) = 0.90264 (80 % in 20 s).
        let load = IntervalLoad(callsPerHour: 360, meanHandle: 300, meanPatience: nil)
        #expect(load.required(ServiceTarget(serviceLevel: 0.8, thresholdS: 20), patience: false) == 36)
        #expect(load.required(ServiceTarget(serviceLevel: 0.85, thresholdS: 20), patience: false) == 36)
        #expect(load.required(ServiceTarget(serviceLevel: 0.86, thresholdS: 20), patience: false) == 37)
        #expect(load.required(ServiceTarget(serviceLevel: 0.79, thresholdS: 20), patience: false) == 35)
        // Erlang A, 1000 calls/h of 240 s, patience 60 s: SL(62) = 0.80062, SL(64) = 0.84115, SL(65) = 0.85949.
        let impatient = IntervalLoad(callsPerHour: 1000, meanHandle: 240, meanPatience: 60)
        #expect(impatient.required(ServiceTarget(serviceLevel: 0.8, thresholdS: 20), patience: true) == 62)
        #expect(impatient.required(ServiceTarget(serviceLevel: 0.85, thresholdS: 20), patience: true) == 65)
        // No call, no staff (the floors add the minimum).
        #expect(
            IntervalLoad(callsPerHour: 0, meanHandle: 300, meanPatience: nil).required(
                ServiceTarget(serviceLevel: 0.8, thresholdS: 20), patience: false) == 0)
    }

    @Test func targetParsing() {
        #expect(ServiceTarget(parsing: "0.85/15") == ServiceTarget(serviceLevel: 0.85, thresholdS: 15))
        #expect(ServiceTarget(parsing: "80/20") == ServiceTarget(serviceLevel: 0.8, thresholdS: 20))
        for bad in [
            "", "0.85", "150/15", "0/15", "0.85/0", "0.85/-3", "x/15", "0.85/nan", "0.85/15/3", "100/20", "0x1p-1/15",
            "1e-1/15", "0.85/1e1", "-0.5/15", ".../15",
        ] {
            #expect(ServiceTarget(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func aQuietIntervalIsJudgedByErlangANotByItsFewCalls() {
        let load = IntervalLoad(callsPerHour: 2, meanHandle: 240, meanPatience: 120)
        let isa = IterativeStaffing(
            target: ServiceTarget(serviceLevel: 0.8, thresholdS: 20), intervalMinutes: 30, floors: [1], loads: [load],
            run: DayRunOptions())
        // One call, answered late by bad luck: the simulation cannot tell, Erlang A at 2 staff says yes.
        let unlucky = IntervalOutcome(calls: 1, answeredInTime: 0, abandoned: 0, staffed: 2, occupancy: 0.1)
        #expect(isa.meets(unlucky, at: 0, staff: 2))
        // Enough calls: the simulation decides, less a standard error capped at half the slack.
        let busy = IntervalOutcome(calls: 10_000, answeredInTime: 8_050, abandoned: 0, staffed: 2, occupancy: 0.5)
        #expect(isa.meets(busy, at: 0, staff: 2))  // 0.805 − min(0.004, 0.1) ≥ 0.8
        let short = IntervalOutcome(calls: 10_000, answeredInTime: 8_020, abandoned: 0, staffed: 2, occupancy: 0.5)
        #expect(!isa.meets(short, at: 0, staff: 2))  // 0.802 − 0.004 < 0.8
    }

    static let quick = StaffRequest(
        method: .erlangC, target: ServiceTarget(serviceLevel: 0.8, thresholdS: 20),
        search: DayRunOptions(days: 2, warmUpDays: 1, replications: 1, seed: 3),
        verify: DayRunOptions(days: 2, warmUpDays: 1, replications: 2, seed: 5), timeLimit: 5)

    @Test func erlangCMethodOnAFlatModelRequiresExactErlangCEverywhere() async throws {
        let model = Self.model("Scenarios/validation/erlang-c-90.yaml")
        let plan = try await StaffPlanner(model: model, request: Self.quick).plan()
        #expect(plan.intervals.count == 48)
        #expect(plan.intervals.allSatisfy { $0.required == 36 })
        #expect(plan.intervals.allSatisfy { $0.scheduled >= 36 })
        #expect(plan.erlangCPlan.required.allSatisfy { $0 == 36 })
        // Each 8-hour default shift is on the phones 7.5 h: 36 around the clock is 36 × 24 / 7.5 = 115.2
        // shifts at least, so the cheapest cover costs at least 116 × 8 h.
        #expect(plan.operatorHours >= 116 * 8)
        #expect(plan.solver.optimal)
    }

    @Test func erlangAMethodUsesThePatience() async throws {
        var request = Self.quick
        request.method = .erlangA
        let model = Self.model("Scenarios/validation/erlang-a-overload.yaml")
        let plan = try await StaffPlanner(model: model, request: request).plan()
        #expect(plan.intervals.allSatisfy { $0.required == 62 })
        // Erlang C cannot even hold 66.7 erlangs on fewer than 67 operators.
        #expect(plan.erlangCPlan.required.allSatisfy { $0 > 66 })
    }

    @Test func fifteenMinuteIntervalsSplitEachHalfHour() {
        let model = Self.model("Scenarios/mudanjiang")
        let day = DesignDay.busiest(.working, in: model)!
        let half = day.ratesPerHour(model, intervalMinutes: 30)
        let quarter = day.ratesPerHour(model, intervalMinutes: 15)
        #expect(quarter.count == 96)
        for i in 0..<48 { #expect(quarter[2 * i] == half[i] && quarter[2 * i + 1] == half[i]) }
    }
}
