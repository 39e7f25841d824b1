internal import HotlineCore

/// Open cases by the unit that may see them, in case-number order, for paging through `cases`
/// without sorting or scanning every open case (Art. 15: a unit lists its own cases only).
///
/// A case is listed under every unit it has been visible to; whether it still is, and whether it is
/// still open, is checked when a page is read, and entries that fail are dropped in batches.
struct CaseIndex {
    /// Case numbers, ascending, by unit; `nil` for the centre, which sees every open case.
    private var numbers: [UnitID?: [Int64]] = [:]
    private var members: [UnitID?: Set<Int64>] = [:]
    /// Entries found stale since the last compaction, by list.
    private var stale: [UnitID?: Int] = [:]

    /// Notes that `id` is visible to `units` (and to the centre).
    mutating func note(_ number: Int64, visibleTo units: [UnitID]) {
        insert(number, into: nil)
        for unit in units { insert(number, into: unit) }
    }

    private mutating func insert(_ number: Int64, into list: UnitID?) {
        guard members[list, default: []].insert(number).inserted else { return }
        var a = numbers[list, default: []]
        numbers[list] = nil
        if let last = a.last, last >= number {
            // Out of order (a hand-on, joint handling), or still there from before it was forgotten.
            let p = a.partitionPoint { $0 >= number }
            if p == a.count || a[p] != number { a.insert(number, at: p) }
        } else {
            a.append(number)
        }
        numbers[list] = a
    }

    /// Up to `limit` case numbers of `list` after `after` for which `keep` holds, and whether more may
    /// follow. Entries that fail `keep` are forgotten (they never come back: a closed case stays
    /// closed; a case handed away from a unit is noted again if it comes back).
    /// - Complexity: O(log n + k) for k entries looked at, amortised over compactions.
    mutating func page(
        _ list: UnitID?, after: Int64?, limit: Int, keep: (Int64) -> Bool
    ) -> (numbers: [Int64], more: Bool) {
        guard let a = numbers[list] else { return ([], false) }
        var i = after.map { cursor in a.partitionPoint { $0 > cursor } } ?? 0
        var result: [Int64] = []
        var dropped: [Int64] = []
        while i < a.count && result.count < limit {
            if keep(a[i]) { result.append(a[i]) } else { dropped.append(a[i]) }
            i += 1
        }
        let more = i < a.count
        if !dropped.isEmpty { forget(dropped, in: list) }
        return (result, more)
    }

    private mutating func forget(_ dropped: [Int64], in list: UnitID?) {
        for n in dropped { members[list]?.remove(n) }
        stale[list, default: 0] += dropped.count
        guard let a = numbers[list], stale[list, default: 0] * 2 > a.count else { return }
        let keep = members[list] ?? []
        numbers[list] = a.filter { keep.contains($0) }
        stale[list] = 0
    }
}

extension Array where Element == Int64 {
    /// The first index whose element satisfies `predicate`, which is false then true along the array.
    func partitionPoint(_ predicate: (Int64) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
