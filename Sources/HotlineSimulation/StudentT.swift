#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Quantiles of Student's t distribution, for confidence intervals over replications.
package enum StudentT {
    /// The two-sided quantile: `t` with P(|T| ≤ t) = `confidence` for `degreesOfFreedom`.
    package static func quantile(confidence: Double, degreesOfFreedom nu: Int) -> Double {
        precondition(nu >= 1 && confidence > 0 && confidence < 1)
        // P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2); bisection on t.
        let target = 1 - confidence
        var lo = 0.0
        var hi = 1e4
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            let tail = regularizedIncompleteBeta(Double(nu) / (Double(nu) + mid * mid), Double(nu) / 2, 0.5)
            if tail > target { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// I_x(a, b), by the continued fraction of Numerical Recipes (modified Lentz).
    package static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x))
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, b, a) }
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...10_000 {
            let m = Double(m)
            var num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + num * d
            if abs(d) < tiny { d = tiny }
            c = 1 + num / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            f *= d * c
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + num * d
            if abs(d) < tiny { d = tiny }
            c = 1 + num / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return front * f / a
    }
}

/// The mean of replication values and the half-width of its confidence interval.
package func meanAndHalfWidth(_ values: [Double], confidence: Double = 0.95) -> (mean: Double, halfWidth: Double) {
    let n = values.count
    guard n > 0 else { return (0, 0) }
    let mean = values.reduce(0, +) / Double(n)
    guard n > 1 else { return (mean, 0) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    return (
        mean, StudentT.quantile(confidence: confidence, degreesOfFreedom: n - 1) * (variance / Double(n)).squareRoot()
    )
}
