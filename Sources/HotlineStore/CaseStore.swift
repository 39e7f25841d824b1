internal import Foundation
internal import GRDB
package import HotlineCore

#if canImport(Glibc)
    internal import Glibc
#endif

/// Why the store could not do what it was asked: `description` is for people (and peers) and never
/// holds SQL; `detail` has the database's own words, for the server's log.
package struct StoreError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package var detail: String?
    init(_ description: String, detail: String? = nil) {
        self.description = description
        self.detail = detail
    }
}

/// The case register in SQLite: cases, their append-only audit log, their timers and callbacks.
///
/// The database runs in WAL mode with `synchronous = FULL`: a commit that returned is on disk and
/// survives a crash or `kill -9`. Writes come in batches (`write(_:)`), each batch one transaction, so
/// that many registrations share one disk flush (group commit, see `GroupCommit`). The schema is
/// created and upgraded by numbered migrations. One process writes a store at a time (`StoreLock`);
/// any number may read it.
package final class CaseStore: Sendable {
    /// How a store is opened.
    package enum Access: Sendable {
        /// The server's: the store's lock is taken, the file created and its schema brought up to date.
        case writer
        /// Anyone else's (`hotline cases`, tests): read-only, never created or changed; the file must be
        /// a hotline case store.
        case reader
    }

    private let pool: DatabasePool
    private let lock: StoreLock?
    /// The file, as given.
    package let path: String

    /// Opens the store at `path`.
    /// - Throws: `StoreError` with a message for people: the store in use by another server (and
    ///   which), not an SQLite file, not a hotline store, not readable. Never SQL.
    package init(path: String, access: Access = .writer) throws {
        self.path = path
        var config = Configuration()
        config.label = "hotline-cases"
        // A reader may open the store while the server writes to it: wait for a lock rather than fail.
        config.busyMode = .timeout(10)
        switch access {
        case .writer:
            // Another program's database is refused before anything is changed in it (a pool would
            // switch it to WAL first).
            if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0 {
                try Self.checkIsHotlineStoreOrEmpty(path: path)
            }
            lock = try StoreLock(storePath: path)
            config.prepareDatabase { db in
                // A commit is durable when it returns (the default in WAL mode, NORMAL, is not).
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        case .reader:
            lock = nil
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError("no case store at \(path)") }
            config.readonly = true
        }
        do {
            // Cases hold callers' numbers and texts (Art. 15): the store and its WAL files are the
            // owner's only, whatever the umask.
            let previous = umask(0o077)
            defer { umask(previous) }
            pool = try DatabasePool(path: path, configuration: config)
            if access == .writer {
                try Self.migrator.migrate(pool)
                for suffix in ["", "-wal", "-shm"] { chmod(path + suffix, 0o600) }
            } else {
                try Self.checkIsHotlineStore(pool, path: path)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(Self.plain(error, path: path))
        }
    }

    /// A database error in words, without SQL.
    static func plain(_ error: DatabaseError, path: String) -> String {
        switch error.resultCode {
        case .SQLITE_NOTADB: "\(path) is not an SQLite database, so not a hotline case store"
        case .SQLITE_CANTOPEN: "\(path) cannot be opened (no such folder, or no permission)"
        case .SQLITE_BUSY, .SQLITE_LOCKED: "\(path) is locked by another program; try again when it is done"
        case .SQLITE_READONLY, .SQLITE_PERM: "\(path) cannot be written (a read-only file or folder)"
        case .SQLITE_FULL: "\(path): the disk is full"
        case .SQLITE_CORRUPT: "\(path) is damaged (the database is corrupt)"
        case .SQLITE_IOERR: "\(path): the disk reported an error"
        default: "\(path): the database refused (\(error.resultCode))"
        }
    }

    /// The tables every hotline store has.
    private static let tables: Set<String> = ["cases", "audit", "timers", "callbacks", "grdb_migrations"]

    private static func checkIsHotlineStore(_ pool: DatabasePool, path: String) throws {
        let found = try pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        }
        guard tables.isSubset(of: found) else {
            throw StoreError(
                "\(path) is an SQLite database but not a hotline case store (it has no \(tables.subtracting(found).sorted().joined(separator: ", ")) tables)"
            )
        }
    }

    /// A writer creates its tables in an empty file, and refuses to add them to somebody else's database.
    private static func checkIsHotlineStoreOrEmpty(path: String) throws {
        var config = Configuration()
        config.readonly = true
        let found: Set<String>
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            found = try queue.read { db in
                Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"))
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw StoreError(Self.plain(error, path: path))
        }
        guard found.isEmpty || tables.isSubset(of: found) else {
            throw StoreError(
                "\(path) is an SQLite database of another program, not a hotline case store; give a new file to --store"
            )
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
        m.registerMigration("v2: case versions, next deadline, timer outcomes") { db in
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE cases ADD COLUMN next_due REAL;
                    ALTER TABLE cases ADD COLUMN next_step TEXT;
                    CREATE INDEX cases_unit_number ON cases(unit, number);
                    ALTER TABLE timers ADD COLUMN outcome TEXT NOT NULL DEFAULT 'pending';
                    ALTER TABLE timers ADD COLUMN settled_at REAL;
                    CREATE INDEX timers_pending ON timers(due) WHERE outcome = 'pending';
                    """)
        }
        m.registerMigration("v3: contact log, duty-line calls") { db in
            try db.execute(
                sql: """
                    CREATE TABLE contacts (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        call TEXT NOT NULL,
                        at REAL NOT NULL,
                        caller TEXT NOT NULL,
                        category TEXT,
                        decision TEXT NOT NULL,
                        case_id TEXT
                    );
                    CREATE INDEX contacts_caller ON contacts(caller, at);
                    CREATE INDEX contacts_case ON contacts(case_id);
                    CREATE INDEX contacts_at ON contacts(at);
                    CREATE TRIGGER contacts_append_only_update BEFORE UPDATE ON contacts
                        BEGIN SELECT RAISE(ABORT, 'the contact log is append-only'); END;
                    CREATE TRIGGER contacts_append_only_delete BEFORE DELETE ON contacts
                        BEGIN SELECT RAISE(ABORT, 'the contact log is append-only'); END;
                    CREATE TABLE duty_line_calls (
                        unit TEXT NOT NULL,
                        at REAL NOT NULL,
                        answered INTEGER NOT NULL,
                        purpose TEXT NOT NULL
                    );
                    CREATE INDEX duty_line_calls_at ON duty_line_calls(at);
                    """)
        }
        m.registerMigration("v4: ledger columns") { db in
            // What the figures need of a case, beside its record: counting a year of cases then reads
            // columns, not a year of case records (`LedgerEntry`). NULL for rows written before.
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN l_class TEXT;
                    ALTER TABLE cases ADD COLUMN l_disposition TEXT;
                    ALTER TABLE cases ADD COLUMN l_unit TEXT;
                    ALTER TABLE cases ADD COLUMN l_flags INTEGER;
                    ALTER TABLE cases ADD COLUMN l_signed REAL;
                    ALTER TABLE cases ADD COLUMN l_contacted REAL;
                    ALTER TABLE cases ADD COLUMN l_replied REAL;
                    ALTER TABLE cases ADD COLUMN l_closed REAL;
                    ALTER TABLE cases ADD COLUMN l_counts INTEGER;
                    ALTER TABLE cases ADD COLUMN l_verdict TEXT;
                    ALTER TABLE cases ADD COLUMN l_handed_on_by TEXT;
                    ALTER TABLE cases ADD COLUMN l_lists TEXT;
                    CREATE INDEX cases_registered ON cases(registered_at);
                    """)
        }
        m.registerMigration("v5: three-party calls under way") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pending_conferences (
                        key TEXT PRIMARY KEY NOT NULL,
                        at REAL NOT NULL,
                        request TEXT NOT NULL,
                        caller TEXT NOT NULL,
                        summary TEXT NOT NULL,
                        call TEXT NOT NULL,
                        urgent INTEGER NOT NULL
                    );
                    CREATE INDEX cases_call ON cases(call);
                    CREATE INDEX contacts_call ON contacts(call);
                    """)
        }
        return m
    }

    // MARK: Writing

    /// Writes a batch of changes in one transaction: all of them are durable when this returns, or none.
    /// - Throws: `StoreError` (the first change that failed, in words; its details go to `detail`).
    package func write(_ changes: [CaseChange]) throws {
        try write(changes.map { StoreWrite.change($0) })
    }

    /// Writes a batch of writes of any kind in one transaction.
    package func write(_ items: [StoreWrite]) throws {
        guard !items.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            try pool.write { db in
                for item in items { try Self.write(item, db, encoder) }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(Self.plain(error, path: path), detail: "\(error)")
        }
    }

    private static func write(_ item: StoreWrite, _ db: Database, _ encoder: JSONEncoder) throws {
        switch item {
        case .change(let change): try write(change, db, encoder)
        case .contact(let c):
            try db.execute(
                sql: """
                    INSERT INTO contacts (call, at, caller, category, decision, case_id)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [c.call, c.at.seconds, c.caller, c.category?.rawValue, c.decision, c.caseID?.rawValue])
        case .dutyLineCall(let d):
            try db.execute(
                sql: "INSERT INTO duty_line_calls (unit, at, answered, purpose) VALUES (?, ?, ?, ?)",
                arguments: [d.unit.rawValue, d.at.seconds, d.answered, d.purpose])
        case .conferencePending(let p):
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO pending_conferences (key, at, request, caller, summary, call, urgent)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    p.key, p.at.seconds, String(decoding: try encoder.encode(p.request), as: UTF8.self),
                    p.intake.caller, p.intake.summary, p.intake.call, p.intake.urgent,
                ])
        case .conferenceOver(let key):
            try db.execute(sql: "DELETE FROM pending_conferences WHERE key = ?", arguments: [key])
        case .together(let items):
            for item in items { try write(item, db, encoder) }
        }
    }

    private static func write(_ change: CaseChange, _ db: Database, _ encoder: JSONEncoder) throws {
        let c = change.after
        let value = String(decoding: try encoder.encode(c), as: UTF8.self)
        let next = c.nextDeadline
        let unit = c.holder?.rawValue ?? c.dispatchedTo?.rawValue
        if let intake = change.intake {
            try db.execute(
                sql: """
                    INSERT INTO cases (id, number, registered_at, state, category, unit, caller, summary, call,
                        urgent, value, updated_at, version, next_due, next_step)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    c.id.rawValue, number(of: c.id), c.registeredAt.seconds, c.state.rawValue,
                    c.order.category.rawValue, unit, intake.caller, intake.summary, intake.call, intake.urgent, value,
                    change.at.seconds, change.version ?? 1, next?.at.seconds, next?.step.rawValue,
                ])
        } else {
            var sql = """
                UPDATE cases SET state = ?, unit = ?, value = ?, updated_at = ?, next_due = ?, next_step = ?,
                    version = version + 1
                WHERE id = ?
                """
            var arguments: StatementArguments = [
                c.state.rawValue, unit, value, change.at.seconds, next?.at.seconds, next?.step.rawValue, c.id.rawValue,
            ]
            if let version = change.version {
                sql += " AND version = ?"
                _ = arguments.append(contentsOf: [version - 1])
            }
            try db.execute(sql: sql, arguments: arguments)
            guard db.changesCount == 1 else {
                throw StoreError(
                    "case \(c.id) was not updated: it is not in the store, or an earlier change of it failed")
            }
        }
        try writeLedger(LedgerEntry(c), db, encoder)
        for e in change.entries {
            try db.execute(
                sql: """
                    INSERT INTO audit (case_id, at, actor, event, article, state, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [c.id.rawValue, e.at.seconds, e.actor, e.event, e.article, e.state.rawValue, e.detail])
        }
        if let fired = change.fired {
            try db.execute(
                sql: """
                    UPDATE timers SET outcome = 'fired', settled_at = ?
                    WHERE case_id = ? AND timer = ? AND due = ? AND outcome = 'pending'
                    """,
                arguments: [change.at.seconds, fired.caseID.rawValue, fired.timer.rawValue, fired.due.seconds])
        }
        for t in change.armed {
            try db.execute(
                sql: "INSERT OR IGNORE INTO timers (case_id, timer, due) VALUES (?, ?, ?)",
                arguments: [t.caseID.rawValue, t.timer.rawValue, t.due.seconds])
        }
        if c.state == .closed {
            try db.execute(
                sql:
                    "UPDATE timers SET outcome = 'cancelled', settled_at = ? WHERE case_id = ? AND outcome = 'pending'",
                arguments: [change.at.seconds, c.id.rawValue])
        }
        if let w = change.callback {
            try db.execute(
                sql: "INSERT OR REPLACE INTO callbacks (case_id, not_before, due_by) VALUES (?, ?, ?)",
                arguments: [c.id.rawValue, w.notBefore.seconds, w.by.seconds])
        }
        if change.callbackDone || c.state == .closed {
            try db.execute(sql: "DELETE FROM callbacks WHERE case_id = ?", arguments: [c.id.rawValue])
        }
    }

    /// The ledger columns of a case (`LedgerEntry`): flags and small counts packed, the lists as JSON
    /// only when a case has any.
    private static func writeLedger(_ e: LedgerEntry, _ db: Database, _ encoder: JSONEncoder) throws {
        var flags = 0
        if e.directlySupervised { flags |= 1 }
        if e.extensionRequested { flags |= 2 }
        if e.extensionGranted { flags |= 4 }
        // Three counts in one integer, 20 bits each.
        let counts =
            min(e.reHandled, 0xFFFFF) | min(e.dissatisfiedCallbacks, 0xFFFFF) << 20
            | min(e.repeatCalls, 0xFFFFF) << 40
        let lists = e.lists
        let listText = lists.isEmpty ? nil : String(decoding: try encoder.encode(lists), as: UTF8.self)
        try db.execute(
            sql: """
                UPDATE cases SET l_class = ?, l_disposition = ?, l_unit = ?, l_flags = ?, l_signed = ?,
                    l_contacted = ?, l_replied = ?, l_closed = ?, l_counts = ?, l_verdict = ?, l_handed_on_by = ?,
                    l_lists = ?
                WHERE id = ?
                """,
            arguments: [
                e.deadlineClass.rawValue, e.disposition.rawValue, e.responsibleUnit?.rawValue, flags,
                e.signedAt?.seconds, e.contactedAt?.seconds, e.repliedAt?.seconds, e.closedAt?.seconds, counts,
                e.lastSatisfaction?.rawValue, e.handedOnBy?.rawValue, listText, e.id.rawValue,
            ])
    }

    /// A ledger entry read back from its columns (in the order of `periods`' query, read by position:
    /// a year of rows); `nil` for a row written before they existed.
    private static func ledgerEntry(_ row: Row, _ decoder: JSONDecoder) throws -> LedgerEntry? {
        guard let klass = row[3] as String?,
            let disposition = (row[4] as String?).flatMap(CaseDisposition.init(rawValue:))
        else { return nil }
        let flags: Int = row[6] ?? 0
        let counts: Int = row[11] ?? 0
        var lists = LedgerEntry.Lists()
        if let text = row[14] as String? { lists = try decoder.decode(LedgerEntry.Lists.self, from: Data(text.utf8)) }
        func time(_ column: Int) -> Instant? { (row[column] as Double?).map { Instant(seconds: $0) } }
        return LedgerEntry(
            id: CaseID(row[0]), registeredAt: Instant(seconds: row[1]),
            state: CaseState(rawValue: row[2]) ?? .registered, deadlineClass: DeadlineClassID(klass),
            disposition: disposition, responsibleUnit: (row[5] as String?).map { UnitID($0) },
            directlySupervised: flags & 1 != 0, signedAt: time(7), contactedAt: time(8), repliedAt: time(9),
            closedAt: time(10), extensionRequested: flags & 2 != 0, extensionGranted: flags & 4 != 0,
            reHandled: counts & 0xFFFFF, lastSatisfaction: (row[12] as String?).flatMap(Satisfaction.init(rawValue:)),
            dissatisfiedCallbacks: (counts >> 20) & 0xFFFFF, repeatCalls: (counts >> 40) & 0xFFFFF,
            handedOnBy: (row[13] as String?).map { UnitID($0) }, lists: lists)
    }

    /// The sequence number inside a case id `YYYYMMDD-NNNNNN` (or any id ending in digits).
    package static func number(of id: CaseID) -> Int64 {
        Int64(id.rawValue.split(separator: "-").last.flatMap { Int64($0) } ?? 0)
    }

    // MARK: Reading

    /// Runs a read, with database errors in words.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(Self.plain(error, path: path), detail: "\(error)")
        }
    }

    /// The time of the latest change in the store, if any: a clock must not start before it.
    package func latestChange() throws -> Instant? {
        try read { db in try Double.fetchOne(db, sql: "SELECT MAX(updated_at) FROM cases").map { Instant(seconds: $0) }
        }
    }

    /// The highest case number registered so far (0 for an empty store).
    package func lastCaseNumber() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM cases") ?? 0 }
    }

    /// Cases, newest first; only `unit`'s when given (Art. 15: a unit sees its own cases only).
    /// - Complexity: an indexed query; `before` pages on (the number of the last case of the previous page).
    package func list(
        unit: UnitID? = nil, openOnly: Bool = false, limit: Int = 1000, before: Int64? = nil
    ) throws -> [CaseSummaryRow] {
        try read { db in
            var sql = "SELECT id, registered_at, state, category, unit, caller, next_due, next_step FROM cases"
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let unit {
                conditions.append("unit = ?")
                _ = arguments.append(contentsOf: [unit.rawValue])
            }
            if openOnly { conditions.append("state NOT IN ('closed')") }
            if let before {
                conditions.append("number < ?")
                _ = arguments.append(contentsOf: [before])
            }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY number DESC LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                CaseSummaryRow(
                    id: CaseID(row["id"]), registeredAt: Instant(seconds: row["registered_at"]),
                    state: CaseState(rawValue: row["state"]) ?? .registered, category: CategoryCode(row["category"]),
                    unit: (row["unit"] as String?).map { UnitID($0) },
                    nextDue: (row["next_due"] as Double?).map { Instant(seconds: $0) },
                    nextStep: (row["next_step"] as String?).flatMap(CaseTimer.init(rawValue:)),
                    callerMasked: Confidential.number(row["caller"]))
            }
        }
    }

    /// One case, whole; `nil` when there is none by that id.
    package func find(_ id: CaseID) throws -> StoredCase? {
        try read { db in
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
            let log = try Row.fetchAll(
                db, sql: "SELECT * FROM timers WHERE case_id = ? ORDER BY due, timer", arguments: [id.rawValue]
            ).compactMap { t -> TimerRecord? in
                guard let timer = Self.timer(t) else { return nil }
                return TimerRecord(
                    timer: timer, outcome: TimerRecord.Outcome(rawValue: t["outcome"]) ?? .pending,
                    settledAt: (t["settled_at"] as Double?).map { Instant(seconds: $0) })
            }
            return StoredCase(
                value: value, intake: intake, audit: audit,
                timers: log.filter { $0.outcome == .pending }.map(\.timer), timerLog: log, version: row["version"])
        }
    }

    /// Every case not yet closed, with its intake and version: what a starting server takes up again.
    package func openCases() throws -> [(Case, Intake, Int)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cases WHERE state NOT IN ('closed') ORDER BY number").map { row in
                (
                    try Self.decodeCase(row["value"]),
                    Intake(caller: row["caller"], summary: row["summary"], call: row["call"], urgent: row["urgent"]),
                    row["version"] as Int
                )
            }
        }
    }

    /// The three-party calls that were under way when the server stopped, oldest first. (The end of
    /// one is written in the transaction of its case or contact line, so every entry is unconcluded.)
    package func pendingConferences() throws -> PendingConferences {
        try read { db in
            var result = PendingConferences(conferences: [], unreadable: [])
            for row in try Row.fetchAll(db, sql: "SELECT * FROM pending_conferences ORDER BY at, key") {
                let key: String = row["key"]
                guard let text = row["request"] as String?,
                    let request = try? JSONDecoder().decode(CallRequest.self, from: Data(text.utf8)),
                    let at = row["at"] as Double?, let caller = row["caller"] as String?,
                    let summary = row["summary"] as String?, let call = row["call"] as String?
                else {
                    result.unreadable.append(key)
                    continue
                }
                result.conferences.append(
                    PendingConference(
                        key: key, at: Instant(seconds: at), request: request,
                        intake: Intake(caller: caller, summary: summary, call: call, urgent: row["urgent"] ?? false)))
            }
            return result
        }
    }

    /// Every pending timer, earliest first: re-armed at start-up (one already due fires at once).
    package func pendingTimers() throws -> [CaseTimerDue] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM timers WHERE outcome = 'pending' ORDER BY due, case_id, timer")
                .compactMap(Self.timer)
        }
    }

    /// Satisfaction callbacks still to make (Art. 10(10)), by case.
    package func pendingCallbacks() throws -> [CaseID: CallbackWindow] {
        try read { db in
            var result: [CaseID: CallbackWindow] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM callbacks") {
                result[CaseID(row["case_id"])] = CallbackWindow(
                    notBefore: Instant(seconds: row["not_before"]), by: Instant(seconds: row["due_by"]))
            }
            return result
        }
    }

    /// The store's cases counted month by month, as a simulated run counts them: what a bulletin
    /// (Art. 13) or an assessment (Art. 14) is written from, each case as it stands now, with the
    /// duty-line calls. With a span, the months from `from` up to `to`: the cases registered in them,
    /// and the older ones changed since `from` (their lapses, supervisions and accountability in the
    /// span count; nothing else of theirs does).
    /// - Complexity: one pass over the cases of the span.
    package func periods(calendar: WorkingCalendar, from: Instant? = nil, to: Instant? = nil) throws -> [PeriodLedger] {
        try read { db in
            var ledger = CaseLedger(calendar: calendar, from: from)
            let decoder = JSONDecoder()
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, registered_at, state, l_class, l_disposition, l_unit, l_flags, l_signed, l_contacted,
                        l_replied, l_closed, l_counts, l_verdict, l_handed_on_by, l_lists,
                        CASE WHEN l_class IS NULL THEN value END AS value
                    FROM cases WHERE registered_at < ? AND (registered_at >= ? OR updated_at >= ?) ORDER BY number
                    """,
                arguments: [
                    to?.seconds ?? Double.greatestFiniteMagnitude, from?.seconds ?? -Double.greatestFiniteMagnitude,
                    from?.seconds ?? -Double.greatestFiniteMagnitude,
                ])
            while let row = try rows.next() {
                do {
                    if let entry = try Self.ledgerEntry(row, decoder) {
                        ledger.record(entry)
                    } else {
                        // Written before the ledger columns: the case record itself.
                        let text: String = row[15]
                        ledger.record(try decoder.decode(Case.self, from: Data(text.utf8)))
                    }
                } catch {
                    throw StoreError("a stored case does not decode (written by a newer hotline?)", detail: "\(error)")
                }
            }
            let calls = try Row.fetchCursor(
                db, sql: "SELECT unit, at, answered FROM duty_line_calls WHERE at >= ? AND at < ?",
                arguments: [
                    from?.seconds ?? -Double.greatestFiniteMagnitude, to?.seconds ?? Double.greatestFiniteMagnitude,
                ])
            while let row = try calls.next() {
                ledger.dutyLineCall(UnitID(row["unit"]), at: Instant(seconds: row["at"]), answered: row["answered"])
            }
            return ledger.periods
        }
    }

    /// The months (`YYYY-MM`) in which the store's cases were registered, in order.
    package func months() throws -> [String] {
        try read { db in
            // Instants are the centre's local time in seconds: their UTC calendar is the local one.
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT strftime('%Y-%m', registered_at, 'unixepoch') FROM cases ORDER BY 1")
        }
    }

    /// The contact log, newest first: one caller's calls (by the number as stored), or every call;
    /// numbers masked (Art. 15).
    package func contacts(caller: String? = nil, limit: Int = 1000) throws -> [Contact] {
        try read { db in
            var sql = "SELECT * FROM contacts"
            var arguments: StatementArguments = []
            if let caller {
                sql += " WHERE caller = ?"
                _ = arguments.append(contentsOf: [caller])
            }
            sql += " ORDER BY seq DESC LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                Contact(
                    call: row["call"], at: Instant(seconds: row["at"]), caller: Confidential.number(row["caller"]),
                    category: (row["category"] as String?).map { CategoryCode($0) }, decision: row["decision"],
                    caseID: (row["case_id"] as String?).map { CaseID($0) })
            }
        }
    }

    /// Cases, audit entries and pending timers in the store.
    package func counts() throws -> (cases: Int, audit: Int, timers: Int) {
        try read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM timers WHERE outcome = 'pending'") ?? 0
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
            throw StoreError("a stored case does not decode (written by a newer hotline?)", detail: "\(error)")
        }
    }
}
