import ArgumentParser
import Foundation
import HotlineCore
import HotlineModel
import HotlineReports
import HotlineSimulation
import HotlineStore

/// `hotline report bulletin|assessment`: the notices a centre issues from its figures, the monthly
/// bulletin of Art. 13 and the yearly assessment of Art. 14, from a simulated run or the live store.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue the monthly bulletin (Art. 13) or the yearly assessment (Art. 14).",
        discussion: """
            The figures come from a simulated run (--from RUN.json, what `hotline simulate --json` printed) \
            or from the case store of `hotline serve` (--store cases.sqlite, opened read-only). The rules \
            (thresholds, tiers, KPIs and weights) are the model's `bulletins:` and `assessment:` sections \
            (docs/bulletins.md). Notices print case numbers and counts only, never a caller's number or \
            words (Art. 15).
            """,
        subcommands: [BulletinReport.self, AssessmentReport.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, md, html, json
        var notice: NoticeFormat { NoticeFormat(rawValue: rawValue)! }
    }

    enum Language: String, ExpressibleByArgument, CaseIterable {
        case zh, en
        var notice: NoticeLanguage { NoticeLanguage(rawValue: rawValue)! }
    }

    /// Where the figures come from, and how the notice is written.
    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("The JSON of a simulated run (hotline simulate --json).", valueName: "RUN.json"))
        var from: String?

        @Option(
            help: ArgumentHelp("The case store of hotline serve, opened read-only.", valueName: "cases.sqlite"))
        var store: String?

        @Option(help: "text, md, html or json.")
        var format: Format = .text

        @Option(help: "zh (Chinese, the default) or en.")
        var lang: Language = .zh

        @Option(help: ArgumentHelp("Write the notice to this file, not standard output.", valueName: "FILE"))
        var output: String?

        @OptionGroup var modelOptions: ModelOptions

        func validate() throws {
            switch (from, store) {
            case (nil, nil):
                throw ValidationError(
                    "give the figures: --from RUN.json (a simulated run) or --store cases.sqlite (the live store)")
            case (.some, .some): throw ValidationError("give --from or --store, not both")
            default: break
            }
        }

        /// The months of the run or the store, the model that names their units, and where they came from.
        /// From a store, only the months of `span` are counted (a year of cases is not read for a month).
        func load(span: (from: CivilDate, to: CivilDate)? = nil) throws -> Figures {
            let (model, _, _) = try modelOptions.load()
            if let from { return try Self.run(from, model: model) }
            return try Self.store(store ?? "", model: model, span: span)
        }

        static func run(_ path: String, model: CityModel) throws -> Figures {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure("no such file: \(path) (give the JSON that hotline simulate --json printed)")
            }
            guard !OutputPath.isFolder(path) else {
                throw CommandFailure("\(path) is a folder, not the JSON of a run")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure("cannot read \(path)")
            }
            let summary: SimulationSummary
            do {
                summary = try RunFile.summary(from: data)
            } catch {
                throw CommandFailure("\(path) is not the JSON of a run (hotline simulate --json): \(error.reason)")
            }
            if summary.model != model.name {
                printToStandardError(
                    "warning: \(path) is a run of the model '\(summary.model)', but units are named from the model '\(model.name)' (give the run's model with --model)"
                )
            }
            let first = CivilDate(parsing: summary.start)
            let last = first.map { CivilDate(dayNumber: $0.dayNumber + max(1, summary.days) - 1) }
            return Figures(
                model: model, periods: summary.periods, name: path,
                kind: .simulation(model: summary.model, start: summary.start, days: summary.days),
                first: first, last: last)
        }

        static func store(_ path: String, model: CityModel, span: (from: CivilDate, to: CivilDate)?) throws -> Figures {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure("no case store at \(path) (give the store hotline serve writes)")
            }
            do {
                let store = try CaseStore(path: path, access: .reader)
                let periods = try store.periods(
                    calendar: model.router.calendar, from: span.map { Instant($0.from) },
                    to: span.map { Instant($0.to) })
                var figures = Figures(
                    model: model, periods: periods, name: path, kind: .store(path: path), first: nil, last: nil)
                figures.months = try store.months()
                return figures
            } catch {
                throw CommandFailure("cannot read the case store \(path): \(error)")
            }
        }

        /// Writes the notice to `--output`, or prints it.
        func emit(_ text: String, what: String) throws {
            guard let output else {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                return
            }
            try OutputPath.prepareFile(output, what: what)
            try OutputPath.write(text, toFile: output, what: what)
        }
    }

    /// The months read, with the model and where they came from.
    struct Figures {
        var model: CityModel
        var periods: [PeriodLedger]
        /// The file, as the user named it.
        var name: String
        var kind: NoticeSource.Kind
        /// The first and last day a run covers; `nil` for the store.
        var first: CivilDate?
        var last: CivilDate?
        /// Every month the source holds (a store read for a span holds more than it counted).
        var months: [String]?

        /// The months there are, for messages: `2026-10 and 2026-11`, `2026-01 to 2026-12 (12 months)`.
        var monthsText: String {
            let names = months ?? periods.map(\.period)
            switch names.count {
            case 0: return "no months"
            case 1: return names[0]
            case 2: return "\(names[0]) and \(names[1])"
            default: return "\(names.first!) to \(names.last!) (\(names.count) months)"
            }
        }

        /// Where the figures came from, with the days of `period` the run missed.
        func source(for period: String? = nil) -> NoticeSource {
            var s = NoticeSource(kind, utcOffsetHours: model.utcOffsetHours)
            if let period, let (y, m) = Bulletin.month(period), let start = CivilDate(year: y, month: m, day: 1) {
                let end = CivilDate(year: y, month: m, day: CivilDate.daysIn(month: m, year: y))!
                if let first, first > start { s.countedFrom = first }
                if let last, last < end { s.countedTo = last }
            }
            return s
        }
    }

    struct BulletinReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bulletin",
            abstract:
                "The monthly bulletin: units criticised under Art. 13 with the evidence, their tiers, units named, accountability.",
            discussion: """
                Examples:
                  hotline simulate --days 60 --start 2026-10-01 --json -q > run.json
                  hotline report bulletin --period 2026-11 --from run.json
                  hotline report bulletin --period 2026-11 --from run.json --format html --output bulletin.html
                  hotline report bulletin --period 2026-11 --store cases.sqlite --lang en
                """
        )

        @Option(help: ArgumentHelp("The month of the bulletin.", valueName: "YYYY-MM"))
        var period: String

        @OptionGroup var options: Options

        func validate() throws {
            guard Bulletin.month(period) != nil else {
                throw ValidationError("--period must be a month YYYY-MM, such as 2026-11, not '\(period)'")
            }
        }

        func run() throws {
            try options.emit(try render(), what: "the bulletin")
        }

        /// The bulletin as it is printed or written.
        func render() throws -> String {
            let (y, m) = Bulletin.month(period)!
            let first = CivilDate(year: y, month: m, day: 1)!
            let figures = try options.load(span: (first, first.adding(days: CivilDate.daysIn(month: m, year: y))))
            guard let ledger = figures.periods.first(where: { $0.period == period }) else {
                throw CommandFailure("no figures for \(period) in \(figures.name): it holds \(figures.monthsText)")
            }
            return try BulletinFormat.render(
                Bulletin(period: ledger, model: figures.model), format: options.format.notice,
                lang: options.lang.notice, source: figures.source(for: period))
        }
    }

    struct AssessmentReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assessment",
            abstract:
                "The yearly target-management assessment (Art. 14): every unit's score, its breakdown, the ranking.",
            discussion: """
                Examples:
                  hotline report assessment --year 2026 --from run.json
                  hotline report assessment --year 2026 --store cases.sqlite --format md --output assessment.md
                """
        )

        @Option(parsing: .unconditional, help: ArgumentHelp("The year assessed.", valueName: "YYYY"))
        var year: Int

        @OptionGroup var options: Options

        func validate() throws {
            guard (1900...9999).contains(year) else {
                throw ValidationError("--year must be a year YYYY, such as 2026, not \(year)")
            }
        }

        func run() throws {
            try options.emit(try render(), what: "the assessment")
        }

        /// The assessment as it is printed or written.
        func render() throws -> String {
            let figures = try options.load(
                span: (CivilDate(year: year, month: 1, day: 1)!, CivilDate(year: year + 1, month: 1, day: 1)!))
            guard figures.periods.contains(where: { $0.period.hasPrefix("\(year)-") }) else {
                throw CommandFailure("no figures for \(year) in \(figures.name): it holds \(figures.monthsText)")
            }
            return try AssessmentFormat.render(
                Assessment(year: year, periods: figures.periods, model: figures.model), format: options.format.notice,
                lang: options.lang.notice, source: figures.source())
        }
    }
}
