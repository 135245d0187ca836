/// Every problem found while loading a rule file or directory, in file and position order.
///
/// The loader does not stop at the first problem: one `vitals rules check` run lists them all.
public struct RuleLoadError: Error, Sendable, CustomStringConvertible {
    /// The problems, sorted by position.
    public var problems: [RuleProblem]

    /// An error holding `problems` (sorted here).
    public init(problems: [RuleProblem]) {
        self.problems = problems.sorted { $0.position < $1.position }
    }

    /// True when a file or directory could not be read at all (exit code 2 in `vitals rules check`).
    public var isUnreadable: Bool { problems.contains { $0.kind == .unreadable } }

    /// Every problem, one block each, then a count.
    public var description: String {
        let blocks = problems.map(\.description).joined(separator: "\n")
        let n = problems.count
        return blocks + "\n\(n) error\(n == 1 ? "" : "s")"
    }
}
