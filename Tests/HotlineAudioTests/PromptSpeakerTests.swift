import Testing

@testable import HotlineAudio

/// Saying prompts: played where sound can be had, and their text printed where it cannot, with one
/// warning that says why.
struct PromptSpeakerTests {
    /// A speaker whose output and warnings are kept.
    final class Capture {
        var written: [String] = []
        var warnings: [String] = []

        func speaker(_ mode: PromptSpeaker.Mode) -> PromptSpeaker {
            PromptSpeaker(
                sounds: Sounds.folder(), mode: mode, write: { self.written.append($0) },
                warn: { self.warnings.append($0) })
        }
    }

    @Test func textModeWritesTheText() {
        let capture = Capture()
        let speaker = capture.speaker(.text)
        #expect(speaker.say(["greeting"], text: "您好") == .printed)
        #expect(speaker.say(["queue-position", "digit-3"], text: "您在队列中的位置是三") == .printed)
        #expect(capture.written == ["您好", "您在队列中的位置是三"])
        #expect(capture.warnings.isEmpty)
        #expect(speaker.silence == nil)
    }

    @Test func aMissingDeviceFallsBackToTextWithOneWarning() {
        let capture = Capture()
        let speaker = capture.speaker(.audio(device: "hotline-no-such-device"))
        #expect(speaker.say(["greeting"], text: "one") == .printed)
        #expect(speaker.say(["digit-1"], text: "two") == .printed)
        #expect(capture.written == ["one", "two"])
        #expect(capture.warnings.count == 1)
        #expect(capture.warnings.first?.hasPrefix("audio unavailable: ") == true)
        #expect(speaker.silence?.code == .deviceUnavailable || speaker.silence?.code == .libraryUnavailable)
    }

    @Test(.enabled(if: SoundDevice.libraryIsInstalled, "libasound.so.2 (ALSA) is not installed on this machine"))
    func theNullDevicePlaysWithoutText() throws {
        let capture = Capture()
        let speaker = capture.speaker(.audio(device: "null"))
        let ids = ["about", "liang", "minutes"]
        let frames = try ids.map { try WAVSound(contentsOf: Sounds.file($0)).frames }.reduce(0, +)
        #expect(speaker.say(ids, text: "约两分钟") == .played(frames: frames))
        #expect(capture.written.isEmpty && capture.warnings.isEmpty)
        // A missing sound is printed, its file named; the next prompt plays again.
        #expect(speaker.say(["no-such-prompt"], text: "[no-such-prompt]") == .printed)
        #expect(capture.written == ["[no-such-prompt]"])
        #expect(capture.warnings.count == 1 && capture.warnings[0].contains("no-such-prompt.wav"))
        #expect(speaker.say(["digit-1"], text: "一") != .printed)
        speaker.close()
    }
}
