import Foundation
import HotlineCore
import HotlineModel
import Testing

@testable import HotlineSimulation

/// A seed reproduces a run bit for bit, whatever the number of threads; another seed does not.
struct DeterminismTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let mudanjiang = try! ModelLoader.load(path: root.appendingPathComponent("Scenarios/mudanjiang").path).model

    static func run(seed: UInt64, replications: Int = 2, threads: Int? = nil) async -> SimulationReport {
        await Simulation(model: mudanjiang, options: SimulationOptions(days: 2, seed: seed, replications: replications))
            .run(threads: threads)
    }

    @Test func sameSeedSameResults() async {
        let a = await Self.run(seed: 7)
        let b = await Self.run(seed: 7)
        #expect(a.results == b.results)
    }

    @Test func resultsDoNotDependOnTheNumberOfThreads() async {
        let one = await Self.run(seed: 11, replications: 3, threads: 1)
        let three = await Self.run(seed: 11, replications: 3, threads: 3)
        #expect(one.results == three.results)
    }

    @Test func anotherSeedGivesOtherFigures() async {
        let a = await Self.run(seed: 1, replications: 1)
        let b = await Self.run(seed: 2, replications: 1)
        #expect(a.results[0].offered != b.results[0].offered || a.results[0].waitAll != b.results[0].waitAll)
    }

    /// Common random numbers: a change to one source of randomness leaves the others' draws alone, so
    /// the arrivals of a what-if with more operators are the arrivals of the base case.
    @Test func moreOperatorsSeeTheSameCallers() async {
        var more = Self.mudanjiang
        more.staffing = .flat(40)
        var fewer = Self.mudanjiang
        fewer.staffing = .flat(20)
        let options = SimulationOptions(days: 1, seed: 5, replications: 1)
        let a = await Simulation(model: more, options: options).run()
        let b = await Simulation(model: fewer, options: options).run()
        #expect(a.results[0].offered == b.results[0].offered)
        #expect(a.results[0].answeredInTime >= b.results[0].answeredInTime)
    }
}
