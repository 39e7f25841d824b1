#if canImport(Glibc)
    public import Glibc
#elseif canImport(Musl)
    public import Musl
#elseif canImport(Darwin)
    public import Darwin
#endif

/// Draws durations (seconds) from one distribution family, with its parameters prepared once.
public enum Sampler: Sendable, Equatable {
    case exponential(mean: Double)
    /// ln X ~ N(mu, sigma²).
    case lognormal(mu: Double, sigma: Double)
    /// Gamma with shape k and scale; Marsaglia–Tsang.
    case gamma(shape: Double, scale: Double)
    /// Sum of k exponential phases of mean `phaseMean`.
    case erlang(k: Int, phaseMean: Double)
    case deterministic(Double)
    case uniform(min: Double, width: Double)
    case empirical(values: [Double], alias: AliasTable)

    /// Lognormal from its mean and coefficient of variation.
    public static func lognormal(mean: Double, cv: Double) -> Sampler {
        let s2 = log(1 + cv * cv)
        return .lognormal(mu: log(mean) - s2 / 2, sigma: s2.squareRoot())
    }

    /// Gamma from its mean and coefficient of variation.
    public static func gamma(mean: Double, cv: Double) -> Sampler {
        let k = 1 / (cv * cv)
        return .gamma(shape: k, scale: mean / k)
    }

    /// One draw.
    @inlinable public func sample(_ rng: inout Xoshiro256StarStar) -> Double {
        sample(&rng, Ziggurat.shared)
    }

    /// One draw, with the ziggurat tables the caller holds (no look-up of the shared tables).
    @inlinable public func sample(_ rng: inout Xoshiro256StarStar, _ ziggurat: Ziggurat) -> Double {
        switch self {
        case .exponential(let m): return m * ziggurat.exponential(&rng)
        case .lognormal(let mu, let sigma): return exp(mu + sigma * Self.normal(&rng))
        case .gamma(let k, let scale): return scale * Self.gamma(k, &rng)
        case .erlang(let k, let m):
            var product = 1.0
            var sum = 0.0
            for _ in 0..<k {
                product *= rng.nextUnit()
                if product < 1e-280 {
                    sum += -log(product)
                    product = 1
                }
            }
            return m * (sum - log(product))
        case .deterministic(let v): return v
        case .uniform(let a, let w): return a + w * (1 - rng.nextUnit())
        case .empirical(let values, let alias): return values[alias.sample(&rng)]
        }
    }

    /// A standard normal draw (Marsaglia's polar method, one value per accepted pair).
    @inlinable static func normal(_ rng: inout Xoshiro256StarStar) -> Double {
        while true {
            let u = 2 * rng.nextUnit() - 1
            let v = 2 * rng.nextUnit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * log(s) / s).squareRoot() }
        }
    }

    /// A Gamma(k, 1) draw (Marsaglia and Tsang 2000; boosted for k < 1).
    @inlinable static func gamma(_ k: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        if k < 1 { return gamma(k + 1, &rng) * pow(rng.nextUnit(), 1 / k) }
        let d = k - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal(&rng)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.nextUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// The mean of the distribution.
    public var mean: Double {
        switch self {
        case .exponential(let m): m
        case .lognormal(let mu, let sigma): exp(mu + sigma * sigma / 2)
        case .gamma(let k, let scale): k * scale
        case .erlang(let k, let m): Double(k) * m
        case .deterministic(let v): v
        case .uniform(let a, let w): a + w / 2
        case .empirical(let values, let alias): zip(values, alias.probabilities).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }
}

/// Walker's alias table: draws an index with given probabilities in O(1).
public struct AliasTable: Sendable, Equatable {
    @usableFromInline let threshold: [Double]
    @usableFromInline let alias: [Int]
    /// The normalised probabilities.
    public let probabilities: [Double]

    /// - Parameter weights: non-negative, not all zero; normalised here.
    public init(weights: [Double]) {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 >= 0 } && weights.reduce(0, +) > 0, "weights")
        let n = weights.count
        let total = weights.reduce(0, +)
        probabilities = weights.map { $0 / total }
        var scaled = probabilities.map { $0 * Double(n) }
        var threshold = Array(repeating: 1.0, count: n)
        var alias = Array(0..<n)
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            threshold[s] = scaled[s]
            alias[s] = l
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        self.threshold = threshold
        self.alias = alias
    }

    public var count: Int { alias.count }

    /// An index drawn with the table's probabilities.
    @inlinable public func sample(_ rng: inout Xoshiro256StarStar) -> Int {
        let x = Double(rng.next() >> 11) * 0x1.0p-53 * Double(alias.count)
        let i = min(Int(x), alias.count - 1)
        return x - Double(i) < threshold[i] ? i : alias[i]
    }
}
