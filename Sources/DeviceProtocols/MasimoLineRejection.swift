/// Why a Masimo ASCII line was not taken as data: the detail of the `sync-lost` status, and what
/// a test checks.
public struct MasimoLineRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the line, naming the token ("SPO2=150: out of range 0-100").
    public var reason: String

    /// True when the line had its date and time, so it is a damaged data line rather than
    /// garbage: the decoder reports it as `field-malformed` instead of losing sync.
    public var looksLikeData: Bool

    /// A rejection.
    public init(_ reason: String, looksLikeData: Bool = false) {
        self.reason = reason
        self.looksLikeData = looksLikeData
    }

    /// The reason.
    public var description: String { reason }
}
