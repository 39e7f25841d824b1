import Foundation
import HotlineCore
import Testing

@testable import HotlineModel

/// Models read from files held in memory (`ModelLoader.load(files:main:origin:)`): `include` resolves
/// among them, and errors name the file, line, column and field as they do for files on disk.
struct InMemoryModelTests {
    /// A model split in two files, as the bundled one is.
    static let split = [
        "city/model.yaml": """
        name: split
        include: [queue.yaml]
        service: { threshold_s: 20 }
        """,
        "city/queue.yaml": """
        arrivals: { rate_per_hour: 100 }
        operators: { count: 10 }
        handling:
          direct: { share: 1.0, talk: { exponential: { mean_s: 240 } } }
        """,
    ]

    @Test func theBuiltInModelIsTheModelOnDisk() throws {
        let builtIn = try BundledModel.load()
        #expect(builtIn.model == BundledModelTests.loaded.model)
        #expect(builtIn.warnings.isEmpty)
        #expect(
            builtIn.files == [
                "(built-in)/mudanjiang/model.yaml", "(built-in)/mudanjiang/network.yaml",
                "(built-in)/mudanjiang/categories.yaml", "(built-in)/mudanjiang/calendar.yaml",
                "(built-in)/mudanjiang/shifts.yaml",
            ]
        )
    }

    @Test(arguments: BundledModel.validationModels)
    func everyValidationModelLoads(path: String) throws {
        #expect(try ModelSource.builtIn(path).load().model.arrivals.baseCallsPerDay > 0)
    }

    @Test func includeResolvesAmongTheFiles() throws {
        let loaded = try ModelLoader.load(files: Self.split, main: "city/model.yaml", origin: "(mem)")
        #expect(loaded.model.staffing == .flat(10))
        #expect(loaded.files == ["(mem)/city/model.yaml", "(mem)/city/queue.yaml"])
    }

    @Test(arguments: ["city", "city/", "./city/model.yaml", "city/../city/model.yaml"])
    func theMainFileMayBeNamedByItsFolder(main: String) throws {
        #expect(try ModelLoader.load(files: Self.split, main: main, origin: "").model.name == "split")
    }

    @Test func anErrorNamesTheIncludedFileLineAndField() {
        var files = Self.split
        files["city/queue.yaml"] = files["city/queue.yaml"]!.replacingOccurrences(of: "count: 10", with: "count: -1")
        let error = #expect(throws: ModelLoadFailure.self) {
            try ModelLoader.load(files: files, main: "city/model.yaml", origin: "(built-in)")
        }
        let first = error?.errors.first
        #expect(first?.file == "(built-in)/city/queue.yaml")
        #expect(first?.line == 2)
        #expect(first?.field == "operators.count")
        #expect(
            ModelCheck.lines(error?.errors ?? [], severity: "error").first?.hasPrefix(
                "(built-in)/city/queue.yaml:2:") == true)
    }

    @Test func aMissingIncludeIsNamed() {
        var files = Self.split
        files["city/queue.yaml"] = nil
        let error = #expect(throws: ModelLoadFailure.self) {
            try ModelLoader.load(files: files, main: "city/model.yaml", origin: "(built-in)")
        }
        #expect(error?.errors.map(\.file) == ["(built-in)/city/queue.yaml"])
        #expect(error?.errors.first?.code == .unreadable)
    }

    @Test func aMissingMainFileIsNamed() {
        let error = #expect(throws: ModelLoadFailure.self) {
            try BundledModel.load("nowhere/model.yaml")
        }
        #expect(error?.errors.first?.file == "(built-in)/nowhere/model.yaml")
        #expect(error?.errors.first?.message == "no such file")
    }

    @Test(arguments: [
        ("a/./b/../c.yaml", "a/c.yaml"), ("a//b", "a/b"), ("../x.yaml", "../x.yaml"), ("a/../../x", "../x"),
        ("/abs/./x", "/abs/x"),
    ])
    func pathsAreNormalised(path: String, expected: String) {
        #expect(ModelLoader.normalized(path) == expected)
    }

    @Test func checkNamesTheBuiltInModel() {
        let report = ModelCheck.run(sources: [.defaultModel])
        #expect(report.ok)
        // .ci/run greps this line.
        #expect(report.output.contains(/mudanjiang: .*valid/))
        #expect(report.output.hasPrefix("mudanjiang: (built-in)/mudanjiang/model.yaml + 4 included files: valid"))
    }
}
