import HotlineCore
import HotlineModel
import HotlineStaffing
import HotlineTesting
import Testing

@testable import HotlineSimulation

/// The simulator against exact queueing figures, small enough for a debug `swift test`. The long runs
/// (60 days × 8 replications of four models) are `hotline validate`, run in release by `.ci/run`.
struct ErlangAgreementTests {
    static func model(_ yaml: String) throws -> CityModel { try ModelLoader.load(text: yaml).model }

    @Test(arguments: [
        // Erlang A, patience shorter than talk.
        """
        name: a
        service: { threshold_s: 15 }
        arrivals: { rate_per_hour: 120 }
        operators: { count: 11 }
        handling: { direct: { share: 1.0, talk: { exponential: { mean_s: 300 } } } }
        patience: { exponential: { mean_s: 60 } }
        """,
        // Erlang C at 83 % occupancy.
        """
        name: c
        service: { threshold_s: 20 }
        arrivals: { rate_per_hour: 60 }
        operators: { count: 6 }
        handling: { direct: { share: 1.0, talk: { exponential: { mean_s: 300 } } } }
        """,
    ])
    func smallQueuesAgreeWithTheory(yaml: String) async throws {
        let model = try Self.model(yaml)
        guard case .success(let form) = SingleQueueForm.of(model) else {
            Issue.record("not a single queue")
            return
        }
        let exact = try #require(
            SingleQueue(
                arrivalsPerHour: form.ratePerHour, meanServiceTime: form.meanTalk, servers: form.operators,
                meanPatience: form.meanPatience
            )
            .figures(threshold: form.threshold))
        let report = await Simulation(model: model, options: SimulationOptions(days: 8, seed: 3, replications: 6)).run()
        let checks = report.check(against: [
            ("service_level", exact.serviceLevel), ("mean_wait_s", exact.meanWait), ("asa_s", exact.asa),
            ("abandon_rate", exact.abandonRate), ("occupancy", exact.occupancy),
        ])
        for c in checks { #expect(c.inside, "\(c.figure): \(c.simulated) ± \(c.halfWidth) vs \(c.exact)") }
        // The intervals are informative, not so wide that anything fits.
        #expect(checks.first { $0.figure == "service_level" }!.halfWidth < 0.1)
    }

    @Test func aWrongSimulatorWouldFail() async throws {
        // The same queue with one operator fewer is far outside the exact figures of the original.
        let yaml = """
            name: a
            service: { threshold_s: 15 }
            arrivals: { rate_per_hour: 120 }
            operators: { count: 10 }
            handling: { direct: { share: 1.0, talk: { exponential: { mean_s: 300 } } } }
            patience: { exponential: { mean_s: 60 } }
            """
        let exact = try #require(
            SingleQueue(arrivalsPerHour: 120, meanServiceTime: 300, servers: 11, meanPatience: 60).figures(
                threshold: 15))
        let report = await Simulation(
            model: try Self.model(yaml), options: SimulationOptions(days: 8, seed: 3, replications: 6)
        ).run()
        #expect(report.check(against: [("service_level", exact.serviceLevel)]).allSatisfy { !$0.inside })
    }

    @Test func singleQueueFormIsRecognised() throws {
        #expect(throws: Never.self) { try SingleQueueForm.of(Self.model(Fixtures.sixLineModel)).get() }
        let shifted = Fixtures.sixLineModel + "\nretrial: { share: 0.2, delay: { exponential: { mean_s: 300 } } }"
        #expect(throws: SingleQueueForm.Refusal.self) { try SingleQueueForm.of(Self.model(shifted)).get() }
    }
}
