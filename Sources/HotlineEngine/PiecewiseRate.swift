/// A Poisson process whose rate is constant over fixed slots (half-hours) and changes between them.
///
/// Arrivals are drawn exactly by inversion: a unit exponential is spent against the integrated rate,
/// slot by slot, so no thinning and no approximation is involved.
public struct PiecewiseRate: Sendable {
    /// Slot length in seconds.
    public let slotLength: Double
    /// Arrivals per second in each slot, from time 0.
    public let ratePerSecond: [Double]
    /// `1 / slotLength`: a multiplication finds the slot (a division costs several times more).
    @usableFromInline let slotsPerSecond: Double
    @usableFromInline let ziggurat = Ziggurat.shared

    public init(slotLength: Double, ratePerSecond: [Double]) {
        precondition(slotLength > 0 && ratePerSecond.allSatisfy { $0 >= 0 && $0.isFinite }, "rates")
        self.slotLength = slotLength
        self.ratePerSecond = ratePerSecond
        slotsPerSecond = 1 / slotLength
    }

    /// The end of the horizon the rates cover.
    public var horizon: Double { slotLength * Double(ratePerSecond.count) }

    /// The first arrival after `time`, or `nil` when none comes before the horizon.
    @inlinable public func nextArrival(after time: Double, _ rng: inout Xoshiro256StarStar) -> Double? {
        var remaining = ziggurat.exponential(&rng)
        var t = time
        // Rounding may name the slot before the true one at a boundary; that slot then has no
        // mass left and the loop moves on, so the draw is the same.
        var slot = Int(t * slotsPerSecond)
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
