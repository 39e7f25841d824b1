/// A failure that is not a misuse of the command line (a missing bundled model, a model of the wrong
/// form): ArgumentParser prints it as one line, `Error: <description>`, and exits with status 1.
///
/// A `ValidationError` thrown from `run()` would print the usage of the root command instead of the
/// subcommand's, and exit 64 as if a flag were wrong.
struct CommandFailure: Error, Equatable, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
