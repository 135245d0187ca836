import VitalsCore

/// One stored waveform chunk (about a second of samples from one device).
public struct StoredWaveform: Sendable, Hashable {
    /// The device's name.
    public var device: String
    /// Host time of the first sample, ms since 1970 UTC.
    public var startAt: Int64
    /// The samples, their rate and flags.
    public var waveform: Waveform

    /// A stored chunk.
    public init(device: String, startAt: Int64, waveform: Waveform) {
        self.device = device
        self.startAt = startAt
        self.waveform = waveform
    }
}
