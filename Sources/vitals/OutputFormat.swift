import ArgumentParser

/// How commands that print events print them.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Readable lines for a person.
    case text
    /// One JSON object a line (DESIGN.md's contract).
    case jsonl
}

extension OutputFormat {
    /// The pipeline's format.
    var eventFormat: EventFormat {
        switch self {
        case .text: .text
        case .jsonl: .jsonl
        }
    }
}
