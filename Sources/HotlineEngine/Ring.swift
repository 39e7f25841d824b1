/// A first-in first-out ring buffer that grows by doubling; no allocation once it has grown.
public struct Ring<Element> {
    @usableFromInline var storage: ContiguousArray<Element?>
    @usableFromInline var head = 0
    @usableFromInline var stored = 0

    /// Elements waiting.
    @inlinable public var count: Int { stored }

    public init(capacity: Int = 16) {
        var c = 1
        while c < capacity { c <<= 1 }
        storage = ContiguousArray(repeating: nil, count: c)
    }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// The element that has waited longest.
    @inlinable public var first: Element? { count == 0 ? nil : storage[head] }

    /// Appends at the back.
    /// - Complexity: amortised O(1).
    @inlinable public mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = element
        stored += 1
    }

    /// Removes the front element.
    @inlinable public mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let e = storage[head]
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        stored -= 1
        return e
    }

    @usableFromInline mutating func grow() {
        var bigger = ContiguousArray<Element?>(repeating: nil, count: storage.count * 2)
        for i in 0..<count { bigger[i] = storage[(head + i) & (storage.count - 1)] }
        storage = bigger
        head = 0
    }
}

extension Ring: Sendable where Element: Sendable {}
