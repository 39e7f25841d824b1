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
        @usableFromInline var time: Double
        @usableFromInline var sequence: UInt64
        @usableFromInline var event: Event

        @inlinable init(time: Double, sequence: UInt64, event: Event) {
            self.time = time
            self.sequence = sequence
            self.event = event
        }

        @inlinable @inline(__always) func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    @usableFromInline var heap: ContiguousArray<Entry> = []
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    /// Events waiting.
    @inlinable public var count: Int { heap.count }
    @inlinable public var isEmpty: Bool { heap.isEmpty }

    /// The time of the next event, if any.
    @inlinable public var nextTime: Double? { heap.first?.time }

    /// Schedules `event` at `time`.
    /// - Complexity: O(log₄ n).
    @inlinable public mutating func schedule(_ event: Event, at time: Double) {
        precondition(!time.isNaN, "an event needs a time")
        let entry = Entry(time: time, sequence: nextSequence, event: event)
        nextSequence &+= 1
        heap.append(entry)
        heap.withUnsafeMutableBufferPointer { h in
            var child = h.count - 1
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
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty { siftDown(last) }
        return (top.time, top.event)
    }

    /// Floyd's bottom-up sift: the hole at the root sinks along the smallest children to a leaf, then
    /// `entry` climbs back to its place; fewer comparisons than the classic sift-down.
    @inlinable mutating func siftDown(_ entry: Entry) {
        heap.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var hole = 0
            while true {
                let first = (hole << 2) + 1
                if first >= n { break }
                var best = first
                let end = min(first + 4, n)
                var k = first + 1
                while k < end {
                    if h[k].precedes(h[best]) { best = k }
                    k += 1
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
        for i in 1..<max(1, heap.count) where heap[i].precedes(heap[(i - 1) >> 2]) { return false }
        return true
    }
}

extension EventQueue: Sendable where Event: Sendable {}
extension EventQueue.Entry: Sendable where Event: Sendable {}
