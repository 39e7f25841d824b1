import Foundation
import HotlineAudio

/// The rehearsal's voice (`--audio`): the caller's lines spoken by espeak-ng (Mandarin) and the centre's
/// prompts from `Prompts/sounds/zh`, played on an ALSA device. The text is always printed as well;
/// where ALSA, the device or espeak-ng is missing, the session says so once and goes on in text.
final class RehearsalVoice {
    private let folder: URL
    private let speaker: PromptSpeaker
    private let prompts: String?
    private let espeak: String?
    private var lines = 0
    private var warned = false

    /// - Parameters:
    ///   - device: the ALSA playback device.
    ///   - prompts: the prompt folder (holding `sounds/zh/<id>.wav`), if one was found.
    init(device: String, prompts: String?) {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-voice-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.prompts = prompts
        espeak = ["/usr/bin/espeak-ng", "/usr/local/bin/espeak-ng"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        speaker = PromptSpeaker(
            sounds: folder.path, mode: .audio(device: device), write: { _ in },
            warn: { printToStandardError("hotline rehearse: \($0)") })
    }

    deinit {
        speaker.close()
        try? FileManager.default.removeItem(at: folder)
    }

    private func once(_ why: String) {
        guard !warned else { return }
        warned = true
        printToStandardError("hotline rehearse: \(why); the session goes on in text")
    }

    /// Speaks one line of the caller's, in Mandarin.
    func caller(_ text: String) {
        guard let espeak else { return once("espeak-ng is not installed, so the caller's lines are not spoken") }
        lines += 1
        let file = folder.appendingPathComponent("line-\(lines).wav")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: espeak)
        p.arguments = ["-v", "cmn", "-s", "150", "-w", file.path, text]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return once("espeak-ng could not be run") }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return once("espeak-ng failed (status \(p.terminationStatus))") }
        speaker.say(["line-\(lines)"], text: "")
    }

    /// Plays one of the centre's prompts (`Prompts/sounds/zh/<id>.wav`).
    func prompt(_ id: String) {
        guard let prompts else { return once("no Prompts/ folder, so the centre's prompts are not played") }
        let source = URL(fileURLWithPath: prompts).appendingPathComponent("sounds/zh/\(id).wav")
        let copy = folder.appendingPathComponent("prompt-\(id).wav")
        if !FileManager.default.fileExists(atPath: copy.path) {
            try? FileManager.default.copyItem(at: source, to: copy)
        }
        speaker.say(["prompt-\(id)"], text: "")
    }
}
