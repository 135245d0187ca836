import VitalsCore

/// What a checksum-less oximeter frame says about the slowly changing values: SpO2, pulse, PI
/// where the protocol has one, and the status bits that qualify them. Beat markers, signal
/// strength, bar graph and pleth change every frame and stay out, so consecutive frames of a
/// steady signal compare equal.
protocol ConfirmableReport: Sendable, Hashable {
    /// SpO2 %, or `nil` when the frame carries a missing-value marker.
    var spo2: Int? { get }
    /// The SpO2 byte as sent (the marker seen when `spo2` is nil).
    var spo2Raw: Int { get }
    /// Pulse rate /min, or `nil` when the frame carries a missing-value marker.
    var pulse: Int? { get }
    /// The pulse rate as sent.
    var pulseRaw: Int { get }
    /// Perfusion index %, where the protocol carries one and the frame gives it.
    var pi: Double? { get }
    /// Quality flags from the status bits.
    var flags: QualityFlags { get }
    /// Why the sensor is off ("no finger"), for the `sensor-off` status; read only when `flags`
    /// hold `sensorOff`.
    var sensorOffReason: String { get }
}

extension ConfirmableReport {
    /// No PI in the protocol.
    var pi: Double? { nil }
}

/// How the Contec-family streams (legacy, BerryMed BCI) and the Contec V7 protocol turn frames
/// without a checksum into values (reference/protocols-spo2.md 3.3, 5.1;
/// protocols-multiparameter.md 3.6): the one owner of "believe a value only when consecutive
/// frames agree".
///
/// A flipped low bit cannot be seen in a single frame, so a report is believed only when
/// `confirmations` consecutive good frames agree on it; any damage (`damaged()`) restarts the
/// count. Values come once a second of device time (every `frameRate` good frames): SpO2, pulse
/// and PI as the believed report gives them (a value outside `Metric.plausibleRange` as
/// `value-implausible`), or a `value-missing` status for SpO2 and pulse, provided the report was
/// confirmed again during that second. `sensor-off`/`sensor-on` when a newly believed report's
/// sensor state changes. Pleth goes out in `.waveform` batches of `batchSize` good frames;
/// `flushBatch` closes one early (a loss of sync), so samples either side of a gap never share
/// one. Everything depends on frame counts only, never on how the bytes were split into calls.
struct ConfirmedReports<Report: ConfirmableReport>: Sendable {
    /// Consecutive identical reports needed before one is believed.
    static var confirmations: Int { 3 }

    /// Good frames a second at the device.
    let frameRate: Int
    /// Pleth samples per waveform batch.
    let batchSize: Int
    private var batch: [Int32] = []
    private var batchFlags: QualityFlags = []
    private var candidate: Report?
    private var candidateCount = 0
    private var believed: Report?
    private var confirmedThisSecond = false
    private var framesThisSecond = 0
    private var sensorOff = false

    /// Nothing seen yet.
    init(frameRate: Int, batchSize: Int) {
        self.frameRate = frameRate
        self.batchSize = batchSize
        batch.reserveCapacity(batchSize)
    }

    /// One good frame's report and pleth sample.
    mutating func add(_ report: Report, pleth: Int32, into events: inout [DecoderEvent]) {
        batch.append(pleth)
        batchFlags.formUnion(report.flags)
        if batch.count == batchSize { flushBatch(into: &events) }

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
        if framesThisSecond == frameRate {
            framesThisSecond = 0
            if confirmedThisSecond, let believed { Self.emitValues(believed, into: &events) }
            confirmedThisSecond = false
        }
    }

    /// A frame was damaged or skipped: the reports either side do not count as consecutive.
    mutating func damaged() {
        candidate = nil
        candidateCount = 0
    }

    /// Sends the pleth samples held, if any, as one batch.
    mutating func flushBatch(into events: inout [DecoderEvent]) {
        guard !batch.isEmpty else { return }
        events.append(.waveform(Waveform(sampleRate: Double(frameRate), samples: batch, flags: batchFlags)))
        batch.removeAll(keepingCapacity: true)
        batchFlags = []
    }

    private mutating func noteSensor(_ report: Report, into events: inout [DecoderEvent]) {
        let off = report.flags.contains(.sensorOff)
        guard off != sensorOff else { return }
        sensorOff = off
        events.append(.status(off ? DeviceStatus(.sensorOff, detail: report.sensorOffReason) : DeviceStatus(.sensorOn)))
    }

