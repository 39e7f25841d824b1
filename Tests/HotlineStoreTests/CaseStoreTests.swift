import Foundation
import HotlineCore
import HotlineStore
import HotlineTesting
import Testing

/// The case store on a real SQLite file: what is written is read back, the audit log is append-only,
/// and the group commit shares transactions.
struct CaseStoreTests {
    static func temporaryStore() throws -> (CaseStore, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cases-\(UUID().uuidString).sqlite")
            .path
        return (try CaseStore(path: path), path)
    }

    static func registration(_ n: Int, at time: Instant = Fixtures.at("2026-03-03T10:00")) -> CaseChange {
        let router = Fixtures.router()
        let request = CallRequest(category: "0102", territory: "east-1", intent: .workOrder)
        let decision = router.disposition(for: request, at: time)
        let id = CaseID(String(format: "20260303-%06d", n))
        let c = router.openCase(id: id, for: decision, of: request, at: time)!
        return CaseChange(
            after: c,
            entry: AuditEntry(at: time, actor: "centre", event: "register", article: "Art. 10(4)", state: c.state),
            armed: [CaseTimerDue(caseID: id, timer: .signFor, due: c.deadlines.signFor)],
            intake: Intake(caller: "13912345678", summary: "噪声", call: "call-\(n)"))
    }

    @Test func aCaseIsReadBackWholeAndListedMasked() throws {
        let (store, _) = try Self.temporaryStore()
        let change = Self.registration(1)
        try store.write([change])
        let back = try #require(try store.find(change.after.id))
        #expect(back.value == change.after)
        #expect(back.intake?.caller == "13912345678")
        #expect(back.audit.map(\.event) == ["register"])
        #expect(back.timers.map(\.timer) == [.signFor])
        let rows = try store.list()
        // Art. 15: the list shows the number masked.
        #expect(rows.map(\.callerMasked) == ["139****5678"])
        #expect(try store.lastCaseNumber() == 1)
        #expect(try store.pendingTimers().count == 1)
    }

    @Test func theAuditLogRefusesChanges() throws {
        let (store, path) = try Self.temporaryStore()
        try store.write([Self.registration(1)])
        // Straight SQL against the file, as a careless tool would: the triggers refuse it.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE audit SET event=\"x\"'); c.commit()",
            path,
        ]
        let err = Pipe()
        sqlite.standardError = err
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus != 0)
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("append-only"))
        #expect(try store.find(Self.registration(1).after.id)?.audit.first?.event == "register")
    }

    @Test func aChangeToAMissingCaseFailsItsBatchAlone() throws {
        let (store, _) = try Self.temporaryStore()
        let commit = GroupCommit(store: store)
        var orphan = Self.registration(2)
        orphan.intake = nil  // an update of a case that was never registered
        let results = ResultBox()
        commit.submit(Self.registration(1)) { results.add(1, $0) }
        commit.submit(orphan) { results.add(2, $0) }
        commit.submit(Self.registration(3)) { results.add(3, $0) }
        commit.flush()
        #expect(results.outcomes == [1: true, 2: false, 3: true])
        #expect(try store.counts().cases == 2)
    }

    @Test func registrationsShareTransactions() throws {
        let (store, _) = try Self.temporaryStore()
        let commit = GroupCommit(store: store)
        let results = ResultBox()
        // The writer is held inside its first transaction's acknowledgement while 499 more arrive,
        // as under load a disk flush is in flight while registrations keep coming.
        let held = DispatchSemaphore(value: 0)
        commit.submit(Self.registration(1)) {
            results.add(1, $0)
            held.wait()
        }
        for n in 2...500 { commit.submit(Self.registration(n)) { results.add(n, $0) } }
        held.signal()
        commit.flush()
        #expect(results.outcomes.count == 500 && results.outcomes.values.allSatisfy { $0 })
        #expect(try store.counts().cases == 500)
        // Group commit: everything that arrived during the first transaction shares the second.
        #expect(commit.batches == 2)
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: Bool] = [:]
    func add(_ n: Int, _ r: Result<Void, StoreError>) {
        lock.lock()
        defer { lock.unlock() }
        if case .success = r { values[n] = true } else { values[n] = false }
    }
    var outcomes: [Int: Bool] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}

/// Art. 15: how numbers and texts are masked.
struct ConfidentialTests {
    @Test func numbersKeepOnlyTheirEnds() {
        #expect(Confidential.number("13912341234") == "139****1234")
        #expect(Confidential.number("045312345678") == "045*****5678")
        #expect(Confidential.number("6912345") == "69***45")
        #expect(Confidential.number("110") == "***")
        #expect(Confidential.number("") == "")
    }

    @Test func textsAreWithheldWhole() {
        #expect(Confidential.text("楼上噪音很大，住在3单元502") == "[withheld, Art. 15]")
        #expect(!Confidential.text("502").contains("502"))
    }
}
