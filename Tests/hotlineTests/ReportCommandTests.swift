import ArgumentParser
import Foundation
import Testing

@testable import hotline

/// `hotline report bulletin|assessment` as a user runs them: one shared 60-day simulated run of the
/// bundled model written to a file as `hotline simulate --json` prints it, then every format and
/// language read from that file.
@Suite struct ReportCommandTests {
    /// The run's JSON file: 2026-10-01 to 2026-11-29, October whole and November nearly.
    static let run = Task {
        let parsed = try Hotline.parseAsRoot(["simulate", "--days", "60", "--start", "2026-10-01", "--json", "-q"])
        guard let command = parsed as? Simulate else { throw CommandFailure("simulate did not parse") }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("hotline-report-\(getpid())-run.json").path
        try command.render(try await command.simulate()).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let formats = ["text", "md", "html", "json"]
    static let languages = ["zh", "en"]

    /// What the commands print, rendered once: the November bulletin and the 2026 assessment in every
    /// format and language, and the October bulletin; keyed `bulletin 2026-11 md en`.
    static let outputs = Task {
        let path = try await run.value
        var out: [String: String] = [:]
        for format in formats {
            for lang in languages {
                let flags = ["--from", path, "--format", format, "--lang", lang]
                out["bulletin 2026-11 \(format) \(lang)"] = try report(["bulletin", "--period", "2026-11"] + flags)
                out["assessment 2026 \(format) \(lang)"] = try report(["assessment", "--year", "2026"] + flags)
            }
        }
        out["bulletin 2026-10 text zh"] = try report(["bulletin", "--period", "2026-10", "--from", path])
        return out
    }

    /// What `hotline report ARGUMENTS` prints.
    static func report(_ arguments: [String]) throws -> String {
        let command = try Hotline.parseAsRoot(["report"] + arguments)
        if let bulletin = command as? Report.BulletinReport { return try bulletin.render() }
        if let assessment = command as? Report.AssessmentReport { return try assessment.render() }
        throw CommandFailure("not a report command: \(arguments)")
    }

    static func output(_ key: String) async throws -> String {
        guard let text = try await outputs.value[key] else { throw CommandFailure("no output \(key)") }
        return text
    }

    /// What each language's bulletin says in every format (JSON has no section headings).
    static let bulletinWords: [String: [String]] = [
        "zh": ["关于2026年11月份案件办理情况的通报", "向主管市长通报", "第十三条第(", "案件 SIM-"],
        "en": [
            "Bulletin on the handling of cases, November 2026", "to the mayor in charge", "Art. 13(", "case SIM-",
            "2026-11-29",
        ],
    ]
    static let bulletinSections: [String: [String]] = [
        "zh": ["一、总体情况", "二、通报批评的单位", "三、按时回复率、满意率未达标的单位", "四、行政问责", "五、说明"],
        "en": [
            "The month in figures", "Units criticised (Art. 13)", "Units below the reply or satisfaction standard",
            "Accountability", "Notes",
        ],
    ]

    @Test(arguments: formats, languages)
    func theBulletinHoldsItsSections(format: String, lang: String) async throws {
        let out = try await Self.output("bulletin 2026-11 \(format) \(lang)")
        let words = Self.bulletinWords[lang]! + (format == "json" ? [] : Self.bulletinSections[lang]!)
        for word in words { #expect(out.contains(word), "\(format) \(lang): \(word)") }
        switch format {
        case "html":
            #expect(out.hasPrefix("<!DOCTYPE html>") && out.contains("<table>"))
            #expect(out.contains(lang == "zh" ? "统计截至2026年11月29日" : "Counted to 2026-11-29"))
        case "md": #expect(out.hasPrefix("# ") && out.contains("\n| "))
        case "json":
            let json = try JSONSerialization.jsonObject(with: Data(out.utf8))
            #expect(SnakeCaseKeyTests.badKeys(json) == [])
            let object = try #require(json as? [String: Any])
            #expect(object["period"] as? String == "2026-11" && object["lang"] as? String == lang)
            #expect(object["counted_to"] as? String == "2026-11-29")
            for key in ["figures", "units", "named", "accountability", "rules"] {
                #expect(object[key] != nil, "\(key)")
            }
        default:
            #expect(out.hasPrefix(lang == "zh" ? "牡丹江市市长公开电话受理中心\n" : "Mudanjiang Mayor's Public Telephone"))
        }
    }

    // Art. 13(2): the bundled model's change of 2026-10-15 was reported four days late.
    @Test func theOctoberBulletinHoldsTheLateReportedChange() async throws {
        let out = try await Self.output("bulletin 2026-10 text zh")
        #expect(out.contains("第十三条第(二)项"))
        #expect(out.contains("2026-10-15 00:00 生效的变更,2026-10-19 09:30 才报告受理中心"))
    }

    @Test(arguments: formats)
    func theAssessmentRanksTheUnits(format: String) async throws {
        let zh = try await Self.output("assessment 2026 \(format) zh")
        var words = ["2026年度网络成员单位目标管理考核结果", "按时回复", "群众满意", "牡丹江市"]
        if format != "json" { words += ["一、考核办法", "二、考核结果", "三、得分明细", "四、未参加考核的单位", "五、说明"] }
        for word in words { #expect(zh.contains(word), "\(format): \(word)") }
        let en = try await Self.output("assessment 2026 \(format) en")
        #expect(en.contains("Target-management assessment of the member units, 2026") && en.contains("On-time replies"))
        if format == "json" {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(en.utf8)) as? [String: Any])
            #expect(json["months"] as? [String] == ["2026-10", "2026-11"])
            #expect(((json["ranked"] as? [[String: Any]])?.count ?? 0) > 10)
            #expect(SnakeCaseKeyTests.badKeys(json) == [])
        }
    }

    /// The digit runs of a text that look like a phone number: a mobile number (11 digits from 13…19),
    /// or a fixed line with its area code (0xx or 0xxx, then 7 or 8 digits, with or without a hyphen).
    static func phoneLike(_ text: String) -> [String] {
        var found: [String] = []
        for match in text.matches(of: /[0-9]+(?:-[0-9]+)?/) {
            let run = String(match.output)
            let parts = run.split(separator: "-").map(String.init)
            for p in parts where p.count == 11 && p.hasPrefix("1") && "3456789".contains(p.dropFirst().first!) {
                found.append(p)
            }
            if parts.count == 2, parts[0].hasPrefix("0"), (3...4).contains(parts[0].count),
                (7...8).contains(parts[1].count)
            {
                found.append(run)
            }
            if parts[0].hasPrefix("0"), (10...12).contains(parts[0].count) { found.append(parts[0]) }
        }
        return found
    }

    // Art. 15: no caller's number in any notice.
    @Test func noNoticePrintsAnythingLikeAPhoneNumber() async throws {
        // The check finds what it looks for, and not case numbers, dates or times.
        #expect(
            Self.phoneLike("来电 13812348000,tel 0453-6221234 或 04536221234") == [
                "13812348000", "0453-6221234", "04536221234",
            ])
        #expect(Self.phoneLike("20261130-000001 2026-11-03T00:00:00+08:00 C12345 0.9231 1,234").isEmpty)
        let outputs = try await Self.outputs.value
        #expect(outputs.count == 17)
        for (key, out) in outputs {
            let found = Self.phoneLike(out)
            #expect(found.isEmpty, "\(key): \(found.prefix(3))")
        }
    }

