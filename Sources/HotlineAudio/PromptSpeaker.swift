/// Says prompts: plays their sounds on an ALSA device, or writes their text where sound cannot be
/// had, so a trainer or a demo always shows what a caller would hear.
///
/// The device is opened at the first prompt. When ALSA is missing or the device cannot be opened
/// or fails, `warn` is told why, once, and every prompt from then on is written as text. A prompt
/// whose sound file is missing or broken is written as text too (and `warn` names the file), but
/// later prompts are played again.
///
/// ```swift
/// let speaker = PromptSpeaker(sounds: "Prompts/sounds/zh", mode: .audio(device: "default"),
///                             write: { print($0) }, warn: { printToStandardError($0) })
/// speaker.say(["queue-position", "digit-3"], text: "您在队列中的位置是三")
/// ```
package final class PromptSpeaker {
    /// How prompts are said.
    package enum Mode: Sendable, Equatable {
        /// Played on the named ALSA device, or written as text when it cannot be.
        case audio(device: String)
        /// Written as text only.
        case text
    }

    /// How one prompt was said.
    package enum Delivery: Sendable, Equatable {
        /// Played: this many frames went to the device.
        case played(frames: Int)
        /// Written as text.
        case printed
    }

    /// The folder of one language's sounds, holding `<id>.wav`.
    package let sounds: String
    package let mode: Mode
    /// Why sound is not played, once audio was tried and failed; `nil` while it works or untried.
    package private(set) var silence: AudioError?
    private var device: SoundDevice?
    private let write: (String) -> Void
    private let warn: (String) -> Void

    /// - Parameters:
    ///   - sounds: the folder of one language's sounds, such as `Prompts/sounds/zh`.
    ///   - mode: `.audio(device:)` to play, `.text` to write the text only.
    ///   - write: where a prompt's text goes (standard output).
    ///   - warn: where a reason for not playing goes (standard error).
    package init(sounds: String, mode: Mode, write: @escaping (String) -> Void, warn: @escaping (String) -> Void) {
        self.sounds = sounds
        self.mode = mode
        self.write = write
        self.warn = warn
    }

    /// The file of an id's sound.
    package func soundFile(_ id: String) -> String { sounds + "/" + id + ".wav" }

    /// Says one prompt: plays the sounds of `ids` one after another and waits until they are
    /// heard, or writes `text`.
    /// - Parameters:
    ///   - ids: catalogue ids, as `SpokenPrompt.ids(for:language:)` gives them.
    ///   - text: the prompt's text, written when it is not played.
    @discardableResult
    package func say(_ ids: [String], text: String) -> Delivery {
        guard case .audio(let name) = mode, silence == nil, let device = openDevice(name) else {
            write(text)
            return .printed
        }
        let loaded: [WAVSound]
        do throws(AudioError) {
            loaded = try ids.map { (id) throws(AudioError) in try WAVSound(contentsOf: soundFile(id)) }
        } catch {
            warn("\(error); its text instead")
            write(text)
            return .printed
        }
        do throws(AudioError) {
            var frames = 0
            for sound in loaded { frames += try device.play(sound) }
            try device.drain()
            return .played(frames: frames)
        } catch {
            fallBack(error)
            write(text)
            return .printed
        }
    }

    /// Closes the device, if one was opened.
    package func close() {
        device?.close()
        device = nil
    }

    private func openDevice(_ name: String) -> SoundDevice? {
        if let device { return device }
        do throws(AudioError) {
            device = try SoundDevice(name: name)
            return device
        } catch {
            fallBack(error)
            return nil
        }
    }

    private func fallBack(_ error: AudioError) {
        silence = error
        close()
        warn("audio unavailable: \(error); printing the prompts' text instead")
    }
}
