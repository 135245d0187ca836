import DeviceProtocols

/// How one profile's decoder did on a port's first bytes.
public struct ProbeCandidateResult: Sendable, Hashable, CustomStringConvertible {
    /// The profile's stable name.
    public var profileID: String
    /// The serial settings the bytes were read with.
    public var settings: SerialSettings
    /// What the decoder counted.
    public var statistics: DecoderStatistics
    /// Readings the decoder produced.
    public var readings: Int
    /// True when the decoder decoded the bytes cleanly (see ``ProfileProber/Criteria``).
    public var isClean: Bool

    /// A result.
    public init(profileID: String, settings: SerialSettings, statistics: DecoderStatistics, readings: Int, isClean: Bool) {
        self.profileID = profileID
        self.settings = settings
        self.statistics = statistics
        self.readings = readings
        self.isClean = isClean
    }

    /// `nonin-df7 at 9600 8N1: 75 frames, 0 bad, 2 of 375 bytes skipped, 150 readings (clean)`.
    public var description: String {
        "\(profileID) at \(settings): \(statistics.frames) frames, \(statistics.badFrames) bad, "
            + "\(statistics.skippedBytes) of \(statistics.bytes) bytes skipped, \(readings) readings"
            + (isClean ? " (clean)" : "")
    }
}
