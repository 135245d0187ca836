import VitalsCore

/// A pure, incremental decoder for one device profile's byte stream.
///
/// Bytes go in, in any chunking; readings, waveform batches and statuses come out. The same
/// bytes give the same events however they are split. A decoder never reads a clock, a file
/// descriptor or a thread; it survives any byte sequence (no crash, no hang), never produces a
/// reading from a frame that fails its check, and regains sync within a frame or two.
public protocol DeviceDecoder: Sendable {
    /// Feeds `bytes` and appends whatever they complete to `events`.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent])
    /// Counts of what the decoder has seen so far.
    var statistics: DecoderStatistics { get }
    /// The host wrote `bytes` to the device after the bytes decoded so far: a decoder that reads
    /// replies to host commands (Nonin's ACK/NAK to select-format) then knows one is due, and
    /// reports it when it arrives. The default ignores it.
    mutating func hostWrote(_ bytes: [UInt8])
}

extension DeviceDecoder {
    /// Most decoders recognise replies by their own framing.
    public mutating func hostWrote(_ bytes: [UInt8]) {}

    /// Feeds `bytes` and returns the events they complete.
    public mutating func decode(_ bytes: [UInt8]) -> [DecoderEvent] {
        var events: [DecoderEvent] = []
        bytes.withUnsafeBytes { decode($0, into: &events) }
        return events
    }

    /// Feeds `bytes` and appends the events they complete to `events`.
    public mutating func decode(_ bytes: [UInt8], into events: inout [DecoderEvent]) {
        bytes.withUnsafeBytes { decode($0, into: &events) }
    }

    /// Feeds `bytes` and appends the events they complete to `events`.
    public mutating func decode(_ bytes: ArraySlice<UInt8>, into events: inout [DecoderEvent]) {
        bytes.withUnsafeBytes { decode($0, into: &events) }
    }
}
