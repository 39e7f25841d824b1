import HotlineCore
import Testing

@testable import HotlineModel

/// Reading a prompt catalogue: what it holds, and each mistake placed at its file, line and field.
struct PromptCatalogueReadingTests {
    static func failure(_ text: String) -> ModelLoadFailure? {
        do {
            _ = try PromptCatalogue.parse(text: text, file: "catalogue.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func readsEntriesInOrder() throws {
        let catalogue = try PromptCatalogue.parse(
            text: """
                version: 1
                languages: [zh, en]
                prompts:
                  greeting:
                    zh: 您好
                    en: Hello
                    speak: { en: Hullo }
                  digit-0: { zh: 零, en: zero }
                """, file: "catalogue.yaml")
        #expect(catalogue.ids == ["greeting", "digit-0"])
        #expect(catalogue.entry("greeting")?.speech == [.en: "Hullo"])
        #expect(catalogue.text(of: ["greeting", "digit-0"], in: .zh) == "您好零")
        #expect(catalogue.text(of: ["greeting", "digit-0"], in: .en) == "Hello zero")
    }

    @Test(arguments: [
        ("languages: [zh, en]\nprompts:\n  greeting:\n    zh: 您好\n", ModelError.Code.missingKey, 4, "prompts.greeting"),
        ("languages: [zh]\nprompts:\n  Greeting!: { zh: 您好 }\n", .badValue, 3, "prompts.Greeting!"),
        ("languages: [zh, fr]\nprompts:\n  a: { zh: 好 }\n", .badValue, 1, "languages[1]"),
        ("languages: [zh, zh]\nprompts:\n  a: { zh: 好 }\n", .duplicate, 1, "languages[1]"),
        ("version: 2\nlanguages: [zh]\nprompts:\n  a: { zh: 好 }\n", .unsupportedVersion, 1, "version"),
        ("languages: [zh]\nprompts:\n  a: { zh: 好, de: gut }\n", .unknownKey, 3, "prompts.a.de"),
        ("languages: [zh]\nprompts:\n  a: { zh: '' }\n", .badValue, 3, "prompts.a.zh"),
        ("languages: [zh]\nprompt:\n  a: { zh: 好 }\n", .unknownKey, 2, "prompt"),
        ("languages: [zh]\nprompts:\n  a: { zh: 好 }\n  a: { zh: 坏 }\n", .duplicate, 3, ""),
    ])
    func mistakesArePlaced(text: String, code: ModelError.Code, line: Int, field: String) throws {
        let failure = try #require(Self.failure(text))
        let error = try #require(failure.errors.first)
        #expect(error.code == code, "\(error)")
        #expect(error.file == "catalogue.yaml")
        #expect(error.line == line, "\(error)")
        #expect(error.field == field, "\(error)")
    }

    @Test func aMissingFileIsNamed() throws {
        do {
            _ = try PromptCatalogue.load(path: "/nonexistent/catalogue.yaml", shownPath: "Prompts/catalogue.yaml")
            Issue.record("a missing catalogue was read")
        } catch {
            #expect(error.description.hasPrefix("Prompts/catalogue.yaml: "))
            #expect(error.errors.first?.code == .unreadable)
        }
    }
}
