internal import Dispatch
internal import Synchronization

/// Writes case changes in batches on a thread of its own: every change submitted while a transaction
/// is being flushed to disk goes into the next one, so a thousand registrations cost a handful of disk
/// flushes instead of a thousand. A change is acknowledged (`done`) only after its batch committed.
///
/// Changes are written in the order they were submitted. When a batch fails, its changes are written
/// one by one, so that one bad change fails alone.
package final class GroupCommit: Sendable {
    package typealias Completion = @Sendable (Result<Void, StoreError>) -> Void

    private struct State: ~Copyable {
        var pending: [(StoreWrite, Completion)] = []
        var draining = false
        var batches = 0
    }

    private let store: CaseStore
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "hotline.group-commit")

    package init(store: CaseStore) { self.store = store }

    /// Queues a change; `done` is called on the writer's thread once it is durable (or failed).
    package func submit(_ change: CaseChange, then done: @escaping Completion) {
        submit(.change(change), then: done)
    }

    /// Queues a write of any kind (a case change, a contact, a duty-line call).
    package func submit(_ write: StoreWrite, then done: @escaping Completion) {
        let start = state.withLock { s in
            s.pending.append((write, done))
            if s.draining { return false }
            s.draining = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Blocks until every change submitted before the call is written.
    package func flush() {
        queue.sync {}
        while state.withLock({ $0.draining }) { queue.sync {} }
    }

    /// Transactions committed so far.
    package var batches: Int { state.withLock { $0.batches } }

    private func drain() {
        while true {
            let batch: [(StoreWrite, Completion)] = state.withLock { s in
                if s.pending.isEmpty {
                    s.draining = false
                    return []
                }
                let taken = s.pending
                s.pending = []
                s.batches += 1
                return taken
            }
            if batch.isEmpty { return }
            do {
                try store.write(batch.map(\.0))
                for (_, done) in batch { done(.success(())) }
            } catch {
                for (change, done) in batch {
                    do {
                        try store.write([change])
                        done(.success(()))
                    } catch let e as StoreError {
                        done(.failure(e))
                    } catch {
                        done(.failure(StoreError("\(error)")))
                    }
                }
            }
        }
    }
}
