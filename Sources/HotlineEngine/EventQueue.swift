/// A pending-event set: a 4-ary min-heap of value-type events ordered by (time, insertion sequence).
///
/// Ties in time come out in the order they were scheduled, so a run is deterministic. Events are
/// stored inline in one contiguous buffer: scheduling and popping allocate nothing once the buffer
/// has grown to the run's largest pending set.
package struct EventQueue<Event> {
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

        @inlinable func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    @usableFromInline var heap: ContiguousArray<Entry> = []
    @usableFromInline var nextSequence: UInt64 = 0

    package init() {}

    /// Events waiting.
    @inlinable package var count: Int { heap.count }
    @inlinable package var isEmpty: Bool { heap.isEmpty }

    /// The time of the next event, if any.
    @inlinable package var nextTime: Double? { heap.first?.time }

    /// Schedules `event` at `time`.
    /// - Complexity: O(log₄ n).
    @inlinable package mutating func schedule(_ event: Event, at time: Double) {
        precondition(!time.isNaN, "an event needs a time")
        let entry = Entry(time: time, sequence: nextSequence, event: event)
        nextSequence &+= 1
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) >> 2
            if !entry.precedes(heap[parent]) { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    /// Removes and returns the earliest event.
    /// - Complexity: O(4 log₄ n).
    @inlinable package mutating func popNext() -> (time: Double, event: Event)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty { siftDown(last) }
        return (top.time, top.event)
    }

    @inlinable mutating func siftDown(_ entry: Entry) {
        let n = heap.count
        var index = 0
        while true {
            let first = (index << 2) + 1
            if first >= n { break }
            var best = first
            let end = min(first + 4, n)
            var k = first + 1
            while k < end {
                if heap[k].precedes(heap[best]) { best = k }
                k += 1
            }
            if !heap[best].precedes(entry) { break }
            heap[index] = heap[best]
            index = best
        }
        heap[index] = entry
    }

    /// Checks the heap order (tests only).
    package func checkInvariants() -> Bool {
        for i in 1..<max(1, heap.count) where heap[i].precedes(heap[(i - 1) >> 2]) { return false }
        return true
    }
}

extension EventQueue: Sendable where Event: Sendable {}
extension EventQueue.Entry: Sendable where Event: Sendable {}
