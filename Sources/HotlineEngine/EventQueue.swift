/// A pending-event set: a 4-ary min-heap of value-type events ordered by (time, insertion sequence).
///
/// Ties in time come out in the order they were scheduled, so a run is deterministic. Events are
/// stored inline in one contiguous buffer: scheduling and popping allocate nothing once the buffer
/// has grown to the run's largest pending set.
///
/// The engine's hot types are `public` rather than `package`: this toolchain specialises `@inlinable`
/// generic code across modules only for public declarations, and the unspecialised heap ran 2.5 times
/// slower in the simulator.
public struct EventQueue<Event> {
    @usableFromInline
    struct Entry {
        /// The time's order-preserving bit pattern above the insertion sequence: one unsigned
        /// comparison orders two entries by (time, sequence), without branches.
        @usableFromInline var key: UInt128
        @usableFromInline var event: Event

        @inlinable init(time: Double, sequence: UInt64, event: Event) {
            key = UInt128(Self.orderedBits(time)) << 64 | UInt128(sequence)
            self.event = event
        }

        @inlinable var time: Double { Self.time(orderedBits: UInt64(truncatingIfNeeded: key >> 64)) }

        /// A bit pattern whose unsigned order is the order of the doubles (negatives flipped whole,
        /// positives with the sign bit set).
        @inlinable @inline(__always) static func orderedBits(_ t: Double) -> UInt64 {
            let bits = t.bitPattern
            return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        }

        @inlinable @inline(__always) static func time(orderedBits k: UInt64) -> Double {
            Double(bitPattern: k & (1 << 63) != 0 ? k ^ (1 << 63) : ~k)
        }

        @inlinable @inline(__always) func precedes(_ other: Entry) -> Bool { key < other.key }
    }

    /// The heap is `heap[0 ..< size]`; the buffer never shrinks, so a push or a pop touches it once
    /// (one copy-on-write check) instead of resizing it too. Entries past `size` are stale copies.
    @usableFromInline var heap: ContiguousArray<Entry> = []
    @usableFromInline var size = 0
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    /// Events waiting.
    @inlinable public var count: Int { size }
    @inlinable public var isEmpty: Bool { size == 0 }

    /// The time of the next event, if any.
    @inlinable public var nextTime: Double? { size > 0 ? heap[0].time : nil }

    /// Schedules `event` at `time`.
    /// - Complexity: O(log₄ n).
    @inlinable public mutating func schedule(_ event: Event, at time: Double) {
        precondition(!time.isNaN, "an event needs a time")
        // -0 would order before +0; they are the same instant.
        let time = time == 0 ? 0 : time
        let entry = Entry(time: time, sequence: nextSequence, event: event)
        nextSequence &+= 1
        if size == heap.count { heap.append(entry) }
        let n = size
        size += 1
        heap.withUnsafeMutableBufferPointer { h in
            var child = n
            while child > 0 {
                let parent = (child - 1) >> 2
                if !entry.precedes(h[parent]) { break }
                h[child] = h[parent]
                child = parent
            }
            h[child] = entry
        }
    }

    /// Removes and returns the earliest event.
    /// - Complexity: O(4 log₄ n).
    @inlinable public mutating func popNext() -> (time: Double, event: Event)? {
        guard size > 0 else { return nil }
        size -= 1
        let n = size
        return heap.withUnsafeMutableBufferPointer { h in
            let top = h[0]
            if n > 0 { Self.siftDown(h[n], in: h, count: n) }
            return (top.time, top.event)
        }
    }

    /// Floyd's bottom-up sift: the hole at the root sinks along the smallest children to a leaf, then
    /// `entry` climbs back to its place; fewer comparisons than the classic sift-down.
    @inlinable static func siftDown(_ entry: Entry, in h: UnsafeMutableBufferPointer<Entry>, count n: Int) {
        do {
            var hole = 0
            while true {
                let first = (hole << 2) + 1
                if first >= n { break }
                var best = first
                if first + 3 < n {
                    // A full family: three comparisons the compiler turns into conditional moves.
                    let a = h[first + 1].key < h[first].key ? first + 1 : first
                    let b = h[first + 3].key < h[first + 2].key ? first + 3 : first + 2
                    best = h[b].key < h[a].key ? b : a
                } else {
                    var k = first + 1
                    while k < n {
                        if h[k].precedes(h[best]) { best = k }
                        k += 1
                    }
                }
                h[hole] = h[best]
                hole = best
            }
            while hole > 0 {
                let parent = (hole - 1) >> 2
                if !entry.precedes(h[parent]) { break }
                h[hole] = h[parent]
                hole = parent
            }
            h[hole] = entry
        }
    }

    /// Checks the heap order (tests only).
    public func checkInvariants() -> Bool {
        for i in 1..<max(1, size) where heap[i].precedes(heap[(i - 1) >> 2]) { return false }
        return true
    }
}

extension EventQueue: Sendable where Event: Sendable {}
extension EventQueue.Entry: Sendable where Event: Sendable {}
