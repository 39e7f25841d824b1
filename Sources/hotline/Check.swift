import ArgumentParser
import HotlineModel

/// `hotline check PATH...`: validates model files and prints a summary of each.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate model files and print a one-screen summary of each.",
        discussion: """
            A PATH is a model file or a folder holding model.yaml. Without PATH, checks the Mudanjiang \
            model built into hotline. Errors go to standard error as FILE:LINE:COLUMN: error: FIELD: MESSAGE. \
            Exits 0 when every model is valid, 1 when any is not.
            """
    )

    @Argument(help: ArgumentHelp("Model files or folders (default: the built-in Mudanjiang model).", valueName: "path"))
    var paths: [String] = []

    @Flag(name: .shortAndLong, help: "Print only errors and warnings.")
    var quiet = false

    func run() async throws {
        let sources = paths.isEmpty ? [ModelSource.defaultModel] : paths.map(ModelSource.path)
        let report = ModelCheck.run(sources: sources, quiet: quiet)
        if !report.output.isEmpty { print(report.output) }
        if !report.diagnostics.isEmpty { printToStandardError(report.diagnostics) }
        if !report.ok { throw ExitCode(1) }
    }
}
