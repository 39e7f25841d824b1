import ArgumentParser
import Foundation
import HotlineCore
import Testing

@testable import hotline

/// `hotline prompts list|say`: its flags, and where it finds the Prompts folder.
struct PromptsCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let prompts = root.appendingPathComponent("Prompts").path

    @Test func sayTakesPromptNamesAndItsOptions() throws {
        let command = try Hotline.parseAsRoot([
            "prompts", "say", "greeting", "number:3", "--lang", "en", "--device", "null", "--prompts", "P", "--text",
        ])
        let say = try #require(command as? Prompts.Say)
        #expect(say.prompt == ["greeting", "number:3"])
        #expect(say.options.language == .en)
        #expect(say.options.prompts == "P")
        #expect(say.device == "null")
        #expect(say.text)
        let plain = try #require(try Hotline.parseAsRoot(["prompts", "say", "greeting"]) as? Prompts.Say)
        #expect(plain.device == "default" && !plain.text && plain.options.language == .zh)
    }

    @Test func listTakesALanguage() throws {
        let list = try #require(try Hotline.parseAsRoot(["prompts", "list", "--lang", "en"]) as? Prompts.List)
        #expect(list.options.language == .en)
    }

    @Test func badUseIsRefused() {
        #expect(throws: (any Error).self) { try Hotline.parseAsRoot(["prompts", "list", "--lang", "fr"]) }
        #expect(throws: (any Error).self) { try Hotline.parseAsRoot(["prompts", "say"]) }
    }

    @Test func sayRefusesAnUnknownPrompt() throws {
        let say = try #require(
            try Hotline.parseAsRoot(["prompts", "say", "greeting", "greting", "--text", "--prompts", Self.prompts])
                as? Prompts.Say)
        #expect(throws: CommandFailure.self) { try say.run() }
    }

    @Test func theFolderIsFoundAboveTheWorkingDirectory() throws {
        let found = try PromptFolder.locate(
            given: nil, workingDirectory: Self.root.appendingPathComponent("Sources/hotline").path, executable: nil)
        #expect(found == Self.prompts)
    }

    @Test func theFolderIsFoundAboveTheExecutable() throws {
        let found = try PromptFolder.locate(
            given: nil, workingDirectory: "/", executable: Self.root.appendingPathComponent(".build/debug/hotline").path
        )
        #expect(found == Self.prompts)
    }

    @Test func aFolderNotFoundIsNamed() throws {
        #expect {
            try PromptFolder.locate(given: nil, workingDirectory: "/proc/self", executable: "/usr/bin/hotline")
        } throws: { error in
            let text = (error as? CommandFailure)?.description ?? ""
            return text.contains("/proc/self or /usr/bin") && text.contains("--prompts DIR")
        }
        #expect {
            try PromptFolder.locate(given: "/nonexistent/Prompts", workingDirectory: "/", executable: nil)
        } throws: { error in
            (error as? CommandFailure)?.description == "--prompts /nonexistent/Prompts: no catalogue.yaml there"
        }
    }
}
