internal import Foundation

/// A sound of 16-bit signed PCM samples, read from a RIFF/WAVE file.
///
/// The prompt sounds are 8 kHz mono (`Prompts/sounds/<lang>/<id>.wav`); any rate and channel count
/// of 16-bit PCM is read, and ALSA converts what the card cannot play.
package struct WAVSound: Sendable, Equatable {
    /// Frames per second.
    package var sampleRate: Int
    /// Samples per frame: 1 for mono.
    package var channels: Int
    /// The samples, interleaved by channel, in machine order.
    package var samples: [Int16]

    package init(sampleRate: Int, channels: Int, samples: [Int16]) {
        precondition(sampleRate > 0 && channels > 0, "a sound has a rate and at least one channel")
        self.sampleRate = sampleRate
        self.channels = channels
        self.samples = samples
    }

    /// The number of frames (samples per channel).
    package var frames: Int { samples.count / channels }

    /// The length in seconds.
    package var duration: Double { Double(frames) / Double(sampleRate) }

    /// Reads a WAV file.
    /// - Throws: `AudioError` `.unreadableSound` naming the path, or `.unsupportedSound` saying what
    ///   is wrong with the file.
    package init(contentsOf path: String) throws(AudioError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AudioError(.unreadableSound, "\(path): no such sound file, or it cannot be read")
        }
        try self.init(bytes: [UInt8](data), file: path)
    }

    /// Reads the bytes of a WAV file; `file` names it in errors.
    ///
    /// Reads the `fmt ` and `data` chunks and skips any other (`LIST`, `fact`).
    /// - Throws: `AudioError` `.unsupportedSound` for anything but 16-bit PCM, or a header that
    ///   disagrees with the file's length.
    package init(bytes: [UInt8], file: String) throws(AudioError) {
        func bad(_ why: String) -> AudioError { AudioError(.unsupportedSound, "\(file): \(why)") }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }

        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { throw bad("not a RIFF/WAVE file") }
        var format: (tag: Int, channels: Int, rate: Int, blockAlign: Int, bits: Int)?
        var at = 12
        while at + 8 <= bytes.count {
            let id = tag(at)
            let size = u32(at + 4)
            let body = at + 8
            guard size <= bytes.count - body else { throw bad("chunk '\(id)' says \(size) bytes, past the end") }
            switch id {
            case "fmt ":
                guard size >= 16 else { throw bad("'fmt ' chunk of \(size) bytes is too short") }
                format = (u16(body), u16(body + 2), u32(body + 4), u16(body + 12), u16(body + 14))
            case "data":
                guard let f = format else { throw bad("'data' comes before 'fmt '") }
                guard f.tag == 1 else { throw bad("format \(f.tag) is not PCM (1)") }
                guard f.bits == 16 else { throw bad("\(f.bits)-bit samples; hotline plays 16-bit PCM") }
                guard f.channels > 0, f.rate > 0, f.blockAlign == 2 * f.channels else {
                    throw bad("inconsistent header: \(f.channels) channels, \(f.rate) Hz, block \(f.blockAlign)")
                }
                guard size % f.blockAlign == 0 else { throw bad("\(size) data bytes are not whole frames") }
                var samples = [Int16](repeating: 0, count: size / 2)
                for i in samples.indices {
                    samples[i] = Int16(truncatingIfNeeded: u16(body + 2 * i))
                }
                self.init(sampleRate: f.rate, channels: f.channels, samples: samples)
                return
            default:
                break
            }
            at = body + size + (size & 1)
        }
        throw bad(format == nil ? "no 'fmt ' chunk" : "no 'data' chunk")
    }
}
