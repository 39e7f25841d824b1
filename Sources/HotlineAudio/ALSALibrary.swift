internal import Glibc

/// The few functions of ALSA's `libasound.so.2` that playback needs, looked up at run time.
///
/// hotline builds and runs without ALSA's headers (`libasound2-dev`): the library is opened with
/// `dlopen` when a sound is first played, and a machine without it gets `.libraryUnavailable`.
/// The library is never closed: ALSA keeps global configuration that outlives a handle.
struct ALSALibrary {
    typealias Open =
        @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, Int32, Int32) -> Int32
    typealias SetParams = @convention(c) (OpaquePointer?, Int32, Int32, UInt32, UInt32, Int32, UInt32) -> Int32
    typealias WriteInterleaved = @convention(c) (OpaquePointer?, UnsafeRawPointer?, UInt) -> Int
    typealias Drain = @convention(c) (OpaquePointer?) -> Int32
    typealias Close = @convention(c) (OpaquePointer?) -> Int32
    typealias Recover = @convention(c) (OpaquePointer?, Int32, Int32) -> Int32
    typealias StringError = @convention(c) (Int32) -> UnsafePointer<CChar>?
    /// ALSA's handler is variadic, `(file, line, function, err, fmt, ...)`; one that reads none of
    /// the variadic arguments may be declared without them on Linux's x86-64 and AArch64 ABIs.
    typealias ErrorHandler =
        @convention(c) (UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?) -> Void
    typealias SetErrorHandler = @convention(c) (ErrorHandler?) -> Int32

    /// The shared object's name, as Debian's `libasound2` installs it.
    static let soname = "libasound.so.2"

    // Constants from <alsa/pcm.h>.
    static let streamPlayback: Int32 = 0  // SND_PCM_STREAM_PLAYBACK
    static let formatS16LE: Int32 = 2  // SND_PCM_FORMAT_S16_LE
    static let accessInterleaved: Int32 = 3  // SND_PCM_ACCESS_RW_INTERLEAVED

    let open: Open
    let setParams: SetParams
    let writeInterleaved: WriteInterleaved
    let drain: Drain
    let close: Close
    let recover: Recover
    let stringError: StringError

    /// Opens the library and looks up its functions.
    /// - Throws: `AudioError` `.libraryUnavailable` with `dlerror`'s reason.
    init() throws(AudioError) {
        guard let handle = dlopen(Self.soname, RTLD_NOW | RTLD_LOCAL) else {
            throw AudioError(
                .libraryUnavailable,
                "ALSA is not installed (\(Self.lastError() ?? "cannot open \(Self.soname)")); apt-get install libasound2"
            )
        }
        func symbol<F>(_ name: String, _: F.Type) throws(AudioError) -> F {
            guard let address = dlsym(handle, name) else {
                throw AudioError(.libraryUnavailable, "\(Self.soname) has no \(name): \(Self.lastError() ?? "")")
            }
            return unsafeBitCast(address, to: F.self)
        }
        open = try symbol("snd_pcm_open", Open.self)
        setParams = try symbol("snd_pcm_set_params", SetParams.self)
        writeInterleaved = try symbol("snd_pcm_writei", WriteInterleaved.self)
        drain = try symbol("snd_pcm_drain", Drain.self)
        close = try symbol("snd_pcm_close", Close.self)
        recover = try symbol("snd_pcm_recover", Recover.self)
        stringError = try symbol("snd_strerror", StringError.self)
        // ALSA prints its own lines on standard error ("ALSA lib pcm.c:2666: Unknown PCM …") before
        // returning the error hotline reports in one line: they are silenced.
        if let address = dlsym(handle, "snd_lib_error_set_handler") {
            _ = unsafeBitCast(address, to: SetErrorHandler.self)({ _, _, _, _, _ in })
        }
    }

    /// ALSA's words for an error code (`No such file or directory`).
    func describe(_ code: Int32) -> String {
        stringError(code).map { String(cString: $0) } ?? "error \(code)"
    }

    private static func lastError() -> String? { dlerror().map { String(cString: $0) } }
}
