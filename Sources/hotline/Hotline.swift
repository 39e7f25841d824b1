import ArgumentParser

/// The `hotline` command: models, simulates and runs a city's 12345 hotline.
@main
struct Hotline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotline",
        abstract: "Model, simulate and run the case-handling network of a city's 12345 hotline.",
        discussion: """
            Without --model (or a PATH), commands use the bundled Mudanjiang city model in Scenarios/mudanjiang/.
            Documentation: docs/ (model file format: docs/model.md).
            """,
        version: "0.1.0",
        subcommands: [
            Simulate.self, Staff.self, Validate.self, Check.self, Serve.self, Drive.self, Cases.self, Peers.self,
            Report.self, Prompts.self, ClassicAGI.self, Rehearse.self,
        ]
    )
}
