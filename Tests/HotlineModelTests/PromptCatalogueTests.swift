import Foundation
import HotlineCore
import Testing

@testable import HotlineModel

/// The shipped prompt catalogue and its sounds: every prompt the backend sends is there, every id
/// has a telephony WAV in each language and every WAV an id, and everything SpokenPrompt says is in it.
struct PromptCatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let prompts = root.appendingPathComponent("Prompts")
    static let regenerate = "run tools/prompts/generate and commit Prompts/ (docs/prompts.md)"

    static func catalogue() throws -> PromptCatalogue {
        try PromptCatalogue.load(
            path: prompts.appendingPathComponent(PromptCatalogue.fileName).path,
            shownPath: "Prompts/catalogue.yaml")
    }

    /// The prompt names in the backend's `play([…])` and `collect([…])` calls; an interpolated value
    /// (`"number:\(position)"`) stands as its kind with a sample value.
    static func backendPromptNames() throws -> Set<String> {
        let folder = root.appendingPathComponent("Sources/HotlineBackend")
        var names: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for call in ["play(", "collect("] {
                var rest = Substring(source)
                while let open = rest.range(of: call) {
                    rest = rest[open.upperBound...]
                    let head = rest.drop { $0 == " " || $0 == "\n" }
                    guard head.first == "[", let close = head.firstIndex(of: "]") else { continue }
                    let list = head[head.startIndex...close]
                    for literal in list.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                    where literal.offset % 2 == 1 {
                        let text = String(literal.element)
                        guard let colon = text.firstIndex(of: ":"), text.contains("\\(") else {
                            names.insert(text)
                            continue
                        }
                        let samples = ["number": "number:12", "seconds": "seconds:150", "case": "case:20261130-000001"]
                        names.insert(samples[String(text[..<colon])] ?? text)
                    }
                }
            }
        }
        return names
    }

    @Test func catalogueParses() throws {
        let catalogue = try Self.catalogue()
        #expect(catalogue.languages == [.zh, .en])
        #expect(catalogue.entries.count >= 50)
        for entry in catalogue.entries {
            #expect(entry.text[.zh]?.isEmpty == false && entry.text[.en]?.isEmpty == false, "\(entry.id)")
        }
        let greeting = try #require(catalogue.entry("greeting"))
        #expect(greeting.text[.zh]?.contains("牡丹江12345") == true)
        #expect(greeting.speech[.zh]?.contains("幺二三四五") == true)
        #expect(catalogue.text(of: ["about", "liang", "minutes"], in: .zh) == "约两分钟")
        #expect(catalogue.text(of: ["about", "digit-2", "minutes"], in: .en) == "about two minutes")
        #expect(catalogue.text(of: ["nothing-like-it"], in: .en) == "[nothing-like-it]")
    }

    @Test func everyPromptTheBackendSendsIsInTheCatalogue() throws {
        let names = try Self.backendPromptNames()
        let expected: Set = [
            "greeting", "language-menu", "queue-position", "number:12", "expected-wait", "seconds:150",
            "callback-offer", "callback-confirmed", "case-dispatch", "case:20261130-000001", "press-1-to-sign",
            "case-signed", "satisfaction-survey", "thank-you", "case-joint-handling", "attend-at-once",
        ]
        #expect(names.isSuperset(of: expected), "the backend's prompts were not found: \(names.sorted())")
        let ids = Set(try Self.catalogue().ids)
        for name in names {
            for language in PromptLanguage.allCases {
                let spoken = SpokenPrompt.ids(for: name, language: language)
                #expect(!spoken.isEmpty, "\(name) says nothing")
                #expect(ids.isSuperset(of: spoken), "\(name) in \(language): \(spoken.filter { !ids.contains($0) })")
            }
        }
    }

    @Test(arguments: PromptLanguage.allCases)
    func everythingSpokenIsInTheCatalogue(language: PromptLanguage) throws {
        let ids = Set(try Self.catalogue().ids)
        var spoken: Set<String> = []
        for n in 0...99_999 { spoken.formUnion(SpokenPrompt.ids(for: "number:\(n)", language: language)) }
        for s in 0...86_400 { spoken.formUnion(SpokenPrompt.ids(for: "seconds:\(s)", language: language)) }
        for id in ["20261130-000001", "20260101-123456", "20271231-987654", "19991231-000000"] {
            spoken.formUnion(SpokenPrompt.ids(for: "case:\(id)", language: language))
        }
        spoken.formUnion(SpokenPrompt.ids(for: "number:123456789012", language: language))
        #expect(spoken.subtracting(ids).isEmpty, "not in the catalogue: \(spoken.subtracting(ids).sorted())")
    }

    @Test(arguments: PromptLanguage.allCases)
    func everyIdHasASoundAndEverySoundAnId(language: PromptLanguage) throws {
        let ids = Set(try Self.catalogue().ids)
        let folder = Self.prompts.appendingPathComponent("sounds/\(language.rawValue)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let sounds = Set(files.filter { $0.hasSuffix(".wav") }.map { String($0.dropLast(4)) })
        #expect(ids.subtracting(sounds).isEmpty, "no sound for \(ids.subtracting(sounds).sorted()): \(Self.regenerate)")
        #expect(sounds.subtracting(ids).isEmpty, "no id for \(sounds.subtracting(ids).sorted()): \(Self.regenerate)")
        #expect(files.allSatisfy { $0.hasSuffix(".wav") }, "only WAV files in \(folder.path): \(files.sorted())")
    }

    /// What Asterisk plays without transcoding: RIFF/WAVE, PCM, mono, 8000 Hz, 16-bit, a whole number
    /// of samples, and chunk sizes that agree with the file's length.
    @Test(arguments: PromptLanguage.allCases)
    func soundsAreTelephonyWAV(language: PromptLanguage) throws {
        let folder = Self.prompts.appendingPathComponent("sounds/\(language.rawValue)")
        var total = 0
        for id in try Self.catalogue().ids {
            let data = try Data(contentsOf: folder.appendingPathComponent("\(id).wav"))
            let bytes = [UInt8](data)
            func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
            func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
            func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
            try #require(bytes.count > 44, "\(id): \(bytes.count) bytes")
            #expect(tag(0) == "RIFF" && tag(8) == "WAVE" && tag(12) == "fmt " && tag(36) == "data", "\(id)")
            #expect(u32(4) == bytes.count - 8, "\(id): RIFF size")
            #expect(u32(16) == 16, "\(id): fmt size")
            #expect(u16(20) == 1, "\(id): PCM")
            #expect(u16(22) == 1, "\(id): mono")
            #expect(u32(24) == 8000, "\(id): 8000 Hz")
            #expect(u32(28) == 16000, "\(id): byte rate")
            #expect(u16(32) == 2, "\(id): block align")
            #expect(u16(34) == 16, "\(id): 16-bit")
            let length = u32(40)
            #expect(length > 0 && length % 2 == 0 && length == bytes.count - 44, "\(id): data length \(length)")
            // Sound, not silence: a prompt of at least a tenth of a second with a real peak.
            let peak =
                stride(from: 44, to: bytes.count - 1, by: 2).map { abs(Int(Int16(bitPattern: UInt16(u16($0))))) }
                .max() ?? 0
            #expect(length >= 1600 && peak > 2000, "\(id): \(length) bytes, peak \(peak)")
            total += bytes.count
        }
        #expect(total < 8 << 20, "the \(language.rawValue) sounds take \(total) bytes")
    }
}
