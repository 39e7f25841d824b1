import Foundation
import HotlineCore
import HotlineStore
import Testing

@testable import HotlineBackend

/// Cases are real only once durable: a registration and its dispatch are one transaction; a write that
/// fails leaves no trace; after a restart every case not yet dispatched is dispatched.
struct DurableCaseTests {
    /// Runs SQL against the store from another process (python's sqlite3), as a careless tool would.
    static func sql(_ path: String, _ statement: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
            path, statement,
        ]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    func disposition(_ h: Harness, _ call: String, action: String = "work_order") -> [[String: Any]] {
        h.send(
            #"{"event":"disposition","operator":"op-1","call":"\#(call)","action":"\#(action)","category":"0204","territory":"dongan-xinan"}"#
        )
    }

    /// Opens the desk, answers call-1 and registers it as a work order: the case's id.
    func registeredCase(_ h: Harness) throws -> String {
        h.openDesk()
        h.connectCall("call-1")
        return try #require(disposition(h, "call-1").first("reply", "disposition")?["case"] as? String)
    }

    @Test func aWorkOrderIsRegisteredAndDispatchedInOneWrite() throws {
        let h = try Harness()
        let id = try registeredCase(h)
        let stored = try #require(try h.storeReader().find(CaseID(id)))
        #expect(stored.value.state == .dispatched)
        #expect(stored.version == 1)
        #expect(stored.audit.map(\.event) == ["register", "dispatch"])
    }

