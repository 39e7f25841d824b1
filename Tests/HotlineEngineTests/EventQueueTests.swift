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
}
