import VitalsCore

/// The decoding engine shared by the Contec legacy stream and BerryMed BCI, which the reference
/// calls one layout family (reference/protocols-spo2.md 3.3, 5.1): 5-byte frames, bit 7 set on
/// the first byte only, no checksum.
///
/// Framing: a byte with bit 7 set starts a frame; the next four must have bit 7 clear. A frame
/// cut short by a new head byte, or failing its range check, is a bad frame; a byte with bit 7
/// clear outside a frame is skipped. What that costs, and when frames count again (three good ones
/// in a row, out of sync), is `UncheckedFrames`'s. Memory: four bytes of the frame being read, two
/// held frames and one waveform batch, whatever arrives.
///
/// Values: a report is believed only when consecutive good frames agree, and published once a
/// second of device time (`ConfirmedReports`); pleth goes out in batches of `Frame.batchSize`, and
/// a loss of sync closes the batch early. Everything depends on byte and frame counts only, never
/// on how the bytes were split into calls.
struct ContecFamilyStream<Frame: ContecFamilyFrame>: Sendable {
    private var frames = UncheckedFrames<Frame, ContecFamilyReport>(
        lossDetail: "frame damaged or out of step", frameRate: Frame.frameRate, batchSize: Frame.batchSize)
    private var b0: UInt8 = 0, b1: UInt8 = 0, b2: UInt8 = 0, b3: UInt8 = 0
    private var filled = 0
    private var frameStart = 0

    /// Counts of what the stream has seen so far.
    var statistics: DecoderStatistics { frames.statistics }

    /// A stream at its start, not yet in sync.
    init() {}

    /// Feeds `bytes` and appends whatever they complete to `events`.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        for byte in bytes {
            let offset = frames.nextByte()
            if byte & 0x80 != 0 {
                if filled > 0 { frames.bad(start: frameStart, length: filled, into: &events) }
                b0 = byte
                filled = 1
                frameStart = offset
                continue
            }
            switch filled {
            case 0: frames.skipped(at: offset, into: &events)
            case 1: b1 = byte; filled = 2
            case 2: b2 = byte; filled = 3
            case 3: b3 = byte; filled = 4
            default:
                filled = 0
                guard let frame = Frame(b0, b1, b2, b3, byte) else {
                    frames.bad(start: frameStart, length: 5, into: &events)
                    continue
                }
                if frames.good(frame, start: frameStart, length: 5) {
                    accept(frame, start: frameStart, into: &events)
                } else if let held = frames.release() {
                    for h in held { accept(h.frame, start: h.start, into: &events) }
                }
            }
        }
    }

    private mutating func accept(_ frame: Frame, start: Int, into events: inout [DecoderEvent]) {
        frames.count(start: start, into: &events)
        frames.reports.add(frame.report, pleth: frame.pleth, into: &events)
    }
}