    @Test func theWrongMonthSaysWhichMonthsThereAre() async throws {
        let path = try await Self.run.value
        #expect(throws: CommandFailure("no figures for 2026-12 in \(path): it holds 2026-10 and 2026-11")) {
            try Self.report(["bulletin", "--period", "2026-12", "--from", path])
        }
        #expect(throws: CommandFailure("no figures for 2025 in \(path): it holds 2026-10 and 2026-11")) {
            try Self.report(["assessment", "--year", "2025", "--from", path])
        }
    }

    @Test func filesThatAreNotARunAreRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-report-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let notRun = folder.appendingPathComponent("staff.json").path
        try #"{"operators": 3}"#.write(toFile: notRun, atomically: true, encoding: .utf8)
        #expect(throws: CommandFailure("\(notRun) is not the JSON of a run (hotline simulate --json): no key 'model'"))
        {
            try Self.report(["bulletin", "--period", "2026-11", "--from", notRun])
        }
        let missing = folder.appendingPathComponent("missing.json").path
        #expect(
            throws: CommandFailure("no such file: \(missing) (give the JSON that hotline simulate --json printed)")
        ) {
            try Self.report(["bulletin", "--period", "2026-11", "--from", missing])
        }
        #expect(throws: CommandFailure("no case store at \(missing) (give the store hotline serve writes)")) {
            try Self.report(["assessment", "--year", "2026", "--store", missing])
        }
    }

    @Test(arguments: [
        ["bulletin", "--period", "2026-11"],  // neither --from nor --store
        ["bulletin", "--period", "2026-11", "--from", "a.json", "--store", "b.sqlite"],
        ["bulletin", "--period", "2026-13", "--from", "a.json"],
        ["bulletin", "--period", "11-2026", "--from", "a.json"],
        ["bulletin", "--from", "a.json"], ["bulletin", "--period", "2026-11", "--from", "a.json", "--format", "pdf"],
        ["bulletin", "--period", "2026-11", "--from", "a.json", "--lang", "fr"],
        ["assessment", "--year", "-1", "--from", "a.json"], ["assessment", "--year", "twenty", "--from", "a.json"],
    ])
    func badFlagsAreRefused(arguments: [String]) {
        #expect(throws: (any Error).self) { try Hotline.parseAsRoot(["report"] + arguments) }
    }
}
