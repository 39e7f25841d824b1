import Foundation

/// Writes a line to standard error (progress, warnings and errors never go to standard output).
func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
