import Testing

@testable import HotlineStaffing

/// The exact shift search against brute force: it must find the cheapest cover, not a cheap one.
@Suite struct CoverSolverTests {
    /// A seeded generator of small covering problems (the same problems on every run).
    struct Numbers {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Every combination of counts 0…limit, the cheapest that covers.
    func bruteForce(_ p: CoverProblem, limit: Int) -> Double {
        var best = Double.infinity
        var counts = [Int](repeating: 0, count: p.columns.count)
        func visit(_ j: Int) {
            if j == counts.count {
                if p.covers(counts) { best = min(best, p.cost(counts)) }
                return
            }
            for c in 0...limit {
                counts[j] = c
                visit(j + 1)
            }
        }
        visit(0)
        return best
    }

    @Test func cheapestCoverOfSmallCyclicProblems() {
        var rng = Numbers(state: 7)
        for _ in 0..<60 {
            let rows = 6
            // Five shifts of 2 to 4 intervals with costs 1 to 3, on a cyclic day of 6 intervals.
            var columns: [[Int]] = []
            var costs: [Double] = []
            for _ in 0..<5 {
                let start = rng.next(rows)
                let length = 2 + rng.next(3)
                columns.append((0..<length).map { (start + $0) % rows })
                costs.append(Double(1 + rng.next(3)))
            }
            columns.append(Array(0..<rows))  // a long shift keeps every problem feasible
            costs.append(6)
            let demand = (0..<rows).map { _ in rng.next(4) }
            let p = CoverProblem(columns: columns, costs: costs, demand: demand)
            let s = CoverSolver.solve(p, timeLimit: 5)
            #expect(s.optimal)
            #expect(p.covers(s.counts))
            #expect(s.cost == bruteForce(p, limit: 3), "demand \(demand) costs \(costs) columns \(columns)")
            #expect(s.cost == p.cost(s.counts))
            #expect(s.bound <= s.cost + 1e-9)
        }
    }

    @Test func fractionalRelaxationStillGivesIntegerOptimum() {
        // Three intervals, three shifts each covering two of them: the relaxation takes ½ of each
        // (cost 1.5 × 8 h); an integer cover needs two shifts.
        let p = CoverProblem(columns: [[0, 1], [1, 2], [2, 0]], costs: [8, 8, 8], demand: [1, 1, 1])
        let s = CoverSolver.solve(p)
        #expect(s.cost == 16 && s.optimal && s.gap == 0)
    }

    @Test func aDayOfHalfHoursIsSolvedToProof() {
        // 8-hour shifts with a 30-minute break in a window, starting on any half-hour that ends by
        // midnight, against a two-peaked demand: proved optimal, and never below the relaxation.
        var columns: [[Int]] = []
        for start in 0...32 {
            for brk in 6...10 { columns.append((0..<16).filter { $0 != brk }.map { start + $0 }) }
        }
        let demand = (0..<48).map { i in i < 12 ? 2 : i < 20 ? 12 + i : i < 30 ? 25 : i < 40 ? 18 : 5 }
        let p = CoverProblem(columns: columns, costs: Array(repeating: 8, count: columns.count), demand: demand)
        let s = CoverSolver.solve(p, timeLimit: 20)
        #expect(s.optimal)
        #expect(p.covers(s.counts))
        // Each shift covers 15 half-hours: the cover needs at least Σ demand / 15 shifts.
        let lower = (Double(demand.reduce(0, +)) / 15).rounded(.up) * 8
        #expect(s.cost >= lower)
    }

    @Test func timeLimitSaysItStoppedBeforeProof() {
        var columns: [[Int]] = []
        for start in 0..<96 {
            for brk in 8...14 { columns.append((0..<32).filter { $0 != brk }.map { (start + $0) % 96 }) }
        }
        var rng = Numbers(state: 3)
        let demand = (0..<96).map { _ in 20 + rng.next(30) }
        let p = CoverProblem(columns: columns, costs: Array(repeating: 8, count: columns.count), demand: demand)
        let s = CoverSolver.solve(p, timeLimit: 0)
        #expect(!s.optimal)
        #expect(p.covers(s.counts))
        #expect(s.bound <= s.cost && s.gap >= 0)
    }
}
