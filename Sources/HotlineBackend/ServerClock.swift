internal import Foundation
package import HotlineCore

/// How the server's clock runs (`hotline serve --clock`).
///
/// A live centre runs on the wall clock. The other two exist for tests, training and soak runs, and
/// the server says which one it runs in every `hello` reply, so that no adapter mistakes a test
/// server for a live one.
package enum ClockMode: Hashable, Sendable, CustomStringConvertible {
    /// Real time (the default).
    case wall
    /// Real time sped up N times: a day at 1440 takes a minute.
    case accelerated(Double)
    /// Time stands still but for `advance` events from a peer allowed to send them.
    case manual

    /// Parses `wall`, `accelerated:N` (N > 0) or `manual`.
    package init?(parsing text: String) {
        switch text {
        case "wall": self = .wall
        case "manual": self = .manual
        default:
            guard text.hasPrefix("accelerated:"), let n = Double(text.dropFirst("accelerated:".count)),
                n.isFinite, n > 0, n <= 1_000_000
            else { return nil }
            self = .accelerated(n)
        }
    }

    package var description: String {
        switch self {
        case .wall: "wall"
        case .manual: "manual"
        case .accelerated(let n): "accelerated:\(n == n.rounded() ? String(Int(n)) : String(n))"
        }
    }

    /// Simulated seconds per real second (0 for a manual clock).
    var rate: Double {
        switch self {
        case .wall: 1
        case .accelerated(let n): n
        case .manual: 0
        }
    }
}

/// The centre's clock: local civil time (`Instant`), from the wall clock, sped up, or moved by hand.
///
/// Read and moved on the event loop only.
package final class ServerClock: @unchecked Sendable {
    // Confined to the switchboard's thread (the event loop); never shared otherwise.
    package let mode: ClockMode
    /// Seconds east of UTC of the centre's local time.
    private let offset: Double
    /// The local time when the clock started, and the real (Unix) time then.
    private let startLocal: Double
    private let startReal: Double
    private var manualNow: Double

    /// - Parameters:
    ///   - start: where an accelerated or manual clock starts (default: the wall clock now).
    package init(mode: ClockMode, utcOffsetHours: Int, start: Instant? = nil) {
        self.mode = mode
        offset = Double(utcOffsetHours) * 3600
        startReal = Date().timeIntervalSince1970
        startLocal = mode == .wall ? startReal + offset : (start?.seconds ?? startReal + offset)
        manualNow = startLocal
    }

    /// The centre's local time now.
    package func now() -> Instant {
        switch mode {
        case .wall: return Instant(seconds: Date().timeIntervalSince1970 + offset)
        case .accelerated(let n): return Instant(seconds: startLocal + (Date().timeIntervalSince1970 - startReal) * n)
        case .manual: return Instant(seconds: manualNow)
        }
    }

    /// Moves a manual clock to `time`; the caller checks that it is not in the past.
    package func set(_ time: Instant) {
        precondition(mode == .manual, "only a manual clock is moved by hand")
        manualNow = time.seconds
    }

    /// Real seconds until the clock reads `time`; `nil` for a manual clock, which never gets there alone.
    package func realDelay(until time: Instant) -> Double? {
        let rate = mode.rate
        guard rate > 0 else { return nil }
        return max(0, (time - now()) / rate)
    }

    /// Unix seconds of a local instant (for `advance` in Unix time).
    package func unixSeconds(_ time: Instant) -> Double { time.seconds - offset }

    /// The local instant of Unix seconds.
    package func instant(unixSeconds: Double) -> Instant { Instant(seconds: unixSeconds + offset) }

    /// Hours east of UTC.
    package var utcOffsetHours: Int { Int(offset / 3600) }
}
