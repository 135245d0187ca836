import VitalsCore

/// The decoder of Nonin DF8: one 4-byte record a second (reference protocols-spo2.md 1.8).
///
/// DF8 carries the 4-beat *display* values (1.5-s update), which the device keeps for 10 s after
/// the finger comes out, with SNSA set. So a value that arrives with SNSA set is published with
/// `.held` and `.sensorOff`: it is evidence, never a live reading. Missing values (SpO2 127,
/// HR 511) give `.status(.valueMissing)`; `.sensorOff`/`.sensorOn`/`.lowBattery` statuses mark
/// transitions.
///
/// Framing: records have no checksum, so the decoder checks the bit-7 pattern 1,0,0,0, every
/// reserved bit and the SpO2 range (see `NoninDF8Record`). Hunting, it trusts a lock only when
/// two consecutive records pass (a random 4-byte window passes alone about once in 400), so the
/// first record of a stream or after a loss is published when the second arrives. Locked, a
/// record that fails loses the lock (`.syncLost` with its offset, once); the next lock emits one
/// `.syncAcquired` with the bytes skipped and bad records since (`SyncTracker`). Replies to the
/// select-format command: after the host wrote it, the first `06`/`15` where a record could
/// start is reported when it arrives (`NoninReplyWatch`); otherwise a lone `06`/`15` before a
/// record is taken as one. Values outside `Metric.plausibleRange` give `value-implausible`.
public struct NoninDF8Decoder: DeviceDecoder {
    /// Counts of records, bad records, skipped bytes and resyncs.
    public private(set) var statistics = DecoderStatistics()

    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var locked = false
    private var sync = SyncTracker()
    private var watch = NoninReplyWatch()
    private var sensorOff = false
    private var lowBattery = false

    /// A decoder at the start of a stream.
    public init() {}

    /// Feeds `bytes`; appends the events of every record they complete.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        statistics.bytes += bytes.count
        pending.append(contentsOf: bytes)
        var data: [UInt8] = []
        swap(&data, &pending)
        let consumed = data.withUnsafeBufferPointer { run($0, into: &events) }
        data.removeFirst(consumed)
        swap(&data, &pending)
        pendingOffset += consumed
    }

    /// Unconsumed bytes held between calls: for tests of the bound.
    var bufferedBytes: Int { pending.count }

    public mutating func hostWrote(_ bytes: [UInt8]) {
        watch.hostWrote(bytes, at: statistics.bytes)
    }

    private static func isReply(_ b: UInt8) -> Bool { NoninReplyWatch.isReply(b) }

    private func canLock(_ buf: UnsafeBufferPointer<UInt8>, at p: Int) -> Bool {
        NoninDF8Record(buf, at: p) != nil && NoninDF8Record(buf, at: p + NoninDF8Record.length) != nil
    }

    private mutating func run(_ buf: UnsafeBufferPointer<UInt8>, into events: inout [DecoderEvent]) -> Int {
        let n = buf.count
        let len = NoninDF8Record.length
        var pos = 0
        while pos < n {
            if locked {
                guard n - pos >= len else { break }
                if let record = NoninDF8Record(buf, at: pos) {
                    statistics.frames += 1
                    sync.acquire(at: pendingOffset + pos, statistics: &statistics, into: &events)
                    publish(record, into: &events)
                    pos += len
                    continue
                }
                if Self.isReply(buf[pos]) {
                    if watch.awaits(at: pendingOffset + pos) {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                    guard n - pos > len else { break }
                    if NoninDF8Record(buf, at: pos + 1) != nil {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                }
                statistics.badFrames += 1
                locked = false
                sync.lose(
                    at: pendingOffset + pos, "record fails the bit-7, reserved-bit or range check",
                    statistics: statistics, into: &events)
            } else {
                let need = 2 * len
                if Self.isReply(buf[pos]) {
                    if watch.awaits(at: pendingOffset + pos) {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                    guard n - pos > need else { break }
                    if canLock(buf, at: pos + 1) {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                } else {
                    guard n - pos >= need else { break }
                    if canLock(buf, at: pos) {
                        locked = true
                        sync.acquire(at: pendingOffset + pos, statistics: &statistics, into: &events)
                        continue
                    }
                }
                statistics.skippedBytes += 1
                pos += 1
            }
        }
        return pos
    }

    private mutating func reply(_ b: UInt8, at pos: Int, into events: inout [DecoderEvent]) {
        events.append(.status(watch.reply(b, at: pendingOffset + pos, fallback: NoninSelectFormat.df8)))
    }

    private mutating func publish(_ record: NoninDF8Record, into events: inout [DecoderEvent]) {
        var flags = record.flags
        let off = record.sensorAlarm
        if off != sensorOff {
            sensorOff = off
            events.append(.status(DeviceStatus(
                off ? .sensorOff : .sensorOn,
                detail: off ? "SNSA: sensor alarm, no usable data (finger out?)" : "SNSA clear: sensor reports usable data")))
        }
        let battery = flags.contains(.lowBattery)
        if battery, !lowBattery { events.append(.status(DeviceStatus(.lowBattery, detail: "Status2 LOW BAT"))) }
        lowBattery = battery
        if off { flags.insert(.held) }

        if record.spo2 == NoninFloatMap.missingSpO2 {
            events.append(.status(DeviceStatus(.valueMissing, metric: .spo2, detail: "SpO2-D 127: no data")))
        } else {
            events.append(Metric.spo2.checkedReading(Double(record.spo2), flags: flags, raw: "SpO2-D \(record.spo2)"))
        }
        if record.heartRate == NoninFloatMap.missingHR {
            events.append(.status(DeviceStatus(.valueMissing, metric: .pulse, detail: "HR-D 511: no data")))
        } else {
            events.append(Metric.pulse.checkedReading(Double(record.heartRate), flags: flags, raw: "HR-D \(record.heartRate)"))
        }
    }
}
