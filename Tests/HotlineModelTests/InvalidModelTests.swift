import Foundation
import Testing

@testable import HotlineModel

/// Every file in `Tests/Fixtures/invalid/` is a bad model whose first lines say what the check must
/// report: `# expect: CODE LINE [FIELD]` and `# message: TEXT`. None may crash the loader.
struct InvalidModelTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/invalid")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted()
    }

    struct Expectation {
        var code: String
        var line: Int
        var field: String?
        var message: String
    }

    static func expectation(of path: String) throws -> Expectation {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let expect = lines[0].dropFirst("# expect: ".count).split(separator: " ").map(String.init)
        return Expectation(
            code: expect[0],
            line: Int(expect[1])!,
            field: expect.count > 2 ? expect[2] : nil,
            message: String(lines[1].dropFirst("# message: ".count))
        )
    }

    @Test func thereAreFixturesForEveryKindOfBadInput() {
        #expect(Self.files.count >= 25)
    }

    @Test(arguments: files)
    func badModelIsReportedWhereItIsWrong(file: String) throws {
        let path = Self.folder.appendingPathComponent(file).path
        let want = try Self.expectation(of: path)
        do {
            _ = try ModelLoader.load(path: path)
            Issue.record("\(file) loaded but must fail")
        } catch {
            let match = error.errors.first { e in
                e.code.name == want.code && e.line == want.line && (want.field == nil || e.field == want.field)
                    && (e.message + " (" + (e.hint ?? "") + ")").contains(want.message)
            }
            #expect(match != nil, "\(file): wanted \(want), got:\n\(error.description)")
            // Every error names the file; the user's path, not an internal one.
            #expect(error.errors.allSatisfy { $0.file == path })
        }
    }

    @Test func aFolderWithoutModelYamlIsAClearError() {
        #expect(throws: ModelLoadFailure.self) { try ModelLoader.load(path: Self.folder.path) }
        do {
            _ = try ModelLoader.load(path: Self.folder.path)
        } catch {
            #expect(error.errors.first?.message.contains("without model.yaml") == true)
        }
    }

    @Test func aMissingFileIsAClearError() {
        do {
            _ = try ModelLoader.load(path: "/no/such/model.yaml")
            Issue.record("must fail")
        } catch {
            #expect(error.errors.map(\.description) == ["/no/such/model.yaml: no such file"])
        }
    }
}
