import ArgumentParser
import Foundation
import Testing

@testable import hotline

/// A failure found while running (not a wrong flag) prints one line and exits 1, without the root
/// command's usage that a `ValidationError` thrown from `run()` would print.
struct FailureMessageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func aCommandFailureIsOneLine() {
        let failure = CommandFailure("cannot find the bundled model")
        #expect(Hotline.fullMessage(for: failure) == "Error: cannot find the bundled model")
        #expect(Hotline.exitCode(for: failure) == ExitCode(1))
    }
}
