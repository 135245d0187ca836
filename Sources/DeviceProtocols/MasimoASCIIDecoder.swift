import VitalsCore

/// Decodes Masimo Rad-8 / Radical-7 / Rad-87 serial output, ASCII 1 or ASCII 2
/// (reference/protocols-spo2.md 2), one text line a second, read as `MasimoASCIILine` says.
///
/// Lines end CR LF; a lone CR or LF ends a line too, and empty lines are ignored. A line longer
/// than `MasimoASCIILine.maxLength` is a bad frame as soon as it gets that long; the rest of it
/// is skipped up to the next CR or LF without being kept, so garbage never grows the buffer.
///
/// For each good line, in order: `sync-acquired` if sync had been lost; `info` when the serial
/// number (`SN=`) first appears or changes; `device-exception` (code = the EXC bits) when the
/// exception bits other than SET change, from none at the start; `device-alarm` (code = the
/// ALARM bits) when they change, from none; `sensor-off` / `sensor-on` when the EXC bits that
/// mean no usable sensor change; then for SPO2, BPM/PR and PI a reading, or a `value-missing`
/// status for dashes or zeros. Readings and statuses carry the line's date and time as a
/// `.clock` device time. Flags on readings: `MasimoExceptionBits.flags` of the EXC bits and
/// `MasimoAlarmBits.flags` of the ALARM bits on the same line.
///
/// Bytes that are not ASCII at a line's start or end (a BREAK read as 0xFF) are left out and
/// counted as skipped: a line is judged by its fields, not by stray bytes at its edges.
///
/// Line noise: C0 control bytes other than CR, LF and TAB (the NUL a Radical-7 sends before each
/// line, a BREAK, XON/XOFF) are dropped wherever they come and counted in
/// `statistics.controlBytes`; they never cost the line around them (issue 13.3). Dropping one
/// cannot forge a value: every value has a fixed width, so a control byte that replaced a
/// character leaves its field one short.
///
/// Checks (issue 12.5; the format has no checksum): a value field not in its exact syntax gives
/// `field-malformed` for its metric (with the token and its byte offset) and no reading, the other
/// fields still count; a value outside `Metric.plausibleRange` gives `value-implausible`. A data
/// line (date and time good) that cannot be used as a whole (a name twice, EXC or ALARM
/// malformed, no value token) gives one `field-malformed` without a metric and no values. A zero
/// or impossible device clock (`00/00/00 00:00:00`) gives `clock-invalid` when the clock turns
/// bad, and the line's readings carry no device time (they keep host time).
///
/// Any other rejected line (non-ASCII bytes, no date and time, over-long) is garbage: a bad frame
/// and, after a good line, one `sync-lost` with the reason and the line's byte offset; the next
/// good line gives one `sync-acquired` with the bytes skipped and bad lines since
/// (`SyncTracker`). The first, usually partial, line after joining a stream is not a loss: sync
/// was never had.
public struct MasimoASCIIDecoder: DeviceDecoder {
    /// Counts of what the decoder has seen so far: frames are good lines, bad frames rejected
    /// lines, skipped bytes the bytes of rejected lines.
    public private(set) var statistics = DecoderStatistics()
    private var line: [UInt8] = []
    private var lineStart = 0
    private var lineLength = 0
    private var overlong = false
    private var sync = SyncTracker()
    private var clockInvalid = false
    private var exceptionBits: UInt32 = 0
    private var alarmBits: UInt32 = 0
    private var sensorOff = false
    private var serialNumber: String?

    /// Bytes of the current, unfinished line held in memory (never more than
    /// `MasimoASCIILine.maxLength`): for tests of the bound.
    var bufferedBytes: Int { line.count }

    /// A decoder at the start of a stream.
    public init() {
        line.reserveCapacity(MasimoASCIILine.maxLength)
    }

