import ArgumentParser
import Foundation
import HotlineCore
import HotlineStore

/// `hotline cases list|show`: the case register, as stored by `hotline serve`.
struct Cases: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or show the cases in a case store.",
        discussion: "Caller numbers are masked and complaint texts withheld (Art. 15).",
        subcommands: [List.self, Show.self, Contacts.self]
    )

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "The case store, an SQLite file written by hotline serve.")
        var store = "hotline-cases.sqlite"

        @Option(name: .long, help: "Hours east of UTC of the times shown (default: the centre's, 8).")
        var utcOffset = 8

        @Flag(name: .long, help: "Print one JSON document on standard output.")
        var json = false

        /// Opens the store read-only: it is never created or changed, and a running server keeps it.
        func open() throws -> CaseStore {
            guard FileManager.default.fileExists(atPath: store) else {
                printToStandardError("error: no case store at \(store) (give --store PATH)")
                throw ExitCode(1)
            }
            do {
                return try CaseStore(path: store, access: .reader)
            } catch {
                printToStandardError("error: \(error)")
                throw ExitCode(1)
            }
        }

        /// A time as printed: ISO 8601 with its UTC offset.
        func text(_ time: Instant) -> String { time.iso(offsetHours: utcOffset) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases, newest first.")

        @OptionGroup var options: StoreOptions

        @Option(name: .long, help: "Only the cases of this unit (what the unit itself may see, Art. 15).")
        var unit: String?

        @Flag(name: .long, help: "Only cases not yet closed or referred.")
        var open = false

        @Option(name: .long, help: "At most this many cases.")
        var limit = 1000

        @Flag(
            name: .long,
            help:
                "Open cases by working days to or past their next deadline, with yellow (due within one working day) and red (overdue) cards per unit."
        )
        var ageing = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "With --ageing: the moment to measure from (default: now, in the centre's time).",
                valueName: "YYYY-MM-DDTHH:MM"))
        var at: String?

        @OptionGroup var modelOptions: ModelOptions

        func validate() throws {
            if let at, Instant(parsing: at) == nil {
                throw ValidationError("--at must be a time YYYY-MM-DDTHH:MM that exists, not '\(at)'")
            }
            if at != nil && !ageing { throw ValidationError("--at goes with --ageing") }
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1, not \(limit)") }
        }

        func run() throws {
            if ageing { return try runAgeing() }
            let store = try options.open()
            let rows: [CaseSummaryRow]
            do {
                rows = try store.list(unit: unit.map { UnitID($0) }, openOnly: open, limit: max(1, limit))
            } catch {
                printToStandardError("error: \(error)")
                throw ExitCode(1)
            }
            if options.json {
                let items = rows.map {
                    CaseListItem(
                        id: $0.id.rawValue, registeredAt: options.text($0.registeredAt), state: $0.state.rawValue,
                        category: $0.category.rawValue, unit: $0.unit?.rawValue,
                        nextDeadline: $0.nextDue.map(options.text), nextStep: $0.nextStep?.rawValue,
                        caller: $0.callerMasked)
                }
                print(try jsonText(CaseList(store: options.store, count: items.count, cases: items)))
                return
            }
            if rows.isEmpty {
                print("no cases in \(options.store)")
                return
            }
            let header = ["case", "registered", "state", "category", "unit", "next deadline", "caller"]
            let table = rows.map { row in
                [
                    row.id.rawValue, options.text(row.registeredAt), row.state.rawValue, row.category.rawValue,
                    row.unit?.rawValue ?? "-",
                    row.nextDue.map { "\(options.text($0)) \(row.nextStep?.rawValue ?? "")" } ?? "-", row.callerMasked,
                ]
            }
            print(render([header] + table))
            print("\(rows.count) case\(rows.count == 1 ? "" : "s")")
        }
    }

    struct Contacts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The contact log: every call the centre settled, direct answers included, newest first.",
            discussion:
                "Give --caller the number as the caller rang from to see their history; numbers are printed masked (Art. 15)."
        )

        @OptionGroup var options: StoreOptions

        @Option(name: .long, help: "Only this caller's calls (the number in full; it is printed masked).")
        var caller: String?

        @Option(name: .long, help: "At most this many calls.")
        var limit = 1000

        func run() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1, not \(limit)") }
            let store = try options.open()
            let rows: [Contact]
            do {
                rows = try store.contacts(caller: caller, limit: limit)
            } catch {
                printToStandardError("error: \(error)")
                throw ExitCode(1)
            }
            if options.json {
                let items = rows.map {
                    ContactItem(
                        call: $0.call, at: options.text($0.at), caller: $0.caller, category: $0.category?.rawValue,
                        decision: $0.decision, case: $0.caseID?.rawValue)
                }
                print(try jsonText(ContactList(store: options.store, count: items.count, contacts: items)))
                return
            }
            if rows.isEmpty {
                print(caller == nil ? "no calls in \(options.store)" : "no calls from that number in \(options.store)")
                return
            }
            let table = rows.map {
                [
                    options.text($0.at), $0.call, $0.caller, $0.category?.rawValue ?? "-", $0.decision,
                    $0.caseID?.rawValue ?? "-",
                ]
            }
            print(render([["at", "call", "caller", "category", "decision", "case"]] + table))
            print("\(rows.count) call\(rows.count == 1 ? "" : "s")")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one case with its audit log.")

        @Argument(help: "The case number, e.g. 20261129-000001.")
        var id: String

        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.open()
            let found: StoredCase?
            do {
                found = try store.find(CaseID(id))
            } catch {
                printToStandardError("error: \(error)")
                throw ExitCode(1)
            }
            guard let stored = found else {
                printToStandardError("error: no case \(id) in \(options.store)")
                throw ExitCode(1)
            }
            let c = stored.value
            let t = options.text
            let next = c.nextDeadline
            let detail = CaseDetail(
                id: c.id.rawValue, registeredAt: t(c.registeredAt), state: c.state.rawValue,
                category: c.order.category.rawValue, territory: c.order.territory?.rawValue,
                dispatchTo: c.order.responsibility.dispatchTo.rawValue,
                handler: c.order.responsibility.handler.rawValue,
                holder: c.holder?.rawValue, channel: c.order.channel.rawValue, article: c.order.article.description,
                deadlines: [
                    "sign_for": t(c.deadlines.signFor), "first_contact": t(c.deadlines.firstContact),
                    "reply": t(c.deadlines.reply),
                ],
                nextDeadline: next.map { t($0.at) }, nextStep: next?.step.rawValue,
                supervisions: c.supervisions.count, extensionGranted: c.extensionGranted,
                caller: Confidential.number(stored.intake?.caller ?? ""),
                summary: Confidential.text(stored.intake?.summary ?? ""),
                timers: stored.timerLog.map {
                    TimerLine(
                        timer: $0.timer.timer.rawValue, due: t($0.timer.due),
                        outcome: $0.outcome != .fired
                            ? $0.outcome.rawValue
                            : c.missed.contains($0.timer.timer) ? "passed: missed" : "passed: met",
                        settledAt: $0.settledAt.map(t))
                },
                audit: stored.audit.map {
                    AuditLine(
                        at: t($0.at), actor: $0.actor, event: $0.event, article: $0.article,
                        state: $0.state.rawValue)
                })
            if options.json {
                print(try jsonText(detail))
                return
            }
            print("case \(detail.id): \(detail.state)")
            let fields: [(String, String)] = [
                ("registered", detail.registeredAt), ("category", detail.category),
                ("territory", detail.territory ?? "-"), ("dispatched to", detail.dispatchTo),
                ("handled by", detail.handler), ("holder now", detail.holder ?? "-"),
                ("channel", detail.channel), ("registered under", detail.article),
                ("sign-for due", detail.deadlines["sign_for"]!),
                ("first contact due", detail.deadlines["first_contact"]!),
                ("reply due", detail.deadlines["reply"]!),
                ("next deadline", detail.nextDeadline.map { "\($0) (\(detail.nextStep ?? ""))" } ?? "none running"),
                ("supervisions", "\(detail.supervisions)"), ("extension", detail.extensionGranted ? "granted" : "none"),
                ("caller", detail.caller), ("summary", detail.summary),
            ]
            for (k, v) in fields { print("  " + k.padding(toLength: 18, withPad: " ", startingAt: 0) + v) }
            if !detail.timers.isEmpty {
                print("\ntimers")
                print(
                    render(
                        [["timer", "due", "outcome", "at"]]
                            + detail.timers.map { [$0.timer, $0.due, $0.outcome, $0.settledAt ?? "-"] }))
            }
            print("\naudit log")
            print(
                render(
                    [["at", "actor", "event", "article", "state"]]
                        + detail.audit.map { [$0.at, $0.actor, $0.event, $0.article, $0.state] }))
        }
    }
}

