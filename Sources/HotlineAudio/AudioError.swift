/// Why a sound could not be read or played.
///
/// Callers switch on `code`: every failure to play leaves the prompt's text to be printed instead.
package struct AudioError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        package let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        /// `libasound.so.2` (ALSA) is not installed, or lacks a function hotline calls.
        package static let libraryUnavailable = Code("library-unavailable")
        /// The ALSA device does not exist, is busy, or refused the sound's format.
        package static let deviceUnavailable = Code("device-unavailable")
        /// Writing to the device failed part way.
        package static let playbackFailed = Code("playback-failed")
        /// The sound file is missing or unreadable.
        package static let unreadableSound = Code("unreadable-sound")
        /// The file is not a WAV file of 16-bit PCM.
        package static let unsupportedSound = Code("unsupported-sound")
    }

    package var code: Code
    /// One line a person can act on, naming the library, device or file.
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
