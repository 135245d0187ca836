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
/// A rejected line gives no reading and no status except a `sync-lost` (with the reason and the
/// line's byte offset) when it follows a good line. The first, usually partial, line after
/// joining a stream is not a loss: sync was never had.
public struct MasimoASCIIDecoder: DeviceDecoder {
    /// Counts of what the decoder has seen so far: frames are good lines, bad frames rejected
    /// lines, skipped bytes the bytes of rejected lines.
    public private(set) var statistics = DecoderStatistics()
    private var line: [UInt8] = []
    private var lineStart = 0
    private var lineLength = 0
    private var overlong = false
    private var inSync = false
    private var everInSync = false
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
        do {
            let parsed = try MasimoASCIILine.parse(line[...])
            accept(parsed, into: &events)
        } catch {
            statistics.skippedBytes += line.count
            reject(error, into: &events)
        }
    }

    private mutating func reject(_ why: MasimoLineRejection, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        guard inSync else { return }
        inSync = false
        events.append(.status(DeviceStatus(.syncLost, detail: "line rejected: \(why.reason)", byteOffset: lineStart)))
    }

    private mutating func accept(_ parsed: MasimoASCIILine, into events: inout [DecoderEvent]) {
        statistics.frames += 1
        let dt = parsed.deviceTime
        if !inSync {
            if everInSync {
                statistics.resyncs += 1
                events.append(.status(DeviceStatus(.syncAcquired, byteOffset: lineStart, deviceTime: dt)))
            }
            inSync = true
            everInSync = true
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
        emit(parsed.spo2.map(Double.init), .spo2, flags, dt, into: &events)
        emit(parsed.pulse.map(Double.init), .pulse, flags, dt, into: &events)
        emit(parsed.perfusionIndex, .pi, flags, dt, into: &events)
    }

    private func emit(
        _ field: MasimoASCIILine.Field<Double>, _ metric: Metric, _ flags: QualityFlags, _ dt: DeviceTime,
        into events: inout [DecoderEvent]
    ) {
        switch field {
        case .absent:
            break
        case .missing(let token):
            events.append(.status(DeviceStatus(.valueMissing, metric: metric, detail: token, deviceTime: dt)))
        case .present(let value):
            events.append(.reading(Reading(metric: metric, value: value, flags: flags, deviceTime: dt)))
        }
    }
}
