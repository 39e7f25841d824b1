import Foundation

/// A progress line on standard error for runs longer than a second, only when standard error is a
/// terminal and not `--quiet`; redrawn at most five times a second.
final class ProgressLine: @unchecked Sendable {
    // `lock` protects `lastDraw` and `drawn`.
    private let lock = NSLock()
    private let enabled: Bool
    private let label: String
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool, label: String) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
        self.label = label
    }

    /// Reports the fraction done (from any thread).
    @Sendable func update(_ fraction: Double) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(started) > 1, now.timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = now
        drawn = true
        let percent = Int((fraction * 100).rounded(.down))
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(percent) %".utf8))
    }

    /// Shows what is being done now (from any thread).
    @Sendable func note(_ text: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(started) > 1 || drawn else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(text)".utf8))
    }

    /// Clears the line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
