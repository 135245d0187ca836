import VitalsCore

/// Decodes BerryMed's BCI protocol (reference/protocols-spo2.md 5.1): 5-byte frames at 100 Hz.
/// Framing, confirmation and output rates are those of `ContecFamilyStream`; field meanings are
/// in `BerryMedFrame`.
///
/// Output: pleth in `.waveform` batches of 20 samples (0.2 s); SpO2 and pulse once a second
/// (every 100 good frames, not 100 times a second), or a `value-missing` status where the frame
/// carries a missing marker; `sensor-off` / `sensor-on` when the no-finger or probe-unplugged
/// bits change.
public struct BerryMedDecoder: DeviceDecoder {
    private var stream = ContecFamilyStream<BerryMedFrame>()

    /// A decoder at the start of a stream.
    public init() {}

    /// Counts of what the decoder has seen so far.
    public var statistics: DecoderStatistics { stream.statistics }

    /// Feeds `bytes` and appends whatever they complete to `events`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        stream.decode(bytes, into: &events)
    }
}