extension Cases.List {
    /// `--ageing`: the open cases against their next deadlines, by the model's working-day calendar.
    func runAgeing() throws {
        let (model, _, _) = try modelOptions.load()
        let store = try options.open()
        let rows: [CaseSummaryRow]
        do {
            rows = try store.list(unit: unit.map { UnitID($0) }, openOnly: true, limit: Int.max)
        } catch {
            printToStandardError("error: \(error)")
            throw ExitCode(1)
        }
        let now =
            at.flatMap(Instant.init(parsing:))
            ?? Instant(seconds: Date().timeIntervalSince1970 + Double(options.utcOffset) * 3600)
        let open = rows.compactMap { r -> (id: CaseID, unit: UnitID?, step: CaseTimer, due: Instant)? in
            guard let due = r.nextDue, let step = r.nextStep else { return nil }
            return (r.id, r.unit, step, due)
        }
        let ageing = CaseAgeing(cases: open, at: now, calendar: model.router.calendar)
        let callers = Dictionary(rows.map { ($0.id, $0.callerMasked) }, uniquingKeysWith: { a, _ in a })
        let shown = ageing.rows.prefix(limit)
        if options.json {
            let report = AgeingReport(
                store: options.store, at: options.text(now), open: ageing.rows.count,
                units: ageing.units.map {
                    AgeingUnitItem(
                        unit: $0.unit?.rawValue ?? "-", open: $0.open, green: $0.green, yellow: $0.yellow, red: $0.red,
                        overdueUnder1: $0.pastUnder1, overdue1To5: $0.past1To5, overdueOver5: $0.pastOver5,
                        due1To3: $0.due1To3, dueOver3: $0.dueOver3)
                },
                cases: shown.map {
                    AgeingCaseItem(
                        case: $0.id.rawValue, unit: $0.unit?.rawValue, step: $0.step.rawValue,
                        due: options.text($0.due),
                        workingDays: ($0.workingDays * 100).rounded() / 100, card: $0.card.rawValue,
                        caller: callers[$0.id] ?? "")
                })
            print(try jsonText(report))
            return
        }
        print("open cases at \(options.text(now)): \(ageing.rows.count) with a deadline running")
        if ageing.rows.isEmpty { return }
        print("")
        let header = [
            "unit", "open", "red", "yellow", "green", "past >5 wd", "past 1-5", "past <1", "due <=3 wd", "due >3",
        ]
        let lines = ageing.units.map {
            [
                $0.unit?.rawValue ?? "-", "\($0.open)", "\($0.red)", "\($0.yellow)", "\($0.green)", "\($0.pastOver5)",
                "\($0.past1To5)", "\($0.pastUnder1)", "\($0.due1To3)", "\($0.dueOver3)",
            ]
        }
        print(render([header] + lines))
        let cards = shown.filter { $0.card != .green }
        if !cards.isEmpty {
            print("\nred and yellow cards")
            print(
                render(
                    [["card", "case", "unit", "step", "due", "working days", "caller"]]
                        + cards.map {
                            [
                                $0.card.rawValue, $0.id.rawValue, $0.unit?.rawValue ?? "-", $0.step.rawValue,
                                options.text($0.due), String(format: "%+.1f", $0.workingDays), callers[$0.id] ?? "",
                            ]
                        }))
        }
    }
}

