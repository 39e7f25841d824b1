import Testing

@testable import HotlineAudio

/// Playback through ALSA, loaded at run time: ALSA's `null` device takes every frame, and a device
/// that does not exist is a clear error. Skipped where libasound.so.2 is not installed.
@Suite(.enabled(if: SoundDevice.libraryIsInstalled, "libasound.so.2 (ALSA) is not installed on this machine"))
struct SoundDeviceTests {
    @Test func theNullDeviceTakesEveryFrame() throws {
        let device = try SoundDevice(name: "null")
        for id in ["digit-1", "yao", "minutes"] {
            let sound = try WAVSound(contentsOf: Sounds.file(id))
            #expect(try device.play(sound) == sound.frames)
        }
        try device.drain()
        // A sound of another format after a drain: the device is set up again.
        let stereo = WAVSound(sampleRate: 16000, channels: 2, samples: Array(repeating: 0, count: 3200))
        #expect(try device.play(stereo) == 1600)
        try device.drain()
        device.close()
        #expect(throws: AudioError.self) { try device.play(stereo) }
    }

    @Test func aMissingDeviceIsAClearError() {
        #expect {
            try SoundDevice(name: "hotline-no-such-device")
        } throws: { error in
            let e = error as? AudioError
            return e?.code == .deviceUnavailable && e?.message.contains("'hotline-no-such-device'") == true
        }
    }
}