    private static func emitValues(_ report: Report, into events: inout [DecoderEvent]) {
        if let spo2 = report.spo2 {
            events.append(Metric.spo2.checkedReading(Double(spo2), flags: report.flags, raw: "SpO2 \(spo2)"))
        } else {
            events.append(.status(DeviceStatus(.valueMissing, metric: .spo2, detail: "SpO2 byte \(report.spo2Raw)")))
        }
        if let pulse = report.pulse {
            events.append(Metric.pulse.checkedReading(Double(pulse), flags: report.flags, raw: "pulse \(pulse)"))
        } else {
            events.append(.status(DeviceStatus(.valueMissing, metric: .pulse, detail: "pulse rate \(report.pulseRaw)")))
        }
        if let pi = report.pi {
            events.append(Metric.pi.checkedReading(pi, flags: report.flags, raw: "PI \(pi)"))
        }
    }
}

/// The framing accounts of an oximeter stream without a checksum (Contec legacy and BerryMed BCI
/// through `ContecFamilyStream`, Contec V7): statistics, sync, the good frames held while out of
/// sync, and the values (`reports`). One owner of what damage costs and of when frames count again.
///
/// Out of sync, a frame counts only when `framesToLock` good frames follow one another: random
/// bytes pass as one frame often (a Contec-family frame about once in 40 bytes, a V7 free feedback
/// `0C 80` about once in 500), which gave one status and one lost/acquired pair each (issue 12.4);
/// three in a row almost never happen by chance. The held frames are then decoded in order, so
/// sync comes back three frames after the damage and nothing intact is lost. A bad frame or a
/// skipped byte drops what is held (its bytes count as skipped) and, while in sync, loses sync
/// (one `sync-lost`); the next frame that counts regains it with one `sync-acquired` carrying the
/// bytes skipped and bad frames since (`SyncTracker`). Any damage restarts the reports' count of
/// agreeing frames; a loss of sync closes their waveform batch first.
struct UncheckedFrames<Frame: Sendable, Report: ConfirmableReport>: Sendable {
    /// Consecutive good frames needed, out of sync, before they count.
    static var framesToLock: Int { 3 }

    /// Counts of what the stream has seen so far.
    private(set) var statistics = DecoderStatistics()
    private var sync = SyncTracker()
    private var held: [(frame: Frame, start: Int, length: Int)] = []
    /// The `sync-lost` detail.
    private let lossDetail: String
    /// The values the frames that count give.
    var reports: ConfirmedReports<Report>

    /// A stream at its start, not yet in sync, of `frameRate` frames a second with pleth batches
    /// of `batchSize`.
    init(lossDetail: String, frameRate: Int, batchSize: Int) {
        self.lossDetail = lossDetail
        reports = ConfirmedReports(frameRate: frameRate, batchSize: batchSize)
        held.reserveCapacity(Self.framesToLock)
    }

    /// Whether frames count as they come.
    var inSync: Bool { sync.inSync }
    /// Bytes of the frames held out of sync.
    var heldBytes: Int { held.reduce(0) { $0 + $1.length } }

    /// Counts one byte in; returns its stream offset.
    mutating func nextByte() -> Int {
        statistics.bytes += 1
        return statistics.bytes - 1
    }

    /// A good frame of `length` bytes at `start`: true when it counts now (in sync), for the caller
    /// to `count` and decode; otherwise it is held, and `release` gives the held frames once
    /// they count.
    mutating func good(_ frame: Frame, start: Int, length: Int) -> Bool {
        guard !sync.inSync else { return true }
        held.append((frame, start, length))
        return false
    }

    /// The held frames, in order, once `framesToLock` are held or `now` (a reply the host is owed);
    /// `nil` until then. The caller `count`s and decodes each.
    mutating func release(now: Bool = false) -> [(frame: Frame, start: Int)]? {
        guard held.count >= Self.framesToLock || (now && !held.isEmpty) else { return nil }
        defer { held.removeAll(keepingCapacity: true) }
        return held.map { ($0.frame, $0.start) }
    }

    /// The frame at `start` counts: call it before the frame's own events, so `sync-acquired`
    /// comes first.
    mutating func count(start: Int, into events: inout [DecoderEvent]) {
        sync.goodFrame(at: start, statistics: &statistics, into: &events)
    }

    /// A frame that failed, `length` bytes at `start`.
    mutating func bad(start: Int, length: Int, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        statistics.skippedBytes += length
        lose(at: start, into: &events)
    }

    /// A byte outside any frame at `offset`.
    mutating func skipped(at offset: Int, into events: inout [DecoderEvent]) {
        statistics.skippedBytes += 1
        lose(at: offset, into: &events)
    }

    private mutating func lose(at offset: Int, into events: inout [DecoderEvent]) {
        reports.damaged()
        statistics.skippedBytes += heldBytes
        held.removeAll(keepingCapacity: true)
        guard sync.inSync else { return }
        reports.flushBatch(into: &events)
        let detail = lossDetail
        sync.lose(at: offset, detail, statistics: statistics, into: &events)
    }
}
