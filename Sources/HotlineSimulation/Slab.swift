/// A growable array of plain values in memory the replication owns: element access has no
/// copy-on-write check, which a `[Operator]` inside the replication paid on every write.
///
/// Only for trivial (plain-data) elements. The owner frees it with `free()` once, and must not copy it
/// while it is in use: copies share the memory.
struct Slab<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        precondition(_isPOD(Element.self), "a slab holds plain data only")
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    /// The element at `i`, read and written in place.
    subscript(i: Int) -> Element {
        unsafeAddress {
            precondition(i >= 0 && i < count, "slab index out of range")
            return UnsafePointer(base + i)
        }
        nonmutating unsafeMutableAddress {
            precondition(i >= 0 && i < count, "slab index out of range")
            return base + i
        }
    }

    mutating func append(_ element: Element) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Frees the memory.
    func free() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
