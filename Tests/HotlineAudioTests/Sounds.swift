import Foundation

/// The shipped prompt sounds, found from this file.
enum Sounds {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The folder of one language's sounds.
    static func folder(_ language: String = "zh") -> String {
        root.appendingPathComponent("Prompts/sounds/\(language)").path
    }

    /// The file of one prompt's sound.
    static func file(_ id: String, _ language: String = "zh") -> String { folder(language) + "/\(id).wav" }
}
