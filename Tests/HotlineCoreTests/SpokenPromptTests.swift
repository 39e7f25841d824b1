import Testing

@testable import HotlineCore

/// The prompt names of `hotline serve` turned into catalogue ids: numbers, waits and case numbers
/// as a Mandarin or English speaker says them, and malformed values that say nothing.
struct SpokenPromptTests {
    @Test(arguments: [
        (0, ["digit-0"]), (1, ["digit-1"]), (2, ["digit-2"]), (9, ["digit-9"]),
        (10, ["ten"]), (11, ["ten", "digit-1"]), (12, ["ten", "digit-2"]), (20, ["digit-2", "ten"]),
        (21, ["digit-2", "ten", "digit-1"]), (99, ["digit-9", "ten", "digit-9"]),
        (100, ["digit-1", "hundred"]), (101, ["digit-1", "hundred", "digit-0", "digit-1"]),
        (105, ["digit-1", "hundred", "digit-0", "digit-5"]), (110, ["digit-1", "hundred", "digit-1", "ten"]),
        (112, ["digit-1", "hundred", "digit-1", "ten", "digit-2"]), (200, ["liang", "hundred"]),
        (222, ["liang", "hundred", "digit-2", "ten", "digit-2"]), (1000, ["digit-1", "thousand"]),
        (1001, ["digit-1", "thousand", "digit-0", "digit-1"]),
        (1010, ["digit-1", "thousand", "digit-0", "digit-1", "ten"]),
        (1200, ["digit-1", "thousand", "digit-2", "hundred"]), (2000, ["liang", "thousand"]),
        (2002, ["liang", "thousand", "digit-0", "digit-2"]), (10000, ["digit-1", "ten-thousand"]),
        (10001, ["digit-1", "ten-thousand", "digit-0", "digit-1"]),
        (10010, ["digit-1", "ten-thousand", "digit-0", "digit-1", "ten"]),
        (10100, ["digit-1", "ten-thousand", "digit-0", "digit-1", "hundred"]),
        (11000, ["digit-1", "ten-thousand", "digit-1", "thousand"]), (20000, ["liang", "ten-thousand"]),
        (22000, ["liang", "ten-thousand", "digit-2", "thousand"]),
        (
            12345,
            [
                "digit-1", "ten-thousand", "digit-2", "thousand", "digit-3", "hundred", "digit-4", "ten", "digit-5",
            ]
        ),
        (
            99999,
            [
                "digit-9", "ten-thousand", "digit-9", "thousand", "digit-9", "hundred", "digit-9", "ten", "digit-9",
            ]
        ),
        (100_000, ["ten", "ten-thousand"]), (120_000, ["ten", "digit-2", "ten-thousand"]),
        (100_500, ["ten", "ten-thousand", "digit-0", "digit-5", "hundred"]),
        (2_000_000, ["liang", "hundred", "ten-thousand"]),
        (10_001_000, ["digit-1", "thousand", "ten-thousand", "digit-1", "thousand"]),
    ])
    func mandarinNumber(n: Int, ids: [String]) {
        #expect(SpokenPrompt.ids(for: "number:\(n)", language: "zh") == ids)
    }

    /// Every number up to the largest read in words reads back to itself, with 零 only inside a
    /// number and never twice in a row.
    @Test func mandarinNumbersReadBack() {
        for n in Array(0...100_000) + [999_999, 1_000_001, 12_345_678, 99_999_999] {
            let ids = SpokenPrompt.ids(forNumber: n, language: .zh)
            #expect(Self.mandarinValue(ids) == n, "\(n) reads as \(ids)")
            guard n > 0 else { continue }
            #expect(ids.first != "digit-0" && ids.last != "digit-0", "\(n): \(ids)")
            #expect(!zip(ids, ids.dropFirst()).contains { $0 == "digit-0" && $1 == "digit-0" }, "\(n): \(ids)")
        }
    }

    @Test(arguments: [
        (0, ["digit-0"]), (7, ["digit-7"]), (10, ["n-10"]), (13, ["n-13"]), (20, ["n-20"]),
        (42, ["n-40", "digit-2"]), (100, ["digit-1", "hundred"]), (105, ["digit-1", "hundred", "digit-5"]),
        (999, ["digit-9", "hundred", "n-90", "digit-9"]), (1000, ["digit-1", "thousand"]),
        (1010, ["digit-1", "thousand", "n-10"]),
        (12345, ["n-12", "thousand", "digit-3", "hundred", "n-40", "digit-5"]),
        (100_000, ["digit-1", "hundred", "thousand"]),
    ])
    func englishNumber(n: Int, ids: [String]) {
        #expect(SpokenPrompt.ids(for: "number:\(n)", language: "en") == ids)
    }

    @Test func englishNumbersReadBack() {
        for n in Array(0...100_000) + [999_999] {
            #expect(Self.englishValue(SpokenPrompt.ids(forNumber: n, language: .en)) == n, "\(n)")
        }
    }

