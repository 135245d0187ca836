/// A profile name that is not in the catalog; the message lists the known ones.
public struct UnknownProfileError: Error, Sendable, CustomStringConvertible {
    /// The name that was asked for.
    public var name: String

    /// An error for `name`.
    public init(name: String) { self.name = name }

    public var description: String {
        "unknown device profile '\(name)'; known profiles: \(ProfileCatalog.knownNames)"
    }
}
