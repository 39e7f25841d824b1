package import HotlineCore

/// The prompt catalogue, `Prompts/catalogue.yaml`: every prompt id with its text in each language.
///
/// The ids are the names `hotline serve` sends in `play` and `collect`, and the words that
/// `SpokenPrompt` speaks numbers, waits and case numbers with. Each id has a sound
/// `Prompts/sounds/<lang>/<id>.wav` generated from it by `tools/prompts/generate` (docs/prompts.md).
///
/// ```yaml
/// version: 1
/// languages: [zh, en]
/// prompts:
///   greeting:
///     zh: 您好，这里是牡丹江12345政务服务便民热线。
///     en: Hello, this is the Mudanjiang 12345 public service hotline.
///     speak: { zh: 您好，这里是牡丹江，幺二三四五，政务服务便民热线。 }   # for the synthesizer only
///   digit-0: { zh: 零, en: zero }
/// ```
package struct PromptCatalogue: Sendable, Equatable {
    /// One prompt: its id and its text in every language of the catalogue.
    package struct Entry: Sendable, Equatable {
        /// The id, also the sound's file name: lower-case letters, digits and dashes.
        package var id: String
        /// The text as written, by language; every language of the catalogue has one.
        package var text: [PromptLanguage: String]
        /// What the synthesizer is given where the written text would be misread (12345 as a number).
        package var speech: [PromptLanguage: String]

        package init(id: String, text: [PromptLanguage: String], speech: [PromptLanguage: String] = [:]) {
            self.id = id
            self.text = text
            self.speech = speech
        }
    }

    /// The catalogue's file name in the `Prompts` folder.
    package static let fileName = "catalogue.yaml"
    /// The format version this reader knows.
    package static let version = 1

    /// The languages every entry has, in the order of the file.
    package var languages: [PromptLanguage]
    /// The entries, in the order of the file.
    package var entries: [Entry]

    package init(languages: [PromptLanguage], entries: [Entry]) {
        self.languages = languages
        self.entries = entries
    }

    /// The ids, in the order of the file.
    package var ids: [String] { entries.map(\.id) }

    /// The entry with this id, or `nil`.
    /// - Complexity: O(n) in the number of entries (a catalogue has a few dozen).
    package func entry(_ id: String) -> Entry? { entries.first { $0.id == id } }

    /// The written text of a sequence of ids, as one line: Mandarin pieces joined without spaces
    /// (约两分钟), English ones with a space (about two minutes).
    ///
    /// An id the catalogue lacks, or lacks in this language, is shown as `[id]`, so nothing is lost
    /// silently when a server sends a prompt the catalogue does not know.
    package func text(of ids: [String], in language: PromptLanguage) -> String {
        let pieces = ids.map { id in entry(id)?.text[language] ?? "[\(id)]" }
        return pieces.joined(separator: language == .zh ? "" : " ")
    }

    /// Reads and checks a catalogue file.
    /// - Parameters:
    ///   - path: where the file is.
    ///   - shownPath: the file as errors name it; by default `path`.
    /// - Throws: `ModelLoadFailure` with every problem, each placed at its file, line, column and
    ///   field (`Prompts/catalogue.yaml:40:5: prompts.greeting: missing required key 'en'`).
    package static func load(path: String, shownPath: String? = nil) throws(ModelLoadFailure) -> PromptCatalogue {
        let diagnostics = Diagnostics()
        let root = ModelDocument.parse(path: path, shownPath: shownPath ?? path, diagnostics: diagnostics)
        return try read(root, diagnostics)
    }

    /// Reads and checks catalogue text; `file` is the name errors give.
    /// - Throws: `ModelLoadFailure`, as `load(path:shownPath:)`.
    package static func parse(text: String, file: String) throws(ModelLoadFailure) -> PromptCatalogue {
        let diagnostics = Diagnostics()
        let root = ModelDocument.parse(text: text, file: file, diagnostics: diagnostics)
        return try read(root, diagnostics)
    }

    private static func read(_ root: YAMLValue?, _ diagnostics: Diagnostics) throws(ModelLoadFailure)
        -> PromptCatalogue
    {
        var catalogue = PromptCatalogue(languages: [], entries: [])
        if let root, let top = root.fields(["version", "languages", "prompts"], required: ["languages", "prompts"]) {
            if let v = top["version"], let n = v.integer(), n != version {
                v.fail(.unsupportedVersion, "version \(n) is not known; this hotline reads version \(version)")
            }
            if let v = top["languages"] { catalogue.languages = readLanguages(v) }
            if let v = top["prompts"] { catalogue.entries = readEntries(v, languages: catalogue.languages) }
        }
        guard diagnostics.errors.isEmpty else {
            throw ModelLoadFailure(errors: diagnostics.errors, warnings: diagnostics.warnings)
        }
        return catalogue
    }

    private static func readLanguages(_ v: YAMLValue) -> [PromptLanguage] {
        guard let list = v.list() else { return [] }
        var languages: [PromptLanguage] = []
        for item in list {
            let options: KeyValuePairs<String, PromptLanguage> = ["zh": .zh, "en": .en]
            guard let language = item.oneOf(options, what: "language") else { continue }
            if languages.contains(language) {
                item.fail(.duplicate, "language '\(language.rawValue)' is listed twice")
            } else {
                languages.append(language)
            }
        }
        if list.isEmpty { v.fail(.missingKey, "list at least one language: zh, en") }
        return languages
    }

    private static func readEntries(_ v: YAMLValue, languages: [PromptLanguage]) -> [Entry] {
        guard let prompts = v.fields([], anyKey: true) else { return [] }
        if prompts.entries.isEmpty { v.fail(.missingKey, "the catalogue has no prompts") }
        let codes = languages.map(\.rawValue)
        var entries: [Entry] = []
        for (id, value) in prompts.entries {
            guard isValidID(id) else {
                value.fail(
                    .badValue, "'\(id)' is not a prompt id",
                    hint: "use lower-case letters, digits and dashes: it is the sound's file name")
                continue
            }
            guard let f = value.fields(codes + ["speak"], required: codes) else { continue }
            var entry = Entry(id: id, text: [:])
            for language in languages {
                if let text = f[language.rawValue]?.name() { entry.text[language] = text }
            }
            if let sv = f["speak"], let s = sv.fields(codes) {
                for language in languages {
                    if let text = s[language.rawValue]?.name() { entry.speech[language] = text }
                }
            }
            entries.append(entry)
        }
        return entries
    }

    /// Lower-case ASCII letters, digits and inner dashes: safe as a file name on every PBX.
    private static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, let last = id.unicodeScalars.last else { return false }
        return first != "-" && last != "-"
            && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
