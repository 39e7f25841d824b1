internal import DequeModule

/// Callers waiting for an operator: emergencies first, then everybody else, first come first served
/// within each class (the simulator's queue discipline).
///
/// A caller who leaves the queue (hangs up, takes the call-back offer) is not searched for: the entry
/// stays until it reaches the head and is skipped there (`isWaiting` says who still waits). The
/// storage is two double-ended queues, so a caller put back at the head after a failed bridge, or a
/// called-back caller put first, costs O(1), whatever the number of calls that went through.
struct WaitingLine {
    private var emergency = Deque<String>()
    private var normal = Deque<String>()
    /// Callers waiting now, kept exact by the switchboard through `joined` and `left`.
    private(set) var count = 0

    /// A caller joins at the back of their class.
    mutating func append(_ call: String, emergency isEmergency: Bool) {
        if isEmergency { emergency.append(call) } else { normal.append(call) }
        count += 1
    }

    /// A caller goes back to the head of their class (a bridge that failed, a caller called back).
    mutating func prepend(_ call: String, emergency isEmergency: Bool) {
        if isEmergency { emergency.prepend(call) } else { normal.prepend(call) }
        count += 1
    }

    /// A waiting caller left the queue other than through `popFirst` (hung up, took the offer).
    mutating func left() {
        precondition(count > 0, "a caller left an empty queue")
        count -= 1
    }

    /// The next caller to answer, dropping entries of callers who left.
    /// - Complexity: O(1) amortised.
    mutating func popFirst(isWaiting: (String) -> Bool) -> String? {
        while let id = emergency.first ?? normal.first {
            if emergency.isEmpty { normal.removeFirst() } else { emergency.removeFirst() }
            if isWaiting(id) {
                count -= 1
                return id
            }
        }
        return nil
    }

    /// The caller that `popFirst` would return, without taking it.
    mutating func first(isWaiting: (String) -> Bool) -> String? {
        while let id = emergency.first ?? normal.first {
            if isWaiting(id) { return id }
            if emergency.isEmpty { normal.removeFirst() } else { emergency.removeFirst() }
        }
        return nil
    }

    /// 1 for the caller answered next: the waiting callers ahead of `call`, plus one.
    /// - Complexity: O(n) in the callers queued.
    func position(of call: String, emergency isEmergency: Bool, isWaiting: (String) -> Bool) -> Int {
        var p = 0
        if isEmergency {
            for id in emergency where isWaiting(id) {
                p += 1
                if id == call { return p }
            }
            return max(1, p)
        }
        p = emergency.reduce(0) { $0 + (isWaiting($1) ? 1 : 0) }
        for id in normal where isWaiting(id) {
            p += 1
            if id == call { return p }
        }
        return max(1, p)
    }
}
