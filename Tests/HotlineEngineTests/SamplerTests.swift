import Testing

@testable import HotlineEngine

struct SamplerTests {
    static func moments(_ s: Sampler, n: Int = 200_000, seed: UInt64 = 3) -> (mean: Double, cv: Double) {
        var rng = Xoshiro256StarStar(seed: seed)
        var sum = 0.0
        var sq = 0.0
        for _ in 0..<n {
            let x = s.sample(&rng)
            sum += x
            sq += x * x
        }
        let m = sum / Double(n)
        return (m, (sq / Double(n) - m * m).squareRoot() / m)
    }

    @Test(arguments: [
        (Sampler.exponential(mean: 240), 240.0, 1.0), (.lognormal(mean: 150, cv: 0.8), 150, 0.8),
        (.gamma(mean: 300, cv: 0.5), 300, 0.5),
        (.gamma(mean: 10, cv: 2), 10, 2), (.erlang(k: 3, phaseMean: 30), 90, 1 / 3.0.squareRoot()),
        (.deterministic(60), 60, 0),
        (.uniform(min: 10, width: 20), 20, 10 / (3.0.squareRoot() * 20)),
    ])
    func meansAndVariationAreRight(sampler: Sampler, mean: Double, cv: Double) {
        let m = Self.moments(sampler)
        #expect(abs(m.mean - mean) / mean < 0.01, "mean \(m.mean) vs \(mean)")
        #expect(abs(m.cv - cv) < 0.03, "cv \(m.cv) vs \(cv)")
        #expect(abs(sampler.mean - mean) < 1e-9 * mean)
    }

    @Test func aliasTableDrawsItsProbabilities() {
        let table = AliasTable(weights: [0.5, 0, 0.2, 0.3])
        var rng = Xoshiro256StarStar(seed: 5)
        var counts = [0, 0, 0, 0]
        for _ in 0..<400_000 { counts[table.sample(&rng)] += 1 }
        #expect(counts[1] == 0)
        for (i, p) in [0.5, 0, 0.2, 0.3].enumerated() { #expect(abs(Double(counts[i]) / 400_000 - p) < 0.003) }
    }

    @Test func empiricalSamplerDrawsOnlyItsValues() {
        let s = Sampler.empirical(values: [30, 60, 120], alias: AliasTable(weights: [0.2, 0.5, 0.3]))
        var rng = Xoshiro256StarStar(seed: 9)
        for _ in 0..<1000 { #expect([30, 60, 120].contains(s.sample(&rng))) }
        #expect(abs(s.mean - 72) < 1e-9)
    }
}
