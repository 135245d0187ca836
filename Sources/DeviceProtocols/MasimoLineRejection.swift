/// Why a Masimo ASCII line was not taken as data: the detail of the `sync-lost` status, and what
/// a test checks.
public struct MasimoLineRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the line, naming the token ("SPO2=150: out of range 0-100").
    public var reason: String

    /// A rejection.
    public init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}
