import Foundation
import HotlineCore
import HotlineModel
import Testing

@testable import HotlineSimulation

/// A week of the bundled Mudanjiang model: the network parts of the simulation all take part, and the
/// routing core refuses none of the simulator's case events.
struct CityRunTests {
    /// One week, simulated once for all the tests of the suite (a task, awaited: never a blocked thread).
    static let run = Task {
        await Simulation(
            model: DeterminismTests.mudanjiang,
            options: SimulationOptions(days: 7, seed: 4, replications: 2, start: CivilDate(parsing: "2026-03-02"))
        ).run().summary
    }

    @Test func callsArriveAsTheProfileSays() async {
        let summary = await Self.run.value
        // 2–8 March 2026: Monday 1.1, three ordinary days, Friday, weekend 0.7 each, heating season 1.2.
        let expected = 1000 * 1.2 * (1.1 + 4 + 0.7 * 2)
        #expect(abs(summary.offered - expected) < 4 * expected.squareRoot())
    }

    @Test func everyCaseEventIsAcceptedByTheRoutingCore() async {
        let summary = await Self.run.value
        #expect(summary.cases.refused == 0)
    }

    /// Art. 10(1)–(6): calls end in every disposition the model's shares allow.
    @Test func everyDispositionOccurs() async {
        let summary = await Self.run.value
        for key in ["direct", "three_party_settled", "phone_dispatch", "work_order", "referral", "escalation"] {
            #expect((summary.dispositions[key] ?? 0) > 0, "\(key)")
        }
        let direct = summary.dispositions["direct"]! / summary.answered
        #expect(direct > 0.55 && direct < 0.75)
    }

    /// Art. 10(2): three-party calls ring units' duty lines; some settle, some fall back (Art. 10(3)).
    @Test func threePartyCallsUseDutyLines() async {
        let summary = await Self.run.value
        let attempts = summary.units.reduce(0) { $0 + $1.conferenceAttempts }
        let onSpot = summary.units.reduce(0) { $0 + $1.conferenceOnSpot }
        let fallBack = summary.units.reduce(0) {
            $0 + $1.conferenceNoAnswer + $1.conferenceCannotAnswer + $1.conferenceLineBusy
        }
        #expect(attempts > 0 && onSpot > 0 && fallBack > 0)
        #expect(abs(onSpot + fallBack - attempts) < 1e-9)
        #expect(summary.units.contains { $0.lineOccupancy > 0 })
    }

    /// Cases live for days: dispatched, replied, called back and closed; some are supervised.
    @Test func casesRunTheirCourse() async {
        let summary = await Self.run.value
        let c = summary.cases.figures
        #expect(c.registered > 0 && c.closed > 0 && c.repliedOnTime > 0 && c.callbacks > 0)
        #expect(c.openAtEnd > 0)
        // Every registered case is closed, referred or open at the end.
        #expect(abs(c.closed + c.referred + c.openAtEnd - c.registered) < 1e-9)
        #expect(summary.outbound.satisfactionCallbacks > 0)
        // Art. 11: emergencies notified their assisting units.
        #expect(summary.units.reduce(0) { $0 + $1.notifications } > 0)
    }

    @Test func intervalsFollowTheDay() async {
        let summary = await Self.run.value
        let night = summary.intervals[6].offered  // 03:00
        let morning = summary.intervals[20].offered  // 10:00
        #expect(morning > 10 * night)
        #expect(summary.intervals.allSatisfy { $0.staffed >= 1 })  // 24-hour cover, Art. 10(1)
        #expect(abs(summary.intervals.reduce(0) { $0 + $1.offered } * 7 - summary.offered) < 1e-6 * summary.offered)
    }

    @Test func headlineFiguresAreConsistent() async {
        let summary = await Self.run.value
        let s = summary
        #expect(abs(s.answered + s.abandoned + s.outbound.callbackOffersTaken - s.offered) <= 1)
        #expect(s.serviceLevel > 0 && s.serviceLevel <= 1)
        #expect(s.occupancy > 0 && s.occupancy < 1)
        #expect(s.ci95 != nil)
        #expect(s.perReplication.count == 2)
    }
}
