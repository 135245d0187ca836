import VitalsCore

/// Decodes the Contec CMS50D+/E/F legacy 5-byte live stream at 60 frames a second
/// (reference/protocols-spo2.md 3.3). Framing, confirmation and output rates are those of
/// `ContecFamilyStream`; field meanings are in `ContecLegacyFrame`.
///
/// Output: pleth in `.waveform` batches of 12 samples (0.2 s); SpO2 and pulse once a second
/// (every 60 good frames), or a `value-missing` status where the frame carries a missing marker;
/// `sensor-off` / `sensor-on` when the finger-out or probe-error bits change.
public struct ContecCMS50Decoder: DeviceDecoder {
    private var stream = ContecFamilyStream<ContecLegacyFrame>()

    /// A decoder at the start of a stream.
    public init() {}

    /// Counts of what the decoder has seen so far.
    public var statistics: DecoderStatistics { stream.statistics }

    /// Feeds `bytes` and appends whatever they complete to `events`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        stream.decode(bytes, into: &events)
    }
}