struct AgeingReport: Encodable {
    var store, at: String
    var open: Int
    var units: [AgeingUnitItem]
    var cases: [AgeingCaseItem]
}

struct AgeingUnitItem: Encodable {
    var unit: String
    var open, green, yellow, red, overdueUnder1, overdue1To5, overdueOver5, due1To3, dueOver3: Int
}

struct AgeingCaseItem: Encodable {
    var `case`: String
    var unit: String?
    var step, due: String
    /// Working days to the deadline; negative once past it.
    var workingDays: Double
    var card, caller: String
}

struct ContactItem: Encodable {
    var call, at, caller: String
    var category: String?
    var decision: String
    var `case`: String?
}

struct ContactList: Encodable {
    var store: String
    var count: Int
    var contacts: [ContactItem]
}

struct CaseListItem: Encodable {
    var id, registeredAt, state, category: String
    var unit, nextDeadline, nextStep: String?
    var caller: String
}

struct TimerLine: Encodable {
    var timer, due, outcome: String
    var settledAt: String?
}

struct CaseList: Encodable {
    var store: String
    var count: Int
    var cases: [CaseListItem]
}

struct AuditLine: Encodable {
    var at, actor, event, article, state: String
}

struct CaseDetail: Encodable {
    var id, registeredAt, state, category: String
    var territory: String?
    var dispatchTo, handler: String
    var holder: String?
    var channel, article: String
    var deadlines: [String: String]
    var nextDeadline, nextStep: String?
    var supervisions: Int
    var extensionGranted: Bool
    var caller, summary: String
    var timers: [TimerLine]
    var audit: [AuditLine]
}

private func jsonText(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// A plain text table, columns padded to their widest cell (counted in characters).
private func render(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    let widths = first.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
        }.joined()
    }.joined(separator: "\n")
}
