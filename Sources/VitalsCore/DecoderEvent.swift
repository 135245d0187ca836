/// What a decoder produces from bytes: readings, waveform batches and device statuses.
public enum DecoderEvent: Sendable, Hashable {
    /// A numeric value from a frame that passed every check.
    case reading(Reading)
    /// A batch of waveform samples.
    case waveform(Waveform)
    /// Something the device said about itself.
    case status(DeviceStatus)
}
