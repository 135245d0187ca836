/// One nasal spray device given in a session (esketamine: 28 mg each; 56 mg is two, 84 mg three).
/// Device 1's time is the start of administration, which the REMS form counts its minutes from.
public struct DoseDevice: Sendable, Hashable {
    /// 1 for the first device.
    public var number: Int
    /// When it was given, ms since 1970 UTC.
    public var at: Int64
    /// Who gave it, where recorded.
    public var by: String?

    /// A device.
    public init(number: Int, at: Int64, by: String? = nil) {
        self.number = number
        self.at = at
        self.by = by
    }
}
