import ArgumentParser
import Foundation
import HotlineModel
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

    /// `validate` on the city model: it is not a single queue, which is a fact about the model.
    @Test func validateNamesAModelThatIsNotASingleQueue() async throws {
        let model = Self.root.appendingPathComponent("Scenarios/mudanjiang").path
        let command = try #require(try Hotline.parseAsRoot(["validate", model]) as? Validate)
        do {
            _ = try await command.check(.path(model))
            Issue.record("the city model was taken for a single queue")
        } catch {
            let message = Hotline.fullMessage(for: error)
            #expect(message.hasPrefix("Error: \(model) is not a single-queue model (docs/model.md): "))
            #expect(!message.contains("Usage:"))
            #expect(Hotline.exitCode(for: error) == ExitCode(1))
        }
    }
}
