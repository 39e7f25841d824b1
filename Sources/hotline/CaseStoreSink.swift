import Foundation
import HotlineCore
import HotlineSimulation
import HotlineStore

/// Writes the cases of a simulated run into a case store as they end, in batches: a store like the
/// live backend's (without callers, whom a simulation has none of), for bulletins, assessments and
/// ageing from a run, and for benchmarks at a year's scale.
final class CaseStoreSink: CaseSink, @unchecked Sendable {
    // Called from one replication's thread only; `failure` is read after the run.
    private let store: CaseStore
    private var batch: [StoreWrite] = []
    private(set) var written = 0
    private(set) var failure: String?

    init(store: CaseStore) { self.store = store }

    func caseEnded(_ c: Case, open: Bool) {
        guard failure == nil else { return }
        batch.append(
            .change(
                CaseChange(
                    after: c, entry: nil, at: c.lastEventAt,
                    intake: Intake(caller: "", summary: "", call: "simulated"), version: 1)))
        if batch.count >= 2000 { flush() }
    }

    func dutyLineCall(_ unit: UnitID, at: Instant, answered: Bool) {
        guard failure == nil else { return }
        batch.append(.dutyLineCall(DutyLineCall(unit: unit, at: at, answered: answered, purpose: "simulated")))
        if batch.count >= 2000 { flush() }
    }

    func finish() { flush() }

    private func flush() {
        guard !batch.isEmpty, failure == nil else { return }
        do {
            try store.write(batch)
            written += batch.count { if case .change = $0 { true } else { false } }
        } catch {
            failure = "\(error)"
        }
        batch = []
    }
}