    @Test func aRegistrationThatFailsLeavesNoTraceAndNoSQL() throws {
        let h = try Harness()
        h.openDesk()
        let unit = h.connect(hello: #"{"event":"hello","role":"unit","unit":"urban"}"#)
        h.connectCall("call-1")
        // The disk refuses: every insert into the audit log fails.
        try Self.sql(
            h.storePath,
            "CREATE TRIGGER refuse BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        let out = disposition(h, "call-1")
        let e = try #require(out.first { $0["error"] != nil })
        #expect(e["code"] as? String == "refused")
        for word in ["INSERT", "SQL", "audit", "disk says no", "sqlite"] {
            #expect(!(e["error"] as! String).contains(word), "the error shows '\(word)'")
        }
        // Nothing of it exists: not in memory, not in the store, not for the unit.
        #expect(h.board.cases.isEmpty)
        #expect(try h.storeReader().counts().cases == 0)
        #expect(unit.objects.allSatisfy { $0["notice"] == nil })
        // The disk is back: the operator gives the disposition again, and the case is registered.
        try Self.sql(h.storePath, "DROP TRIGGER refuse;")
        #expect(disposition(h, "call-1").first("reply", "disposition")?["case"] != nil)
        #expect(unit.objects.contains { $0["notice"] as? String == "case" })
    }

    @Test func aCaseStepThatFailsPutsTheCaseBackAsStored() throws {
        let h = try Harness()
        let id = try registeredCase(h)
        let unit = h.connect(hello: #"{"event":"hello","role":"unit","unit":"urban"}"#)
        try Self.sql(
            h.storePath, "CREATE TRIGGER refuse BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'no'); END;")
        let out = h.send(#"{"event":"case","case":"\#(id)","action":"sign_for"}"#, on: unit)
        #expect(out.first { $0["error"] != nil }?["code"] as? String == "refused")
        #expect(h.board.cases[CaseID(id)]?.value.state == .dispatched)
        try Self.sql(h.storePath, "DROP TRIGGER refuse;")
        // The step may be taken again, and counts once.
        #expect(
            h.send(#"{"event":"case","case":"\#(id)","action":"sign_for"}"#, on: unit).first("reply", "case") != nil)
        #expect(try h.storeReader().find(CaseID(id))?.audit.map(\.event) == ["register", "dispatch", "sign_for"])
    }

    @Test func afterARestartEveryUndispatchedCaseIsDispatched() throws {
        let h = try Harness()
        h.openDesk()
        // A phone dispatch: registered, its duty line rung but never answered before the crash.
        h.connectCall("call-1")
        let phone = try #require(
            disposition(h, "call-1", action: "register").first("reply", "disposition")?["case"] as? String)
        h.send(#"{"event":"hangup","call":"call-1"}"#)
        // A work order whose dispatch an earlier version stored apart, and which a crash left registered.
        try Self.sql(
            h.storePath,
            """
            INSERT INTO cases (id, number, registered_at, state, category, unit, caller, summary, call, urgent, value, updated_at)
            SELECT '20260303-000099', 99, registered_at, 'registered', category, NULL, caller, summary, 'call-x', 0,
                json_set(json_set(value, '$.state', 'registered'), '$.id', '20260303-000099'), updated_at
            FROM cases WHERE id = '\(phone)';
            UPDATE cases SET value = json_set(value, '$.order.channel', 'work_order') WHERE id = '20260303-000099';
            """)
        try h.start()
        h.advance(1)
        // The work order went at once, with no adapter needed.
        #expect(try h.storeReader().find("20260303-000099")?.value.state == .dispatched)
        // The phone dispatch waits for an adapter: no attempt is spent while none is there.
        h.advance(3 * 300 + 60)
        #expect(try h.storeReader().find(CaseID(phone))?.value.state == .registered)
        #expect(h.board.parked.count == 1)
        let out = h.send(#"{"event":"hello","roles":["adapter","desktop"],"v":1,"name":"back"}"#)
        let dial = try #require(out.first("command", "dial"))
        #expect(dial["purpose"] as? String == "dispatch")
    }

    @Test func aCaseTheUnitReturnedIsNotDispatchedAgainByARestart() throws {
        let h = try Harness()
        let id = try registeredCase(h)
        let unit = h.connect(hello: #"{"event":"hello","role":"unit","unit":"urban"}"#)
        // 退单: the unit returns a case it is not responsible for; it waits for the centre.
        #expect(h.send(#"{"event":"case","case":"\#(id)","action":"return"}"#, on: unit).first("reply", "case") != nil)
        try h.start()
        h.advance(1)
        let stored = try #require(try h.storeReader().find(CaseID(id)))
        #expect(stored.value.state == .registered)
        #expect(stored.audit.map(\.event) == ["register", "dispatch", "return"])
    }

    @Test func anEmergencyIsEscalatedEvenWhenTheOperatorMeantToAnswerIt() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        // Art. 10(6), 11: a gas leak (010401) is an emergency; "direct" does not make it one the
        // operator answers alone: the core decides.
        let out = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"direct","category":"010401","territory":"aimin-tiebei"}"#
        )
        #expect(out.first("reply", "disposition")?["decision"] as? String == "escalation")
        // Without a category the operator answered it on the spot (Art. 10(1)).
        h.send(#"{"event":"hangup","call":"call-1"}"#)
        h.send(#"{"event":"wrap_up_done","operator":"op-1"}"#)
        h.connectCall("call-2")
        let plain = h.send(#"{"event":"disposition","operator":"op-1","call":"call-2","action":"direct"}"#)
        #expect(plain.first("reply", "disposition")?["decision"] as? String == "answer_directly")
    }
}

/// The case store's one writer, and its readers.
struct StoreAccessTests {
    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
    }

    @Test func aSecondWriterIsRefusedNamingTheFirst() throws {
        let p = Self.path()
        let first = try CaseStore(path: p)
        do {
            _ = try CaseStore(path: p)
            Issue.record("a second writer opened the store")
        } catch {
            #expect("\(error)".contains("in use by hotline serve, pid \(getpid())"))
        }
        // Readers are welcome while the writer works.
        #expect(try CaseStore(path: p, access: .reader).counts().cases == 0)
        _ = first
    }

    @Test func deletingTheLockFileDoesNotLetASecondWriterIn() throws {
        let p = Self.path()
        let first = try CaseStore(path: p)
        // An operator tidies the leftover lock file away: the lock is on the database itself.
        try FileManager.default.removeItem(atPath: p + ".lock")
        #expect(throws: (any Error).self) { try CaseStore(path: p) }
        _ = first
    }

    @Test func theStoreIsTheOwnersOnly() throws {
        let p = Self.path()
        let previous = umask(0)
        defer { umask(previous) }
        let store = try CaseStore(path: p)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: p + suffix) {
            let mode = (try FileManager.default.attributesOfItem(atPath: p + suffix)[.posixPermissions] as? Int) ?? 0
            // Art. 15: callers' numbers and texts are in it.
            #expect(mode & 0o077 == 0, "\(suffix): \(String(mode, radix: 8))")
        }
        _ = store
    }

    @Test func aReaderNeverCreatesOrConvertsAFile() throws {
        let missing = Self.path()
        #expect(throws: (any Error).self) { try CaseStore(path: missing, access: .reader) }
        #expect(!FileManager.default.fileExists(atPath: missing))
        // An SQLite file of another program: refused, and left as it was.
        let other = Self.path()
        try DurableCaseTests.sql(other, "CREATE TABLE notes (x TEXT);")
        for access in [CaseStore.Access.reader, .writer] {
            do {
                _ = try CaseStore(path: other, access: access)
                Issue.record("\(access) took another program's database")
            } catch {
                #expect("\(error)".contains("not a hotline case store"))
                #expect(!"\(error)".contains("SELECT"))
            }
        }
        // ...and left exactly as it was: not switched to WAL, no lock file beside it.
        #expect(!FileManager.default.fileExists(atPath: other + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: other + ".lock"))
        // Not SQLite at all.
        let text = Self.path()
        try "hello\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try CaseStore(path: text, access: .reader) }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "hello\n")
    }
}
