/// A probability distribution of a duration in seconds, as the model file gives it.
///
/// Plain data: the simulator samples it with its own seeded streams; the core only needs its mean.
package enum Distribution: Hashable, Sendable, CustomStringConvertible {
    case exponential(mean: Double)
    /// Lognormal given by its mean and coefficient of variation (standard deviation / mean).
    case lognormal(mean: Double, cv: Double)
    /// Gamma given by its mean and coefficient of variation (shape = 1 / cv²).
    case gamma(mean: Double, cv: Double)
    /// Erlang-k: the sum of k exponential phases with the given total mean.
    case erlang(k: Int, mean: Double)
    case deterministic(Double)
    case uniform(min: Double, max: Double)
    /// A table of values and their probabilities (they sum to 1).
    case empirical(values: [Double], probabilities: [Double])

    /// The mean in seconds.
    package var mean: Double {
        switch self {
        case .exponential(let m), .lognormal(let m, _), .gamma(let m, _), .erlang(_, let m), .deterministic(let m): m
        case .uniform(let a, let b): (a + b) / 2
        case .empirical(let v, let p): zip(v, p).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }

    /// The coefficient of variation (standard deviation / mean).
    package var cv: Double {
        switch self {
        case .exponential: return 1
        case .lognormal(_, let cv), .gamma(_, let cv): return cv
        case .erlang(let k, _): return 1 / Double(k).squareRoot()
        case .deterministic: return 0
        case .uniform(let a, let b): return (b - a) / (3.0.squareRoot() * (a + b))
        case .empirical(let v, let p):
            let m = mean
            let variance = zip(v, p).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) }
            return m > 0 ? variance.squareRoot() / m : 0
        }
    }

    package var description: String {
        func f(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
        switch self {
        case .exponential(let m): return "exponential(mean \(f(m)) s)"
        case .lognormal(let m, let cv): return "lognormal(mean \(f(m)) s, cv \(f(cv)))"
        case .gamma(let m, let cv): return "gamma(mean \(f(m)) s, cv \(f(cv)))"
        case .erlang(let k, let m): return "erlang-\(k)(mean \(f(m)) s)"
        case .deterministic(let v): return "deterministic(\(f(v)) s)"
        case .uniform(let a, let b): return "uniform(\(f(a))–\(f(b)) s)"
        case .empirical(let v, _): return "empirical(\(v.count) values, mean \(f(mean)) s)"
        }
    }
}