    @Test func largerNumbersAreReadDigitByDigit() {
        #expect(
            SpokenPrompt.ids(for: "number:1000000", language: "en") == ["digit-1"]
                + Array(repeating: "digit-0", count: 6))
        #expect(
            SpokenPrompt.ids(for: "number:100000000", language: "zh") == ["digit-1"]
                + Array(repeating: "digit-0", count: 8))
        let twenty = String(repeating: "9", count: 20)  // past Int.max
        #expect(SpokenPrompt.ids(for: "number:\(twenty)", language: "zh") == Array(repeating: "digit-9", count: 20))
    }

    @Test(arguments: [
        (0, "zh", ["less-than-a-minute"]), (59, "zh", ["less-than-a-minute"]), (59, "en", ["less-than-a-minute"]),
        (60, "zh", ["about", "digit-1", "minute"]), (60, "en", ["about", "digit-1", "minute"]),
        (89, "en", ["about", "digit-1", "minute"]), (90, "en", ["about", "digit-2", "minutes"]),
        (120, "zh", ["about", "liang", "minutes"]), (120, "en", ["about", "digit-2", "minutes"]),
        (130, "en", ["about", "digit-2", "minutes"]), (720, "zh", ["about", "ten", "digit-2", "minutes"]),
        (1320, "zh", ["about", "digit-2", "ten", "digit-2", "minutes"]),
        (3540, "en", ["about", "n-50", "digit-9", "minutes"]), (3600, "zh", ["about", "digit-1", "hour"]),
        (3700, "en", ["about", "digit-1", "hour"]),
        (5400, "zh", ["about", "digit-1", "hour", "digit-3", "ten", "minutes"]),
        (5400, "en", ["about", "digit-1", "hour", "and", "n-30", "minutes"]),
        (7200, "zh", ["about", "liang", "hours"]), (86_400, "en", ["about", "n-20", "digit-4", "hours"]),
        (86_400, "zh", ["about", "digit-2", "ten", "digit-4", "hours"]),
    ])
    func expectedWait(seconds: Int, language: String, ids: [String]) {
        #expect(SpokenPrompt.ids(for: "seconds:\(seconds)", language: language) == ids)
    }

    @Test func caseNumberDigitByDigit() {
        let zh = SpokenPrompt.ids(for: "case:20261130-000001", language: "zh")
        #expect(
            zh == ["digit-2", "digit-0", "digit-2", "digit-6", "yao", "yao", "digit-3", "digit-0"]
                + Array(repeating: "digit-0", count: 5) + ["yao"])
        let en = SpokenPrompt.ids(for: "case:20261130-000001", language: "en")
        #expect(en.count == 14 && en.first == "digit-2" && en.last == "digit-1" && !en.contains("yao"))
    }

    @Test(arguments: ["greeting", "language-menu", "callback-offer", "thank-you", "no-such-prompt", "odd:kind"])
    func plainNamesPassThrough(name: String) {
        #expect(SpokenPrompt.ids(for: name, language: "zh") == [name])
        #expect(SpokenPrompt.ids(for: name, language: "en") == [name])
    }

    @Test(arguments: [
        "", "number:", "number:-3", "number:+5", "number:1.5", "number:abc", "number: 3", "number:٣",
        "number:" + String(repeating: "1", count: 33), "seconds:", "seconds:-1", "seconds:1e3",
        "seconds:99999999999999999999999", "case:", "case:-", "case:2026a", "case:20261130 000001",
    ])
    func malformedValuesSayNothing(prompt: String) {
        #expect(SpokenPrompt.ids(for: prompt, language: "zh") == [])
        #expect(SpokenPrompt.ids(for: prompt, language: "en") == [])
    }

    @Test(arguments: [
        ("zh", PromptLanguage.zh), ("en", .en), ("EN", .en), ("en-GB", .en), ("fr", .zh), ("", .zh),
        ("zh-CN", .zh),
    ])
    func languageCodes(code: String, language: PromptLanguage) {
        #expect(PromptLanguage(code: code) == language)
        #expect(
            SpokenPrompt.ids(for: "number:2", language: code) == SpokenPrompt.ids(for: "number:2", language: language))
    }

    @Test func noLanguageIsMandarin() {
        #expect(PromptLanguage(code: nil) == .zh)
        #expect(SpokenPrompt.ids(for: "seconds:120", language: nil as String?) == ["about", "liang", "minutes"])
    }

    // MARK: Reading ids back, as a listener would

    static func digit(_ id: String) -> Int? {
        switch id {
        case "liang": 2
        case "yao": 1
        default: id.hasPrefix("digit-") ? Int(id.dropFirst(6)) : nil
        }
    }

    /// The value a Mandarin listener hears.
    static func mandarinValue(_ ids: [String]) -> Int? {
        var total = 0
        var section = 0
        var pending: Int?
        for id in ids {
            if let d = digit(id) {
                pending = d
                continue
            }
            let scale: Int
            switch id {
            case "ten": scale = 10
            case "hundred": scale = 100
            case "thousand": scale = 1000
            case "ten-thousand":
                total += (section + (pending ?? 0)) * 10_000
                section = 0
                pending = nil
                continue
            default: return nil
            }
            // 十 with nothing before it is ten.
            section += (pending ?? (section == 0 && total == 0 ? 1 : 0)) * scale
            pending = nil
        }
        return total + section + (pending ?? 0)
    }

    /// The value an English listener hears.
    static func englishValue(_ ids: [String]) -> Int? {
        var total = 0
        var current = 0
        for id in ids {
            if let d = digit(id) {
                current += d
            } else if id.hasPrefix("n-"), let n = Int(id.dropFirst(2)) {
                current += n
            } else if id == "hundred" {
                current *= 100
            } else if id == "thousand" {
                total += current * 1000
                current = 0
            } else {
                return nil
            }
        }
        return total + current
    }
}
