import VitalsCore

/// The decoding engine shared by the Contec legacy stream and BerryMed BCI, which the reference
/// calls one layout family (reference/protocols-spo2.md 3.3, 5.1): 5-byte frames, bit 7 set on
/// the first byte only, no checksum.
///
/// Framing: a byte with bit 7 set starts a frame; the next four must have bit 7 clear. A frame
/// cut short by a new head byte, or failing its range check, is a bad frame; a byte with bit 7
/// clear outside a frame is skipped. Either, while in sync, loses sync (one `sync-lost` status);
/// the next good frame regains it with one `sync-acquired` carrying the bytes skipped and bad
/// frames since (`SyncTracker`), however long the garbage. Out of sync, a frame counts only when
/// `framesToLock` good frames follow one another: random bytes pass as one frame about once in
/// 40 bytes (a head byte, four bytes with bit 7 clear, in range), which gave one lost/acquired
/// pair per few dozen bytes of garbage (issue 12.4); three in a row almost never happen by
/// chance. The held frames are then decoded in order, so sync comes back three frames after the
/// damage and nothing intact is lost. Memory: four bytes of the frame being read, two held
/// frames and one waveform batch, whatever arrives.
///
/// Without a checksum a flipped low bit cannot be seen in a single frame. Values are therefore
/// only believed when `confirmations` consecutive good frames agree on SpO2, pulse and status
/// bits (a `ContecFamilyReport`); any damage restarts the count. Readings come once a second of
/// device time (every `frameRate` good frames): SpO2 and pulse as the believed report gives them
/// (a value outside `Metric.plausibleRange` as `value-implausible`), or a `value-missing` status,
/// provided the report was confirmed again during that second.
/// Pleth goes out in `.waveform` batches of `batchSize` good frames; a loss of sync closes the
/// batch early, so samples either side of a gap never share one. Everything depends on byte
/// and frame counts only, never on how the bytes were split into calls.
struct ContecFamilyStream<Frame: ContecFamilyFrame>: Sendable {
    /// Consecutive identical frames needed before a report is believed.
    static var confirmations: Int { 3 }
    /// Consecutive good frames needed, out of sync, before they count as frames.
    static var framesToLock: Int { 3 }

    /// Counts of what the stream has seen so far.
    private(set) var statistics = DecoderStatistics()
    private var b0: UInt8 = 0, b1: UInt8 = 0, b2: UInt8 = 0, b3: UInt8 = 0
    private var filled = 0
    private var frameStart = 0
    private var sync = SyncTracker()
    /// Good frames seen out of sync, waiting for `framesToLock` in a row.
    private var held: [(frame: Frame, start: Int)] = []
    private var batch: [Int32] = []
    private var batchFlags: QualityFlags = []
    private var candidate: ContecFamilyReport?
    private var candidateCount = 0
    private var believed: ContecFamilyReport?
    private var confirmedThisSecond = false
    private var framesThisSecond = 0
    private var sensorOff = false

    /// A stream at its start, not yet in sync.
    init() {
        batch.reserveCapacity(Frame.batchSize)
        held.reserveCapacity(Self.framesToLock)
    }

    /// Feeds `bytes` and appends whatever they complete to `events`.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        for byte in bytes {
            let offset = statistics.bytes
            statistics.bytes += 1
            if byte & 0x80 != 0 {
                if filled > 0 { reject(start: frameStart, length: filled, into: &events) }
                b0 = byte
                filled = 1
                frameStart = offset
                continue
            }
            switch filled {
            case 0:
                statistics.skippedBytes += 1
                loseSync(at: offset, into: &events)
            case 1: b1 = byte; filled = 2
            case 2: b2 = byte; filled = 3
            case 3: b3 = byte; filled = 4
            default:
                filled = 0
                if let frame = Frame(b0, b1, b2, b3, byte) {
                    if sync.inSync {
                        accept(frame, start: frameStart, into: &events)
                    } else {
                        hold(frame, into: &events)
                    }
                } else {
                    reject(start: frameStart, length: 5, into: &events)
                }
            }
        }
    }

    private mutating func reject(start: Int, length: Int, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        statistics.skippedBytes += length
        filled = 0
        loseSync(at: start, into: &events)
    }

    private mutating func loseSync(at offset: Int, into events: inout [DecoderEvent]) {
        candidate = nil
        candidateCount = 0
        if !held.isEmpty {
            statistics.skippedBytes += held.count * 5
            held.removeAll(keepingCapacity: true)
        }
        guard sync.inSync else { return }
        flushBatch(into: &events)
        sync.lose(at: offset, "frame damaged or out of step", statistics: statistics, into: &events)
    }

    /// A good frame out of sync: held until `framesToLock` in a row, then all decoded in order.
    private mutating func hold(_ frame: Frame, into events: inout [DecoderEvent]) {
        held.append((frame, frameStart))
        guard held.count == Self.framesToLock else { return }
        for k in 0..<held.count { accept(held[k].frame, start: held[k].start, into: &events) }
        held.removeAll(keepingCapacity: true)
    }

    private mutating func accept(_ frame: Frame, start: Int, into events: inout [DecoderEvent]) {
        statistics.frames += 1
        sync.acquire(at: start, statistics: &statistics, into: &events)
        let report = frame.report

        batch.append(frame.pleth)
        batchFlags.formUnion(report.flags)
        if batch.count == Frame.batchSize { flushBatch(into: &events) }

        if report == candidate {
            candidateCount += 1
        } else {
            candidate = report
            candidateCount = 1
        }
        if candidateCount >= Self.confirmations {
            if report != believed {
                believed = report
                noteSensor(report, into: &events)
            }
            confirmedThisSecond = true
        }

        framesThisSecond += 1
        if framesThisSecond == Frame.frameRate {
            framesThisSecond = 0
            if confirmedThisSecond, let believed { emitValues(believed, into: &events) }
            confirmedThisSecond = false
        }
    }

    private mutating func noteSensor(_ report: ContecFamilyReport, into events: inout [DecoderEvent]) {
        let off = report.flags.contains(.sensorOff)
        guard off != sensorOff else { return }
        sensorOff = off
        events.append(.status(off ? DeviceStatus(.sensorOff, detail: report.sensorOffReason) : DeviceStatus(.sensorOn)))
    }

    private func emitValues(_ report: ContecFamilyReport, into events: inout [DecoderEvent]) {
        if let spo2 = report.spo2 {
            events.append(Metric.spo2.checkedReading(Double(spo2), flags: report.flags, raw: "SpO2 \(spo2)"))
        } else {
            events.append(.status(DeviceStatus(.valueMissing, metric: .spo2, detail: report.spo2Missing)))
        }
        if let pulse = report.pulse {
            events.append(Metric.pulse.checkedReading(Double(pulse), flags: report.flags, raw: "pulse \(pulse)"))
        } else {
            events.append(.status(DeviceStatus(.valueMissing, metric: .pulse, detail: report.pulseMissing)))
        }
    }

    private mutating func flushBatch(into events: inout [DecoderEvent]) {
        guard !batch.isEmpty else { return }
        events.append(.waveform(Waveform(sampleRate: Double(Frame.frameRate), samples: batch, flags: batchFlags)))
        batch.removeAll(keepingCapacity: true)
        batchFlags = []
    }
}
