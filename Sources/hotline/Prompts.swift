import ArgumentParser
import Foundation
import HotlineAudio
import HotlineCore
import HotlineModel

/// `hotline prompts list|say`: the voice prompts of the IVR, listed, or said on the sound card.
struct Prompts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the voice prompts, or say them on the sound card.",
        discussion: """
            The prompts are those hotline serve names in its play and collect commands, from
            Prompts/catalogue.yaml, with one 8 kHz WAV per language in Prompts/sounds/<lang>/<id>.wav
            (docs/prompts.md). Sound is played through ALSA (libasound.so.2, loaded when needed); where
            it is not installed, or the device cannot be opened, the prompts' text is printed instead.
            """,
        subcommands: [List.self, Say.self]
    )

    struct CatalogueOptions: ParsableArguments {
        @Option(
            name: .long,
            help: ArgumentHelp(
                "The prompt folder, holding catalogue.yaml and sounds/ (default: Prompts/ in the working directory or a parent of it, else in a parent of the hotline executable, as in a built checkout).",
                valueName: "DIR"))
        var prompts: String?

        @Option(name: .long, help: "The language: zh (Mandarin) or en (English).")
        var lang = "zh"

        func validate() throws {
            guard PromptLanguage(rawValue: lang) != nil else {
                throw ValidationError("--lang must be zh or en, not '\(lang)'")
            }
        }

        var language: PromptLanguage { PromptLanguage(rawValue: lang) ?? .zh }

        /// The prompt folder and its catalogue.
        func load() throws -> (folder: String, catalogue: PromptCatalogue) {
            let folder = try PromptFolder.locate(
                given: prompts, workingDirectory: FileManager.default.currentDirectoryPath,
                executable: Bundle.main.executablePath)
            do {
                let catalogue = try PromptCatalogue.load(path: folder + "/" + PromptCatalogue.fileName)
                return (folder, catalogue)
            } catch {
                throw CommandFailure(error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the prompt ids and their texts.")

        @OptionGroup var options: CatalogueOptions

        func run() throws {
            let (_, catalogue) = try options.load()
            let width = catalogue.ids.map(\.count).max() ?? 0
            for entry in catalogue.entries {
                let id = entry.id.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(id)  \(entry.text[options.language] ?? "")")
            }
        }
    }

    struct Say: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say prompts as a caller would hear them.",
            discussion: """
                Each PROMPT is a name as hotline serve sends it, spoken as the PBX would:
                  hotline prompts say greeting
                  hotline prompts say queue-position number:3 expected-wait seconds:150 --lang en
                  hotline prompts say case-dispatch case:20261130-000001 press-1-to-sign --text
                """)

        @OptionGroup var options: CatalogueOptions

        @Argument(help: "Prompt names: greeting, number:N, seconds:N, case:ID, … (hotline prompts list).")
        var prompt: [String]

        @Option(name: .long, help: "The ALSA playback device.")
        var device = SoundDevice.defaultName

        @Flag(name: .long, help: "Print the prompts' text instead of playing them.")
        var text = false

        func validate() throws {
            guard !prompt.isEmpty else { throw ValidationError("name at least one prompt (hotline prompts list)") }
        }

        func run() throws {
            let (folder, catalogue) = try options.load()
            let language = options.language
            let spoken = prompt.map { ($0, SpokenPrompt.ids(for: $0, language: language)) }
            let known = Set(catalogue.ids)
            if let (name, _) = spoken.first(where: { !$0.1.allSatisfy(known.contains) }) {
                throw CommandFailure("unknown prompt '\(name)': not in \(folder)/\(PromptCatalogue.fileName)")
            }
            let speaker = PromptSpeaker(
                sounds: folder + "/sounds/" + language.rawValue, mode: text ? .text : .audio(device: device),
                write: { print($0) }, warn: { printToStandardError("hotline prompts: \($0)") })
            defer { speaker.close() }
            for (name, ids) in spoken {
                guard !ids.isEmpty else {
                    printToStandardError("hotline prompts: '\(name)' has a malformed value: nothing to say")
                    continue
                }
                speaker.say(ids, text: catalogue.text(of: ids, in: language))
            }
        }
    }
}

/// Where `hotline prompts` finds the prompt folder.
enum PromptFolder {
    /// The folder's name in a checkout.
    static let name = "Prompts"

    /// The prompt folder: `given` if there is one (it must hold `catalogue.yaml`), else the first
    /// `Prompts/` holding `catalogue.yaml` in the working directory or a parent of it, else in a
    /// parent of the executable's folder (`.build/debug/hotline` lies inside the checkout).
    /// - Throws: `CommandFailure` naming the places looked at.
    static func locate(given: String?, workingDirectory: String, executable: String?) throws -> String {
        let fileManager = FileManager.default
        func holdsCatalogue(_ folder: String) -> Bool {
            fileManager.fileExists(atPath: folder + "/" + PromptCatalogue.fileName)
        }
        if let given {
            guard holdsCatalogue(given) else {
                throw CommandFailure("--prompts \(given): no \(PromptCatalogue.fileName) there")
            }
            return given
        }
        var starts = [URL(fileURLWithPath: workingDirectory).standardizedFileURL]
        if let executable {
            starts.append(URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for start in starts {
            var folder = start
            while true {
                let candidate = folder.appendingPathComponent(name).path
                if holdsCatalogue(candidate) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw CommandFailure(
            "no \(name)/\(PromptCatalogue.fileName) in \(starts.map(\.path).joined(separator: " or ")) or their parents; "
                + "give --prompts DIR (the Prompts folder of a hotline checkout)")
    }
}
