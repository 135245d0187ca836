/// A scenario name that does not exist; the message lists the known ones.
public struct UnknownScenarioError: Error, Sendable, CustomStringConvertible {
    /// The name asked for.
    public var name: String

    public var description: String {
        "unknown scenario '\(name)'; known scenarios: " + Scenario.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
