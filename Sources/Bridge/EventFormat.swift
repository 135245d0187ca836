/// How events print: readable text or one JSON object a line.
public enum EventFormat: String, Sendable, CaseIterable {
    /// Readable lines for a person.
    case text
    /// One JSON object a line (DESIGN.md's contract).
    case jsonl
}