    /// Feeds `bytes` and appends whatever they complete to `events`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        for byte in bytes {
            let offset = statistics.bytes
            statistics.bytes += 1
            if byte == 0x0D || byte == 0x0A {
                endLine(into: &events)
                continue
            }
            if byte < 0x20 && byte != 0x09 {
                statistics.controlBytes += 1
                continue
            }
            if lineLength == 0 { lineStart = offset }
            lineLength += 1
            if overlong {
                statistics.skippedBytes += 1
            } else if line.count < MasimoASCIILine.maxLength {
                line.append(byte)
            } else {
                overlong = true
                statistics.skippedBytes += lineLength
                line.removeAll(keepingCapacity: true)
                reject(MasimoLineRejection("line longer than \(MasimoASCIILine.maxLength) bytes"), into: &events)
            }
        }
    }

    private mutating func endLine(into events: inout [DecoderEvent]) {
        defer {
            line.removeAll(keepingCapacity: true)
            lineLength = 0
            overlong = false
        }
        guard !overlong, !line.isEmpty else { return }
        let core = textLineCore(line)
        statistics.skippedBytes += line.count - core.count
        lineStart += core.lowerBound
        lineLength = core.count
        guard !core.isEmpty else { return }
        do {
            let parsed = try MasimoASCIILine.parse(line[core])
            accept(parsed, into: &events)
        } catch {
            statistics.skippedBytes += core.count
            reject(error, into: &events)
        }
    }

    private mutating func reject(_ why: MasimoLineRejection, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        if why.looksLikeData {
            events.append(.status(DeviceStatus(.fieldMalformed, detail: "line rejected: \(why.reason)", byteOffset: lineStart)))
        } else {
            sync.lose(at: lineStart, "line rejected: \(why.reason)", statistics: statistics, into: &events)
        }
    }

    private mutating func accept(_ parsed: MasimoASCIILine, into events: inout [DecoderEvent]) {
        let dt = parsed.deviceTime
        if let problem = parsed.lineProblem {
            statistics.badFrames += 1
            statistics.skippedBytes += lineLength
            events.append(.status(DeviceStatus(.fieldMalformed, detail: "line rejected: \(problem)", byteOffset: lineStart, deviceTime: dt)))
            return
        }
        statistics.frames += 1
        sync.acquire(at: lineStart, statistics: &statistics, deviceTime: dt, into: &events)
        let badClock = parsed.clockText != nil
        if badClock != clockInvalid {
            clockInvalid = badClock
            if let text = parsed.clockText {
                events.append(.status(DeviceStatus(
                    .clockInvalid, detail: "device clock \(text) is not a possible time: readings keep host time",
                    byteOffset: lineStart)))
            }
        }
        if let sn = parsed.serialNumber, sn != serialNumber {
            serialNumber = sn
            events.append(.status(DeviceStatus(.info, detail: "serial number \(sn)", deviceTime: dt)))
        }
        var flags: QualityFlags = []
        if let exc = parsed.exception {
            flags.formUnion(MasimoExceptionBits.flags(for: exc))
            let bits = exc & ~MasimoExceptionBits.set
            if bits != exceptionBits {
                exceptionBits = bits
                events.append(.status(DeviceStatus(
                    .deviceException, code: exc, detail: MasimoExceptionBits.labels(for: exc), deviceTime: dt)))
            }
            let off = flags.contains(.sensorOff)
            if off != sensorOff {
                sensorOff = off
                let status = off
                    ? DeviceStatus(.sensorOff, detail: MasimoExceptionBits.labels(for: exc), deviceTime: dt)
                    : DeviceStatus(.sensorOn, deviceTime: dt)
                events.append(.status(status))
            }
        }
        if let alarm = parsed.alarm {
            flags.formUnion(MasimoAlarmBits.flags(for: alarm))
            if alarm != alarmBits {
                alarmBits = alarm
                events.append(.status(DeviceStatus(
                    .deviceAlarm, code: alarm, detail: MasimoAlarmBits.labels(for: alarm), deviceTime: dt)))
            }
        }
        emit(parsed.spo2.map(Double.init), .spo2, "SPO2", parsed.spo2Offset, flags, dt, into: &events)
        emit(parsed.pulse.map(Double.init), .pulse, "BPM", parsed.pulseOffset, flags, dt, into: &events)
        emit(parsed.perfusionIndex, .pi, "PI", parsed.perfusionIndexOffset, flags, dt, into: &events)
    }

    /// `offset` is the token's place in the line; control bytes dropped before it make the stream
    /// offset approximate.
    private func emit(
        _ field: MasimoASCIILine.Field<Double>, _ metric: Metric, _ name: String, _ offset: Int, _ flags: QualityFlags,
        _ dt: DeviceTime?, into events: inout [DecoderEvent]
    ) {
        switch field {
        case .absent:
            break
        case .missing(let token):
            events.append(.status(DeviceStatus(.valueMissing, metric: metric, detail: token, deviceTime: dt)))
        case .malformed(let why):
            events.append(.status(DeviceStatus(.fieldMalformed, metric: metric, detail: why, byteOffset: lineStart + offset, deviceTime: dt)))
        case .present(let value):
            events.append(metric.checkedReading(
                value, flags: flags, deviceTime: dt,
                raw: "\(name)=\(value == value.rounded() ? String(Int(value)) : String(value))", byteOffset: lineStart + offset))
        }
    }
}
