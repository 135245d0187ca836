import VitalsCore

/// The decoder of Nonin's ASCII real-time output: `SPO2=XXX HR=YYY` lines ending in CR/LF, one a
/// second (reference protocols-spo2.md 1.11; line grammar in `NoninASCIILine`).
///
/// A data line gives an SpO2 and a pulse reading, or `.status(.valueMissing)` for `---`. The
/// format has no status bits: `---` is all it says when there is no finger, so no `.sensorOff`
/// status is inferred and readings carry no flags. An `HH:MM:SS` prefix becomes
/// `DeviceTime(.counter)` in milliseconds since the device's midnight (the line has no date).
/// CR, LF or CR LF end a line; empty lines and headers are ignored. Bytes that are not ASCII at
/// a line's start or end are left out (counted as skipped): a line is judged by its fields.
///
/// Line noise: C0 control bytes other than CR, LF and TAB (NUL, which is also how a BREAK
/// arrives, XON/XOFF, ...) are dropped wherever they come and counted in
/// `statistics.controlBytes`; they never cost the line around them. Dropping one cannot forge a
/// value: the fields have fixed widths, so a control byte that replaced a character leaves a
/// field one short and the line is rejected.
///
/// Checks (issue 12.5; the format has no checksum): a data line whose value field is not three
/// digits or `---` gives `field-malformed` for that metric (with the field's text and byte
/// offset) and no reading for it; a value outside `Metric.plausibleRange` gives
/// `value-implausible`. A line that mentions SPO2/HR= in any other shape is a bad frame and gives
/// one `field-malformed` (no metric). A line with a non-ASCII byte, or longer than 80 bytes, is
/// garbage: a bad frame, and `.syncLost` with the line's offset if the decoder was in step; the
/// next data line emits one `.syncAcquired` with the bytes skipped and bad lines since
/// (`SyncTracker`). A partial line at the very start of a stream is dropped without a status.
/// Memory: at most `maximumLineLength` bytes of the current line are kept.
public struct NoninASCIIDecoder: DeviceDecoder {
    /// Counts of data lines, bad lines, skipped bytes, dropped control bytes and resyncs.
    public private(set) var statistics = DecoderStatistics()

    /// The longest line accepted, without its terminator.
    public static let maximumLineLength = 80

    private var line: [UInt8] = []
    private var lineStart = 0
    private var lineBytes = 0
    private var overflow = false
    private var offset = 0
    private var sync = SyncTracker()
    /// False until the first CR or LF: the first line is usually the tail of one sent before the
    /// bridge joined, and gives no status.
    private var sawLineEnd = false

    /// A decoder at the start of a stream.
    public init() {
        line.reserveCapacity(Self.maximumLineLength)
    }

    /// Bytes of the current, unfinished line held in memory (never more than
    /// `maximumLineLength`): for tests of the bound.
    var bufferedBytes: Int { line.count }

    /// Feeds `bytes`; appends the events of every line they complete.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        statistics.bytes += bytes.count
        for b in bytes {
            if b == 0x0D || b == 0x0A {
                endLine(into: &events)
            } else if b < 0x20 && b != 0x09 {
                statistics.controlBytes += 1
            } else {
                if lineBytes == 0 { lineStart = offset }
                lineBytes += 1
                if line.count < Self.maximumLineLength { line.append(b) } else { overflow = true }
            }
            offset += 1
        }
    }

    private mutating func endLine(into events: inout [DecoderEvent]) {
        defer {
            line.removeAll(keepingCapacity: true)
            lineBytes = 0
            overflow = false
        }
        let first = !sawLineEnd
        sawLineEnd = true
        guard lineBytes > 0 else { return }
        let core = overflow ? 0..<line.count : textLineCore(line)
        let edges = line.count - core.count
        statistics.skippedBytes += edges
        lineStart += core.lowerBound
        guard !core.isEmpty else { return }
        let kind: NoninASCIILine.Kind = overflow
            ? .malformed("line longer than \(Self.maximumLineLength) bytes")
            : NoninASCIILine.parse(line[core])
        switch kind {
        case .header:
            return
        case .malformed(let why):
            statistics.badFrames += 1
            statistics.skippedBytes += lineBytes - edges
            if overflow || !line[core].allSatisfy({ $0 < 0x7F }) {
                sync.lose(at: lineStart, "line rejected: \(why)", statistics: statistics, into: &events)
            } else if !first {
                let text = String(decoding: line[core], as: UTF8.self)
                events.append(.status(DeviceStatus(.fieldMalformed, detail: "\(why): \(text)", byteOffset: lineStart)))
            }
        case .data(let data):
            statistics.frames += 1
            sync.acquire(at: lineStart, statistics: &statistics, into: &events)
            let time = data.timeOfDay.map { DeviceTime(milliseconds: Int64($0) * 1000, kind: .counter) }
            value(data.spo2, problem: data.spo2Problem, .spo2, "SPO2", at: data.spo2Offset, time, into: &events)
            value(data.heartRate, problem: data.heartRateProblem, .pulse, "HR", at: data.heartRateOffset, time, into: &events)
        }
    }

    private func value(
        _ v: Int?, problem: String?, _ metric: Metric, _ name: String, at fieldOffset: Int, _ time: DeviceTime?,
        into events: inout [DecoderEvent]
    ) {
        // Control bytes were dropped from `line`, so the field's stream offset is approximate when
        // one came before it on the line.
        let at = lineStart + fieldOffset
        if let problem {
            events.append(.status(DeviceStatus(.fieldMalformed, metric: metric, detail: problem, byteOffset: at, deviceTime: time)))
        } else if let v {
            events.append(metric.checkedReading(Double(v), deviceTime: time, raw: "\(name)=\(Self.three(v))", byteOffset: at))
        } else {
            events.append(.status(DeviceStatus(.valueMissing, metric: metric, detail: "\(name)=---", deviceTime: time)))
        }
    }

    private static func three(_ v: Int) -> String {
        v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)"
    }
}
