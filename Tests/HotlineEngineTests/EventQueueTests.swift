import Testing

@testable import HotlineEngine

struct EventQueueTests {
    @Test func popsInTimeOrderAndTiesInSchedulingOrder() {
        var rng = Xoshiro256StarStar(seed: 7)
        var queue = EventQueue<Int>()
        var expected: [(Double, Int)] = []
        for i in 0..<5000 {
            // Few distinct times, so many ties.
            let t = Double(rng.next() % 200)
            queue.schedule(i, at: t)
            expected.append((t, i))
        }
        #expect(queue.checkInvariants())
        expected.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var got: [(Double, Int)] = []
        while let next = queue.popNext() { got.append((next.time, next.event)) }
        #expect(got.map(\.1) == expected.map(\.1))
        #expect(queue.isEmpty)
    }

    @Test func interleavedSchedulingKeepsTheHeap() {
        var rng = Xoshiro256StarStar(seed: 11)
        var queue = EventQueue<UInt64>()
        var now = 0.0
        for _ in 0..<1000 { queue.schedule(rng.next(), at: now + Double(rng.next() % 1000)) }
        for _ in 0..<100_000 {
            let (t, _) = queue.popNext()!
            #expect(t >= now)
            now = t
            queue.schedule(rng.next(), at: now + Double(rng.next() % 1000) / 10)
        }
        #expect(queue.count == 1000)
        #expect(queue.checkInvariants())
    }

    @Test func ordersNegativeAndSignedZeroTimesLikeNumbers() {
        // The heap compares an order-preserving bit pattern of the time: negative times, -0 and +0,
        // subnormals and huge values must still come out in numeric order, ties in scheduling order.
        var queue = EventQueue<Int>()
        let times: [Double] = [3, -1, 0, -0.0, .leastNonzeroMagnitude, -2.5e300, 1e300, -0.0, 0, .infinity, -1]
        for (i, t) in times.enumerated() { queue.schedule(i, at: t) }
        var got: [(Double, Int)] = []
        while let next = queue.popNext() { got.append((next.time, next.event)) }
        let expected = times.enumerated().sorted {
            $0.element < $1.element || ($0.element == $1.element && $0.offset < $1.offset)
        }
        #expect(got.map(\.1) == expected.map(\.offset))
        #expect(got.map(\.0) == expected.map(\.element))
    }
}
