internal import Foundation

/// A covering problem: choose how many times to use each column (a shift pattern) so that every row
/// (an interval) is covered at least its demand, at the least cost.
///
/// minimise Σ costⱼ xⱼ subject to Σⱼ aᵢⱼ xⱼ ≥ demandᵢ, xⱼ ∈ {0, 1, 2, …}, with aᵢⱼ ∈ {0, 1}.
package struct CoverProblem: Sendable, Hashable {
    /// For each column, the rows it covers.
    package var columns: [[Int]]
    /// Cost of each column (operator-hours); positive.
    package var costs: [Double]
    /// Least cover of each row.
    package var demand: [Int]

    package init(columns: [[Int]], costs: [Double], demand: [Int]) {
        precondition(columns.count == costs.count, "a cost per column")
        self.columns = columns
        self.costs = costs
        self.demand = demand
    }

    /// Whether `counts` covers every row.
    package func covers(_ counts: [Int]) -> Bool {
        var cover = [Int](repeating: 0, count: demand.count)
        for (j, n) in counts.enumerated() where n > 0 { for i in columns[j] { cover[i] += n } }
        return zip(cover, demand).allSatisfy { $0 >= $1 }
    }

    package func cost(_ counts: [Int]) -> Double { zip(counts, costs).reduce(0) { $0 + Double($1.0) * $1.1 } }
}

/// The solver's answer: the counts, their cost, and how far from proved optimal they are.
package struct CoverSolution: Sendable, Hashable {
    package var counts: [Int]
    package var cost: Double
    /// A lower bound on the cost of any cover (the cost itself when `optimal`).
    package var bound: Double
    /// True when the search proved no cover costs less.
    package var optimal: Bool
    /// Branch-and-bound nodes solved.
    package var nodes: Int
    package var wallSeconds: Double
    /// (cost − bound) / cost: 0 when optimal.
    package var gap: Double { cost > 0 ? max(0, (cost - bound) / cost) : 0 }
}

