import Foundation
import HotlineCore
import HotlineModel
import HotlineSimulation
import HotlineStaffing
import Testing

@testable import HotlineReports

/// The simulation method on a time-varying model: a plan that holds in a fresh simulation, a JSON
/// document with the contract's keys, and a shift table that loads back into a model and puts on
/// exactly the scheduled operators.
@Suite struct StaffPlanOutputTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let anchorText = try! String(
        contentsOf: root.appendingPathComponent("tools/bench/anchor/model.yaml"), encoding: .utf8)

    /// The anchor at a third of its calls, to keep the test quick.
    static let model: CityModel = {
        let text = anchorText.replacingOccurrences(of: "per_day: 3000", with: "per_day: 1000")
        return try! ModelLoader.load(text: text, file: "anchor.yaml").model
    }()

    /// Plans once for every test of the suite (an actor keeps the plan; no thread is blocked).
    actor Planned {
        var task: Task<StaffPlan, any Error>?
        func get() async throws -> StaffPlan {
            if task == nil {
                task = Task {
                    let request = StaffRequest(
                        method: .simulation, target: ServiceTarget(serviceLevel: 0.8, thresholdS: 20),
                        search: DayRunOptions(days: 7, warmUpDays: 2, replications: 2, seed: 11),
                        verify: DayRunOptions(days: 10, warmUpDays: 2, replications: 4, seed: 13), timeLimit: 10)
                    return try await StaffPlanner(model: StaffPlanOutputTests.model, request: request).plan()
                }
            }
            return try await task!.value
        }
    }
    static let planned = Planned()

    @Test func theSimulationMethodHoldsInAFreshSimulation() async throws {
        let p = try await Self.planned.get()
        #expect(p.method == .simulation)
        #expect(p.converged == true)
        #expect(p.iterations.map { !$0.isEmpty } == true)
        #expect(p.solver.optimal)
        #expect(p.verification.intervalsUnderTarget == 0)
        // Other seeds and more days than the planner used: every interval still meets the target.
        let day = DesignDay.busiest(.working, in: Self.model)!
        let shifts = try! ModelLoader.load(
            text: Self.anchorText.replacingOccurrences(of: "per_day: 3000", with: "per_day: 1000")
                .replacingOccurrences(of: "operators: { count: 1 }     # the planner replaces this\n", with: "")
                + StaffFormat.shiftsYAML([p], model: "anchor"),
            file: "anchor-planned.yaml"
        ).model.staffing
        let run = await day.simulate(
            Self.model, staffing: shifts, intervalMinutes: 30,
            options: DayRunOptions(days: 30, warmUpDays: 2, replications: 4, seed: 99))
        let short = run.intervals.indices.filter { run.intervals[$0].serviceLevel < 0.8 }
        #expect(short.isEmpty, "below 80 % in 20 s at \(short)")
        // Callers hang up: the plan needs no more than the Erlang C requirement, which ignores that.
        #expect(zip(p.intervals, p.erlangCPlan.required).allSatisfy { $0.required <= $1 + 1 })
    }

    @Test func theWrittenShiftTableLoadsBackAndPutsOnTheScheduledOperators() async throws {
        let p = try await Self.planned.get()
        let yaml = StaffFormat.shiftsYAML([p], model: "anchor")
        let text =
            Self.anchorText.replacingOccurrences(
                of: "operators: { count: 1 }     # the planner replaces this\n", with: "")
            + yaml
        let staffing = try ModelLoader.load(text: text, file: "anchor-planned.yaml").model.staffing
        for (i, row) in p.intervals.enumerated() {
            #expect(staffing.onDuty(secondsIntoDay: i * 1800 + 900, on: .wednesday) == row.scheduled, "\(row.start)")
        }
        // Paid hours of the written table are the plan's operator-hours.
        guard case .shifts(let shifts) = staffing else { return }
        #expect(shifts.reduce(0.0) { $0 + Double($1.count * $1.length) / 3600 } == p.operatorHours)
    }

    @Test func severalTypesOfDayLoadBackWithNightShiftsSplitAtMidnightAndOddNamesQuoted() async throws {
        let p = try await Self.planned.get()
        var working = p
        working.dayType = "working"
        var weekend = p
        weekend.dayType = "weekend"
        let odd = "a, b: #c \"q\" *ref\n{x}"
        working.shifts.append(
            StaffPlan.ShiftRow(
                name: odd, start: "20:00", hours: 8, breaks: [StaffPlan.BreakRow(start: "00:30", minutes: 30)],
                count: 7,
                overtime: false))
        // A second night shift that differs only after midnight: its part before midnight is the
        // same entry as the first's, written once with the counts added.
        working.shifts.append(
            StaffPlan.ShiftRow(
                name: "other", start: "20:00", hours: 8, breaks: [StaffPlan.BreakRow(start: "01:30", minutes: 30)],
                count: 3, overtime: false))
        let yaml = StaffFormat.shiftsYAML([working, weekend], model: "x\noperators: { count: 999 }")
        let text =
            Self.anchorText.replacingOccurrences(
                of: "operators: { count: 1 }     # the planner replaces this\n", with: "")
            + yaml
        let model = try ModelLoader.load(text: text, file: "two-types.yaml").model
        guard case .shifts(let shifts) = model.staffing else {
            Issue.record("no shift table")
            return
        }
        // The name survives as written; the night shift is two parts on working days.
        #expect(
            shifts.contains { $0.name == "working-" + odd + "-to-midnight" && $0.length == 4 * 3600 && $0.count == 10 })
        #expect(!shifts.contains { $0.name == "working-other-to-midnight" })
        let after = shifts.first { $0.name == "working-" + odd + "-from-midnight" }
        #expect(after?.start == TimeOfDay(hour: 0) && after?.length == 4 * 3600)
        #expect(after?.breaks == [ShiftBreak(offset: 1800, length: 1800)])
        // A Monday after a weekend has the working day's own early hours: the night part included.
        let monday = RosterDay(weekday: .monday, type: .working)
        let sunday = RosterDay(weekday: .sunday, type: .weekend)
        let early = working.intervals[2].scheduled  // 01:00
        #expect(model.staffing.onDuty(secondsIntoDay: 3600 + 60, on: monday, after: sunday) == early + 7 + 3)
        #expect(
            model.staffing.onDuty(secondsIntoDay: 5400 + 60, on: monday, after: sunday) == working.intervals[3]
                .scheduled + 7)
        #expect(
            model.staffing.onDuty(secondsIntoDay: 3600 + 60, on: sunday, after: sunday)
                == weekend.intervals[2].scheduled)
        #expect(!yaml.contains("\noperators: { count: 999 }"))
    }

    @Test func theJSONDocumentHasTheContractsKeys() async throws {
        let json = try StaffFormat.json([try await Self.planned.get()])
        let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        for key in [
            "method", "target", "interval_minutes", "intervals", "operator_hours", "shifts", "duty_lines",
            "erlang_c_plan", "solver",
        ] {
            #expect(doc[key] != nil, "\(key)")
        }
        #expect(doc["method"] as? String == "simulation")
        let target = doc["target"] as! [String: Any]
        #expect(target["service_level"] as? Double == 0.8 && target["threshold_s"] as? Double == 20)
        let row = (doc["intervals"] as! [[String: Any]])[0]
        for key in ["start", "offered", "required", "scheduled", "service_level", "abandon_rate"] {
            #expect(row[key] != nil, "intervals[].\(key)")
        }
        #expect(row["start"] as? String == "00:00")
        let shift = (doc["shifts"] as! [[String: Any]])[0]
        for key in ["start", "hours", "breaks", "count"] { #expect(shift[key] != nil, "shifts[].\(key)") }
        let compared = doc["erlang_c_plan"] as! [String: Any]
        #expect(compared["operator_hours"] != nil && compared["intervals_under_target"] != nil)
        let solver = doc["solver"] as! [String: Any]
        #expect(solver["optimal"] as? Bool == true && solver["gap"] != nil && solver["wall_s"] != nil)
    }

    @Test func theReportDrawsTheDay() async throws {
        let html = StaffFormat.html([try await Self.planned.get()])
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(!html.contains("<script"))
    }
}
