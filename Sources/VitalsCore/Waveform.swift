/// Waveform samples (the pleth) decoded from consecutive frames, delivered in small batches so a
/// 75 Hz stream does not cost one event a sample.
public struct Waveform: Sendable, Hashable {
    /// The waveform's metric (`pleth`).
    public var metric: Metric
    /// Samples per second at the device.
    public var sampleRate: Double
    /// Samples in device units, oldest first.
    public var samples: [Int32]
    /// Quality flags that applied to the frames of this batch (the union).
    public var flags: QualityFlags

    /// A batch of waveform samples.
    public init(metric: Metric = .pleth, sampleRate: Double, samples: [Int32], flags: QualityFlags = []) {
        self.metric = metric
        self.sampleRate = sampleRate
        self.samples = samples
        self.flags = flags
    }
}