/// Solves a `CoverProblem` exactly: branch and bound on the linear relaxation, each node solved by the
/// dual simplex method from its parent's final tableau.
///
/// The relaxation's optimum, rounded up to the next multiple of the greatest common divisor of the
/// costs, bounds every integer cover; the search stops when the best cover found reaches the bound
/// of every open node (proved optimal) or when `timeLimit` runs out (then `optimal` is false and
/// `gap` says how far it may be from the optimum).
package enum CoverSolver {
    package static func solve(_ problem: CoverProblem, timeLimit: Double = 10) -> CoverSolution {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .milliseconds(Int64(max(0, min(timeLimit, 86_400)) * 1000))
        func elapsed() -> Double {
            let d = clock.now - started
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let n = problem.columns.count
        let unit = costUnit(problem.costs)
        // The trivial cover: enough of the column that covers most rows (every row must be coverable).
        var best = rounded(problem, Array(repeating: 0.0, count: n))
        var bestCost = best.map(problem.cost) ?? .infinity
        guard problem.demand.contains(where: { $0 > 0 }) else {
            let zero = [Int](repeating: 0, count: n)
            return CoverSolution(counts: zero, cost: 0, bound: 0, optimal: true, nodes: 0, wallSeconds: elapsed())
        }
        var root = Tableau(problem)
        var nodes = 0
        guard root.solve(until: deadline) else {
            // No cover exists (some row is covered by no column), or the time ran out in the
            // relaxation: the rounded cover, with no bound proved.
            return CoverSolution(
                counts: best ?? [], cost: bestCost, bound: 0, optimal: false, nodes: 1, wallSeconds: elapsed())
        }
        nodes += 1
        let rootBound = roundUp(root.dualBound(problem), unit: unit)
        var stack: [(tableau: Tableau, bound: Double)] = [(root, rootBound)]
        var timedOut = false
        while let (node, bound) = stack.popLast() {
            if bound > bestCost - unit * 0.5 { continue }
            if timedOut || elapsed() > timeLimit {
                stack.append((node, bound))
                timedOut = true
                break
            }
            let x = node.solution
            if let cover = rounded(problem, x) {
                let c = problem.cost(cover)
                if c < bestCost {
                    best = cover
                    bestCost = c
                }
            }
            // Branch on the most fractional column; the branch up is explored first.
            var pick = -1
            var far = 1e-6
            for j in 0..<n {
                let f = x[j] - x[j].rounded(.down)
                let d = min(f, 1 - f)
                if d > far {
                    far = d
                    pick = j
                }
            }
            if pick < 0 { continue }  // integral: `rounded` took it as it is
            for up in [false, true] {
                var child = node
                child.branch(column: pick, bound: up ? x[pick].rounded(.up) : x[pick].rounded(.down), atLeast: up)
                guard child.solve(until: deadline) else {
                    if ContinuousClock.now > deadline {
                        stack.append((node, bound))
                        timedOut = true
                    }
                    continue
                }
                nodes += 1
                let b = roundUp(child.dualBound(problem), unit: unit)
                if b <= bestCost - unit * 0.5 { stack.append((child, b)) }
            }
        }
        let openBound = stack.map(\.bound).min() ?? bestCost
        let bound = timedOut ? min(openBound, bestCost) : bestCost
        return CoverSolution(
            counts: best ?? [], cost: bestCost, bound: max(rootBound, bound), optimal: !timedOut, nodes: nodes,
            wallSeconds: elapsed())
    }

    /// The greatest common divisor of the costs (to 1/3600: costs are hours of whole seconds).
    static func costUnit(_ costs: [Double]) -> Double {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let g = costs.map { Int(($0 * 3600).rounded()) }.reduce(0, gcd)
        return g > 0 ? Double(g) / 3600 : 0
    }

    /// A relaxation's value as a bound on integer covers: every cover costs a multiple of `unit`.
    static func roundUp(_ value: Double, unit: Double) -> Double {
        // The relaxation ran on costs raised by at most a part in 10⁷ (to break ties): undo that first.
        let v = value / (1 + 1e-7) - 1e-7
        guard unit > 0 else { return v }
        return (v / unit - 1e-6).rounded(.up) * unit
    }

    /// Rounds a fractional solution up, then drops columns, dearest first, while every row stays covered.
    static func rounded(_ p: CoverProblem, _ x: [Double]) -> [Int]? {
        var counts = x.map { Int(($0 - 1e-9).rounded(.up)) }
        var cover = [Int](repeating: 0, count: p.demand.count)
        for (j, c) in counts.enumerated() where c > 0 { for i in p.columns[j] { cover[i] += c } }
        // Rows still short (a fractional solution that is not a cover, or none at all): the column
        // that covers the most short rows, until none is short.
        while let short = cover.indices.first(where: { cover[$0] < p.demand[$0] }) {
            var pick = -1
            var most = 0
            for (j, rows) in p.columns.enumerated() where rows.contains(short) {
                let gain = rows.reduce(0) { $0 + (cover[$1] < p.demand[$1] ? 1 : 0) }
                if gain > most || (gain == most && pick >= 0 && p.costs[j] < p.costs[pick]) {
                    most = gain
                    pick = j
                }
            }
            guard pick >= 0 else { return nil }
            counts[pick] += 1
            for i in p.columns[pick] { cover[i] += 1 }
        }
        let order = counts.indices.sorted { (p.costs[$0], $0) > (p.costs[$1], $1) }
        var dropped = true
        while dropped {
            dropped = false
            for j in order where counts[j] > 0 && p.columns[j].allSatisfy({ cover[$0] > p.demand[$0] }) {
                counts[j] -= 1
                for i in p.columns[j] { cover[i] -= 1 }
                dropped = true
            }
        }
        return counts
    }
}

/// The dual simplex tableau of min c·x, A x ≥ b, x ≥ 0, with a surplus column per row.
///
/// Rows are `basic + Σ row[k] · nonbasic_k = rhs`; costs are non-negative, so the slack basis is dual
/// feasible from the start and stays so; rows added by branching keep it so.
struct Tableau {
    /// Structural columns.
    let n: Int
    var rows: [[Double]]
    var rhs: [Double]
    var basis: [Int]
    /// Reduced costs of every column.
    var reduced: [Double]
    /// The rows added by branching, in order: sign · x_column ≥ rhs (their surplus columns follow the
    /// original rows').
    var branches: [(column: Int, sign: Double, rhs: Double)] = []

    init(_ p: CoverProblem) {
        n = p.columns.count
        let m = p.demand.count
        rows = []
        rows.reserveCapacity(m)
        for i in 0..<m {
            var row = [Double](repeating: 0, count: n + m)
            row[n + i] = 1
            rows.append(row)
        }
        for (j, covered) in p.columns.enumerated() { for i in covered { rows[i][j] = -1 } }
        rhs = p.demand.map { -Double($0) }
        let structural = n
        basis = (0..<m).map { structural + $0 }
        // Costs raised by a part in 10⁷ at most, different for each column: no ties in the ratio test.
        reduced =
            p.costs.enumerated().map { $1 * (1 + 1e-7 * Double($0 + 1) / Double(max(1, p.costs.count))) }
            + [Double](repeating: 0, count: m)
    }

    /// The value of each structural column.
    var solution: [Double] {
        var x = [Double](repeating: 0, count: n)
        for (i, b) in basis.enumerated() where b < n { x[b] = max(0, rhs[i]) }
        return x
    }

    /// A lower bound on the cost of any cover in this node, by weak duality: the row duals (the
    /// reduced costs of the surplus columns), clipped at 0 and scaled down until no column's dual
    /// cost exceeds its true cost. Valid even when rounding errors leave the final basis a little off
    /// optimal, which the primal objective would not be.
    func dualBound(_ p: CoverProblem) -> Double {
        let m0 = p.demand.count
        let y = (0..<m0).map { max(0, reduced[n + $0]) }
        let yb = branches.indices.map { max(0, reduced[n + m0 + $0]) }
        var dualCost = [Double](repeating: 0, count: n)
        for (j, covered) in p.columns.enumerated() { for i in covered { dualCost[j] += y[i] } }
        for (k, b) in branches.enumerated() { dualCost[b.column] += b.sign * yb[k] }
        var theta = 1.0
        for j in 0..<n where dualCost[j] > p.costs[j] { theta = min(theta, p.costs[j] / dualCost[j]) }
        var z = 0.0
        for i in 0..<m0 { z += Double(p.demand[i]) * y[i] }
        for (k, b) in branches.enumerated() { z += b.rhs * yb[k] }
        return max(0, theta * z)
    }

    /// Adds the row xⱼ ≥ `bound` (`atLeast`) or xⱼ ≤ `bound`, with a new surplus column basic in it.
    mutating func branch(column j: Int, bound: Double, atLeast: Bool) {
        for k in rows.indices { rows[k].append(0) }
        reduced.append(0)
        let width = rows.isEmpty ? n + 1 : rows[0].count
        var row = [Double](repeating: 0, count: width)
        row[width - 1] = 1
        var value: Double
        if let r = basis.firstIndex(of: j) {
            // xⱼ = rhs_r − Σ rows[r][k] x_k over the non-basic columns.
            // atLeast: s = xⱼ − bound;  otherwise s = bound − xⱼ.
            let sign: Double = atLeast ? 1 : -1
            for k in 0..<(width - 1) where k != j && rows[r][k] != 0 { row[k] = sign * rows[r][k] }
            value = sign * (rhs[r] - bound)
        } else {
            // xⱼ non-basic at 0.
            if atLeast {
                row[j] = -1
                value = -bound
            } else {
                row[j] = 1
                value = bound
            }
        }
        rows.append(row)
        rhs.append(value)
        basis.append(width - 1)
        branches.append(atLeast ? (j, 1, bound) : (j, -1, -bound))
    }

    /// Runs the dual simplex method to the optimum. Returns false when infeasible, on a stall, or
    /// when `deadline` passes first.
    mutating func solve(until deadline: ContinuousClock.Instant = .now + .seconds(3600)) -> Bool {
        let width = rows.isEmpty ? 0 : rows[0].count
        for iteration in 0..<200_000 {
            if iteration & 63 == 63 && ContinuousClock.now > deadline { return false }
            // The leaving row: the most negative basic value.
            var r = -1
            var worst = -1e-9
            for i in rhs.indices where rhs[i] < worst {
                worst = rhs[i]
                r = i
            }
            if r < 0 { return true }
            // The entering column: the least ratio of reduced cost to the row's negative entry.
            var enter = -1
            var ratio = Double.infinity
            let row = rows[r]
            for k in 0..<width where row[k] < -1e-12 {
                let q = reduced[k] / -row[k]
                if q < ratio - 1e-12 {
                    ratio = q
                    enter = k
                }
            }
            if enter < 0 { return false }
            pivot(row: r, column: enter)
        }
        return false
    }

    mutating func pivot(row r: Int, column c: Int) {
        let p = rows[r][c]
        let width = rows[r].count
        var pr = rows[r]
        for k in 0..<width { pr[k] /= p }
        let pv = rhs[r] / p
        rows[r] = pr
        rhs[r] = pv
        for i in rows.indices where i != r {
            let f = rows[i][c]
            if f == 0 { continue }
            rows[i].withUnsafeMutableBufferPointer { row in
                pr.withUnsafeBufferPointer { src in
                    for k in 0..<width { row[k] -= f * src[k] }
                }
            }
            rows[i][c] = 0
            rhs[i] -= f * pv
        }
        let f = reduced[c]
        if f != 0 {
            for k in 0..<width { reduced[k] -= f * pr[k] }
            reduced[c] = 0
        }
        basis[r] = c
    }
}
