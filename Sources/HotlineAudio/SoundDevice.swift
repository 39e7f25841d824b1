/// An ALSA playback device, such as `default`, `plughw:0,0` or `null`, open until closed.
///
/// Sounds played one after another go out without a gap; `drain()` waits until the last is heard.
/// It is a class because it owns the device: one owner, never shared between tasks.
///
/// ```swift
/// let device = try SoundDevice(name: "default")
/// try device.play(WAVSound(contentsOf: "Prompts/sounds/zh/greeting.wav"))
/// try device.drain()
/// ```
package final class SoundDevice {
    /// The device hotline plays on when none is named: ALSA's `default`.
    package static let defaultName = "default"
    /// How much sound ALSA buffers ahead, in microseconds.
    static let latency: UInt32 = 200_000

    /// Whether ALSA's library can be loaded on this machine (the device may still be missing).
    package static var libraryIsInstalled: Bool {
        (try? ALSALibrary()) != nil
    }

    /// The ALSA device name.
    package let name: String
    private let alsa: ALSALibrary
    private var pcm: OpaquePointer?
    /// The rate and channels the device is set up for; `nil` before the first sound and after a drain.
    private var format: (rate: Int, channels: Int)?

    /// Loads ALSA and opens a playback device.
    /// - Throws: `AudioError` `.libraryUnavailable` when `libasound.so.2` cannot be loaded, or
    ///   `.deviceUnavailable` naming the device and ALSA's reason.
    package init(name: String = SoundDevice.defaultName) throws(AudioError) {
        self.name = name
        alsa = try ALSALibrary()
        var handle: OpaquePointer?
        let status = alsa.open(&handle, name, ALSALibrary.streamPlayback, 0)
        guard status >= 0, let handle else {
            throw AudioError(
                .deviceUnavailable,
                "ALSA device '\(name)' cannot be opened: \(alsa.describe(status)) (no sound card, or no such device?)")
        }
        pcm = handle
    }

    deinit { close() }

    /// Plays a sound, returning once ALSA has taken all of it (it may still be sounding).
    /// - Returns: the number of frames written, the sound's `frames`.
    /// - Throws: `AudioError` `.deviceUnavailable` when the device refuses the sound's format or is
    ///   closed, `.playbackFailed` when a write fails and cannot be recovered.
    @discardableResult
    package func play(_ sound: WAVSound) throws(AudioError) -> Int {
        guard let pcm else { throw AudioError(.deviceUnavailable, "ALSA device '\(name)' is closed") }
        let wanted = (rate: sound.sampleRate, channels: sound.channels)
        if format.map({ $0 != wanted }) ?? true {
            if format != nil { _ = alsa.drain(pcm) }
            let status = alsa.setParams(
                pcm, ALSALibrary.formatS16LE, ALSALibrary.accessInterleaved, UInt32(clamping: sound.channels),
                UInt32(clamping: sound.sampleRate), 1, Self.latency)
            guard status >= 0 else {
                format = nil
                throw AudioError(
                    .deviceUnavailable,
                    "ALSA device '\(name)' cannot play \(sound.sampleRate) Hz, \(sound.channels) channel(s): "
                        + alsa.describe(status))
            }
            format = wanted
        }
        let total = sound.frames
        var written = 0
        var recoveries = 0
        let failure: Int? = sound.samples.withUnsafeBytes { buffer in
            while written < total {
                let start = buffer.baseAddress! + written * sound.channels * 2
                let n = alsa.writeInterleaved(pcm, start, UInt(total - written))
                if n >= 0 {
                    written += n
                    recoveries = 0
                    continue
                }
                // An underrun or a suspend: ALSA prepares the device again, and the write is retried.
                let status = alsa.recover(pcm, Int32(truncatingIfNeeded: n), 1)
                recoveries += 1
                if status < 0 || recoveries > 5 { return n }
            }
            return nil
        }
        if let failure {
            throw AudioError(
                .playbackFailed,
                "ALSA device '\(name)' failed after \(written) of \(total) frames: "
                    + alsa.describe(Int32(truncatingIfNeeded: failure)))
        }
        return written
    }

    /// Waits until everything played has been heard.
    /// - Throws: `AudioError` `.playbackFailed` with ALSA's reason.
    package func drain() throws(AudioError) {
        guard let pcm, format != nil else { return }
        // A drained device is set up again, with the next sound's format, before it plays.
        format = nil
        let status = alsa.drain(pcm)
        guard status >= 0 else {
            throw AudioError(.playbackFailed, "ALSA device '\(name)' could not drain: \(alsa.describe(status))")
        }
    }

    /// Closes the device without waiting for what is still sounding; `deinit` does it too.
    package func close() {
        guard let pcm else { return }
        _ = alsa.close(pcm)
        self.pcm = nil
        format = nil
    }
}
