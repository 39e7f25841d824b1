internal import Foundation
internal import GRDB
package import HotlineCore

/// Why the store could not do what it was asked.
package struct StoreError: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ description: String) { self.description = description }
}

/// The case register in SQLite: cases, their append-only audit log, pending timers and callbacks.
///
/// The database runs in WAL mode with `synchronous = FULL`: a commit that returned is on disk and
/// survives a crash or `kill -9`. Writes come in batches (`write(_:)`), each batch one transaction, so
/// that many registrations share one disk flush (group commit, see `GroupCommit`). The schema is
/// created and upgraded by numbered migrations.
package final class CaseStore: Sendable {
    private let pool: DatabasePool
    /// The file, as given.
    package let path: String

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    package init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.label = "hotline-cases"
        // `hotline cases` may open the store while the server writes to it: wait for the lock.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // A commit is durable when it returns (the default in WAL mode, NORMAL, is not).
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError("\(path): \(error.message ?? "\(error)")")
        }
    }

    /// The schema, by version. A migration, once released, is never edited: add the next one.
    private static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: cases, audit log, timers, callbacks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cases (
                        id TEXT PRIMARY KEY NOT NULL,
                        number INTEGER NOT NULL UNIQUE,
                        registered_at REAL NOT NULL,
                        state TEXT NOT NULL,
                        category TEXT NOT NULL,
                        unit TEXT,
                        caller TEXT NOT NULL DEFAULT '',
                        summary TEXT NOT NULL DEFAULT '',
                        call TEXT NOT NULL DEFAULT '',
                        urgent INTEGER NOT NULL DEFAULT 0,
                        value TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX cases_unit ON cases(unit);
                    CREATE INDEX cases_state ON cases(state);
                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        case_id TEXT NOT NULL REFERENCES cases(id),
                        at REAL NOT NULL,
                        actor TEXT NOT NULL,
                        event TEXT NOT NULL,
                        article TEXT NOT NULL,
                        state TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX audit_case ON audit(case_id, seq);
                    CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TABLE timers (
                        case_id TEXT NOT NULL REFERENCES cases(id),
                        timer TEXT NOT NULL,
                        due REAL NOT NULL,
                        PRIMARY KEY (case_id, timer, due)
                    );
                    CREATE INDEX timers_due ON timers(due);
                    CREATE TABLE callbacks (
                        case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases(id),
                        not_before REAL NOT NULL,
                        due_by REAL NOT NULL
                    );
                    """)
        }
        return m
    }

    // MARK: Writing

    /// Writes a batch of changes in one transaction: all of them are durable when this returns, or none.
    package func write(_ changes: [CaseChange]) throws {
        guard !changes.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try pool.write { db in
            for change in changes {
                let c = change.after
                let value = String(decoding: try encoder.encode(c), as: UTF8.self)
                if let intake = change.intake {
                    try db.execute(
                        sql: """
                            INSERT INTO cases (id, number, registered_at, state, category, unit, caller, summary, call,
                                urgent, value, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            c.id.rawValue, Self.number(of: c.id), c.registeredAt.seconds, c.state.rawValue,
                            c.order.category.rawValue, c.holder?.rawValue ?? c.dispatchedTo?.rawValue,
                            intake.caller, intake.summary, intake.call, intake.urgent, value, change.at.seconds,
                        ])
                } else {
                    try db.execute(
                        sql: "UPDATE cases SET state = ?, unit = ?, value = ?, updated_at = ? WHERE id = ?",
                        arguments: [
                            c.state.rawValue, c.holder?.rawValue ?? c.dispatchedTo?.rawValue, value,
                            change.at.seconds, c.id.rawValue,
                        ])
                    guard db.changesCount == 1 else { throw StoreError("no case \(c.id) to update") }
                }
                if let e = change.entry {
                    try db.execute(
                        sql: """
                            INSERT INTO audit (case_id, at, actor, event, article, state, detail)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            c.id.rawValue, e.at.seconds, e.actor, e.event, e.article, e.state.rawValue, e.detail,
                        ])
                }
                if let fired = change.fired {
                    try db.execute(
                        sql: "DELETE FROM timers WHERE case_id = ? AND timer = ? AND due = ?",
                        arguments: [fired.caseID.rawValue, fired.timer.rawValue, fired.due.seconds])
                }
                for t in change.armed {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO timers (case_id, timer, due) VALUES (?, ?, ?)",
                        arguments: [t.caseID.rawValue, t.timer.rawValue, t.due.seconds])
                }
                if c.state == .closed || c.state == .referred {
                    try db.execute(sql: "DELETE FROM timers WHERE case_id = ?", arguments: [c.id.rawValue])
                }
                if let w = change.callback {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO callbacks (case_id, not_before, due_by) VALUES (?, ?, ?)",
                        arguments: [c.id.rawValue, w.notBefore.seconds, w.by.seconds])
                }
                if change.callbackDone {
                    try db.execute(sql: "DELETE FROM callbacks WHERE case_id = ?", arguments: [c.id.rawValue])
                }
            }
        }
    }

    /// The sequence number inside a case id `YYYYMMDD-NNNNNN` (or any id ending in digits).
    static func number(of id: CaseID) -> Int64 {
        Int64(id.rawValue.split(separator: "-").last.flatMap { Int64($0) } ?? 0)
    }

    // MARK: Reading

    /// The highest case number registered so far (0 for an empty store).
    package func lastCaseNumber() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM cases") ?? 0 }
    }

    /// Cases, newest first; only `unit`'s when given (Art. 15: a unit sees its own cases only).
    package func list(unit: UnitID? = nil, openOnly: Bool = false, limit: Int = 1000) throws -> [CaseSummaryRow] {
        try pool.read { db in
            var sql = """
                SELECT c.id, c.registered_at, c.state, c.category, c.unit, c.caller,
                    (SELECT MIN(due) FROM timers t WHERE t.case_id = c.id) AS next_due
                FROM cases c
                """
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let unit {
                conditions.append("c.unit = ?")
                _ = arguments.append(contentsOf: [unit.rawValue])
            }
            if openOnly { conditions.append("c.state NOT IN ('closed', 'referred')") }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY c.number DESC LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                CaseSummaryRow(
                    id: CaseID(row["id"]), registeredAt: Instant(seconds: row["registered_at"]),
                    state: CaseState(rawValue: row["state"]) ?? .registered, category: CategoryCode(row["category"]),
                    unit: (row["unit"] as String?).map { UnitID($0) },
                    nextDue: (row["next_due"] as Double?).map { Instant(seconds: $0) },
                    callerMasked: Confidential.number(row["caller"]))
            }
        }
    }

    /// One case, whole; `nil` when there is none by that id.
    package func find(_ id: CaseID) throws -> StoredCase? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM cases WHERE id = ?", arguments: [id.rawValue])
            else { return nil }
            let value = try Self.decodeCase(row["value"])
            let intake = Intake(
                caller: row["caller"], summary: row["summary"], call: row["call"], urgent: row["urgent"])
            let audit = try Row.fetchAll(
                db, sql: "SELECT * FROM audit WHERE case_id = ? ORDER BY seq", arguments: [id.rawValue]
            ).map { a in
                AuditEntry(
                    at: Instant(seconds: a["at"]), actor: a["actor"], event: a["event"], article: a["article"],
                    state: CaseState(rawValue: a["state"]) ?? .registered, detail: a["detail"])
            }
            let timers = try Row.fetchAll(
                db, sql: "SELECT * FROM timers WHERE case_id = ? ORDER BY due", arguments: [id.rawValue]
            ).compactMap(Self.timer)
            return StoredCase(value: value, intake: intake, audit: audit, timers: timers)
        }
    }

    /// Every case not yet closed or referred, with its intake: what a starting server takes up again.
    package func openCases() throws -> [(Case, Intake)] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM cases WHERE state NOT IN ('closed', 'referred') ORDER BY number"
            ).map { row in
                (
                    try Self.decodeCase(row["value"]),
                    Intake(caller: row["caller"], summary: row["summary"], call: row["call"], urgent: row["urgent"])
                )
            }
        }
    }

    /// Every pending timer, earliest first: re-armed at start-up (one already due fires at once).
    package func pendingTimers() throws -> [CaseTimerDue] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM timers ORDER BY due, case_id, timer").compactMap(Self.timer)
        }
    }

    /// Satisfaction callbacks still to make (Art. 10(10)), by case.
    package func pendingCallbacks() throws -> [CaseID: CallbackWindow] {
        try pool.read { db in
            var result: [CaseID: CallbackWindow] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM callbacks") {
                result[CaseID(row["case_id"])] = CallbackWindow(
                    notBefore: Instant(seconds: row["not_before"]), by: Instant(seconds: row["due_by"]))
            }
            return result
        }
    }

    /// Cases and audit entries in the store.
    package func counts() throws -> (cases: Int, audit: Int, timers: Int) {
        try pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM timers") ?? 0
            )
        }
    }

    private static func timer(_ row: Row) -> CaseTimerDue? {
        guard let timer = CaseTimer(rawValue: row["timer"]) else { return nil }
        return CaseTimerDue(caseID: CaseID(row["case_id"]), timer: timer, due: Instant(seconds: row["due"]))
    }

    private static func decodeCase(_ text: String) throws -> Case {
        do {
            return try JSONDecoder().decode(Case.self, from: Data(text.utf8))
        } catch {
            throw StoreError("a stored case does not decode: \(error)")
        }
    }
}
