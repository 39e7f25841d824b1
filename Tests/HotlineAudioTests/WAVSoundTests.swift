import Foundation
import Testing

@testable import HotlineAudio

/// Reading WAV files: the shipped prompts, other chunks skipped, and files hotline cannot play refused.
struct WAVSoundTests {
    static func wav(
        format: UInt16 = 1, channels: UInt16 = 1, rate: UInt32 = 8000, bits: UInt16 = 16,
        extra: [UInt8] = [], data: [UInt8]
    ) -> [UInt8] {
        func le16(_ x: UInt16) -> [UInt8] { [UInt8(x & 0xFF), UInt8(x >> 8)] }
        func le32(_ x: UInt32) -> [UInt8] { le16(UInt16(x & 0xFFFF)) + le16(UInt16(x >> 16)) }
        let block = channels * bits / 8
        let fmt = le16(format) + le16(channels) + le32(rate) + le32(rate * UInt32(block)) + le16(block) + le16(bits)
        let body =
            Array("WAVE".utf8) + Array("fmt ".utf8) + le32(16) + fmt + extra + Array("data".utf8)
            + le32(UInt32(data.count)) + data
        return Array("RIFF".utf8) + le32(UInt32(body.count)) + body
    }

    @Test(arguments: ["greeting", "digit-1", "yao", "less-than-a-minute"])
    func readsAShippedPrompt(id: String) throws {
        let sound = try WAVSound(contentsOf: Sounds.file(id))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: Sounds.file(id))[.size] as? Int)
        #expect(sound.sampleRate == 8000)
        #expect(sound.channels == 1)
        #expect(sound.frames == (size - 44) / 2)
        #expect(sound.duration > 0.2)
    }

    @Test func readsSamplesInOrderAndSkipsOtherChunks() throws {
        let list = Array("LIST".utf8) + [3, 0, 0, 0, 1, 2, 3, 0]  // an odd chunk, padded to even
        let bytes = Self.wav(
            channels: 2, rate: 44100, extra: list, data: [0x01, 0x00, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F])
        let sound = try WAVSound(bytes: bytes, file: "x.wav")
        #expect(sound.samples == [1, -1, .min, .max])
        #expect(sound.channels == 2 && sound.sampleRate == 44100 && sound.frames == 2)
    }

    @Test(arguments: [
        (Array("not a wave file".utf8), "not a RIFF/WAVE file"),
        (wav(bits: 8, data: [1, 2]), "8-bit samples"),
        (wav(format: 3, data: [0, 0, 0, 0]), "not PCM"),
        (wav(data: [1, 2, 3]), "not whole frames"),
        (Array(wav(data: [1, 2, 3, 4]).dropLast(2)), "past the end"),
        (Array(wav(data: []).prefix(36)), "no 'data' chunk"),
    ])
    func refusesWhatItCannotPlay(bytes: [UInt8], why: String) {
        #expect {
            try WAVSound(bytes: bytes, file: "bad.wav")
        } throws: { error in
            let e = error as? AudioError
            return e?.code == .unsupportedSound && e?.message.hasPrefix("bad.wav: ") == true
                && e?.message.contains(why) == true
        }
    }

    @Test func aMissingFileIsNamed() {
        #expect {
            try WAVSound(contentsOf: "/nonexistent/prompt.wav")
        } throws: { error in
            (error as? AudioError)?.code == .unreadableSound
                && (error as? AudioError)?.message.contains("/nonexistent/prompt.wav") == true
        }
    }
}
