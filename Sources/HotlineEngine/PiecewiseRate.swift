#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A Poisson process whose rate is constant over fixed slots (half-hours) and changes between them.
///
/// Arrivals are drawn exactly by inversion: a unit exponential is spent against the integrated rate,
/// slot by slot, so no thinning and no approximation is involved.
package struct PiecewiseRate: Sendable {
    /// Slot length in seconds.
    package let slotLength: Double
    /// Arrivals per second in each slot, from time 0.
    package let ratePerSecond: [Double]

    package init(slotLength: Double, ratePerSecond: [Double]) {
        precondition(slotLength > 0 && ratePerSecond.allSatisfy { $0 >= 0 && $0.isFinite }, "rates")
        self.slotLength = slotLength
        self.ratePerSecond = ratePerSecond
    }

    /// The end of the horizon the rates cover.
    package var horizon: Double { slotLength * Double(ratePerSecond.count) }

    /// The first arrival after `time`, or `nil` when none comes before the horizon.
    @inlinable package func nextArrival(after time: Double, _ rng: inout Xoshiro256StarStar) -> Double? {
        var remaining = -log(rng.nextUnit())
        var t = time
        var slot = Int(t / slotLength)
        while slot < ratePerSecond.count {
            let end = Double(slot + 1) * slotLength
            let rate = ratePerSecond[slot]
            let mass = rate * (end - t)
            if remaining < mass { return t + remaining / rate }
            remaining -= mass
            t = end
            slot += 1
        }
        return nil
    }
}
