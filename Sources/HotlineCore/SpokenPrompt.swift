/// Placeholder until the prompt catalogue lands (replaced by the prompts branch).
package enum SpokenPrompt {
    package static func ids(for prompt: String, language: String) -> [String] {
        if let colon = prompt.firstIndex(of: ":") {
            return prompt[prompt.index(after: colon)...].compactMap { c in c.isNumber ? "digit-\(c)" : nil }
        }
        return [prompt]
    }
}
