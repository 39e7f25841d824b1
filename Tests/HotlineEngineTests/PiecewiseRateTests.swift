import Testing

@testable import HotlineEngine

struct PiecewiseRateTests {
    @Test func arrivalsFollowTheRatesSlotBySlot() {
        // 1 per second, none, then 3 per second, over slots of 100 s, 2000 times.
        let rate = PiecewiseRate(slotLength: 100, ratePerSecond: [1, 0, 3])
        var rng = Xoshiro256StarStar(seed: 21)
        var counts = [0, 0, 0]
        for _ in 0..<2000 {
            var t = 0.0
            while let next = rate.nextArrival(after: t, &rng) {
                counts[Int(next / 100)] += 1
                t = next
            }
        }
        #expect(counts[1] == 0)
        #expect(abs(Double(counts[0]) / 2000 - 100) < 1)  // s.e. 0.22
        #expect(abs(Double(counts[2]) / 2000 - 300) < 1.6)  // s.e. 0.39
        #expect(rate.horizon == 300)
    }
}
