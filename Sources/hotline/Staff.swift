import ArgumentParser
import Foundation
import HotlineCore
import HotlineModel
import HotlineReports
import HotlineStaffing

/// `hotline staff`: operator shifts and duty lines that hold the service level in every interval,
/// verified by simulation.
struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Plan operator shifts and duty lines that meet the service level in every interval, verified by simulation.",
        discussion: """
            Sizes each type of day for its busiest date in the model's calendar. The requirement per interval \
            comes from Erlang C, Erlang A or (the default) the iterative staffing algorithm on the whole \
            simulated model; the cheapest shifts from the model's planning templates are found by an exact \
            search; every plan is simulated before it is printed, beside the per-interval Erlang C plan. \
            --day-type all plans every type the calendar has and writes shifts that each work on their own \
            type of day. Same model, options and seed give the same plan.
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "How the staff per interval is found: erlang-c, erlang-a or simulation.")
    var method: String = "simulation"

    @Option(help: ArgumentHelp("The service level and threshold (default: the model's).", valueName: "share/seconds"))
    var target: String?

    @Option(
        help: ArgumentHelp(
            "Minutes per interval, 30 or 15 (default: the model's planning interval).", valueName: "minutes"))
    var interval: Int?

    @Option(name: .customLong("day-type"), help: "working, weekend, holiday, surge, or all.")
    var dayType: String = "working"

    @Option(
        parsing: .unconditional, help: ArgumentHelp("The seed of the simulations, 0 or more.", valueName: "seed"),
        transform: WholeNumber.seed)
    var seed: Int128 = 1

    @Option(
        parsing: .unconditional,
        help:
            "Replications of each simulation of the search, 1 to 64 (the verification runs twice as many, of twice the days)."
    )
    var replications = 4

    @Option(parsing: .unconditional, help: "Simulated days per replication after a 7-day warm-up, 1 to 365.")
    var days = 21

    @Option(
        name: .customLong("time-limit"),
        help: ArgumentHelp("Seconds the exact shift search may take.", valueName: "seconds"))
    var timeLimit: Double = 10

    @Option(parsing: .unconditional, help: "Simulations run at once (default: the processors available).")
    var threads: Int?

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Write CSV files (intervals, shifts, duty lines, rota) into this folder.", valueName: "folder"))
    var csv: String?

    @Option(help: ArgumentHelp("Write an HTML report with charts of the day to this file.", valueName: "file.html"))
    var report: String?

    @Option(
        name: .customLong("write-shifts"),
        help: ArgumentHelp("Write the shift table in the model format to this file.", valueName: "file.yaml"))
    var writeShifts: String?

    @Flag(name: .shortAndLong, help: "No progress line on stderr.")
    var quiet = false

    var methodValue: StaffingMethod? { StaffingMethod(rawValue: method) }

    func validate() throws {
        if let writeShifts, let report, Self.resolved(writeShifts) == Self.resolved(report) {
            throw ValidationError("--write-shifts and --report name the same file, \(report)")
        }
        guard methodValue != nil else {
            throw ValidationError("--method must be erlang-c, erlang-a or simulation, not '\(method)'")
        }
        if let target, ServiceTarget(parsing: target) == nil {
            throw ValidationError(
                "--target must be a share and seconds such as 0.85/15 (or 85/15), not '\(target)'")
        }
        if let interval, interval != 15 && interval != 30 {
            throw ValidationError("--interval must be 15 or 30, not \(interval)")
        }
        guard dayType == "all" || DayType(rawValue: dayType) != nil else {
            throw ValidationError("--day-type must be working, weekend, holiday, surge or all, not '\(dayType)'")
        }
        try WholeNumber.checkSeed(seed)
        try WholeNumber.check("--replications", replications, in: 1...64)
        try WholeNumber.check("--days", days, in: 1...365)
        if let threads { try WholeNumber.check("--threads", threads, atLeast: 1) }
        guard timeLimit > 0, timeLimit <= 3600 else {
            throw ValidationError("--time-limit must be more than 0 and at most 3600 seconds, not \(timeLimit)")
        }
    }

    func run() async throws {
        if let csv { try OutputPath.prepareFolder(csv, what: "the CSV files") }
        if let report { try OutputPath.prepareFile(report, what: "the report") }
        if let writeShifts { try OutputPath.prepareFile(writeShifts, what: "the shift table") }
        let (model, _, warnings) = try modelOptions.load()
        // Never write an output over a file of the model just read.
        let modelFiles = Set(((try? modelOptions.source.load().files) ?? []).map(Self.resolved))
        for (flag, path) in [("--write-shifts", writeShifts), ("--report", report)] {
            if let path, modelFiles.contains(Self.resolved(path)) {
                printToStandardError("hotline staff: \(flag) \(path) is a file of the model: it would be overwritten")
                throw ExitCode.validationFailure
            }
        }
        if !quiet && !warnings.isEmpty {
            printToStandardError(ModelCheck.lines(warnings, severity: "warning").joined(separator: "\n"))
        }
        let types: [DayType] =
            dayType == "all"
            ? DayType.allCases.filter { DesignDay.busiest($0, in: model) != nil }
            : [DayType(rawValue: dayType)!]
        let goal =
            target.flatMap(ServiceTarget.init(parsing:))
            ?? ServiceTarget(serviceLevel: model.service.targetShare, thresholdS: model.service.thresholdSeconds)
        let progress = ProgressLine(enabled: !quiet, label: "planning \(model.name)")
        var plans: [StaffPlan] = []
        for type in types {
            var planner = StaffPlanner(
                model: model,
                request: StaffRequest(
                    method: methodValue!, target: goal, intervalMinutes: interval ?? model.planning.intervalMinutes,
                    dayType: type,
                    search: DayRunOptions(
                        days: days, warmUpDays: 7, replications: replications, seed: UInt64(seed), threads: threads),
                    verify: DayRunOptions(
                        days: days * 2, warmUpDays: 7, replications: replications * 2,
                        seed: UInt64(seed) &+ 7918, threads: threads),
                    timeLimit: timeLimit))
            planner.progress = { progress.note($0) }
            do {
                plans.append(try await planner.plan())
            } catch {
                progress.finish()
                printToStandardError("hotline staff: \(error.description)")
                throw ExitCode(1)
            }
        }
        progress.finish()
        if let w = plans.firstIndex(where: { $0.dayType == "working" }),
            let e = plans.firstIndex(where: { $0.dayType == "weekend" })
        {
            plans[w].weekRota = StaffPlan.weekRota(working: plans[w], weekend: plans[e], planning: model.planning)
        }
        let text = json ? try StaffFormat.json(plans) : plans.map(StaffFormat.table).joined(separator: "\n\n")
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
        } catch {
            printToStandardError("hotline staff: the plan could not be written to standard output")
            throw ExitCode(1)
        }
        if let csv {
            for (name, text) in StaffFormat.csvFiles(plans) {
                try OutputPath.write(
                    text, toFile: (csv as NSString).appendingPathComponent(name), what: "the CSV files")
            }
        }
        if let report { try OutputPath.write(StaffFormat.html(plans), toFile: report, what: "the report") }
        if let writeShifts {
            try OutputPath.write(
                StaffFormat.shiftsYAML(plans, model: model.name), toFile: writeShifts, what: "the shift table")
        }
    }

    /// A path with symbolic links and `..` resolved, to compare files.
    static func resolved(_ path: String) -> String {
        (URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path as NSString).standardizingPath
    }
}
