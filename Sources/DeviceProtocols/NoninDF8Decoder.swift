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
/// record that fails loses the lock (`.syncLost` with its offset, once); the next lock emits
/// `.syncAcquired`. A lone `06`/`15` before a record is the reply to the select-format command.
public struct NoninDF8Decoder: DeviceDecoder {
    /// Counts of records, bad records, skipped bytes and resyncs.
    public private(set) var statistics = DecoderStatistics()

    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var locked = false
    private var everLocked = false
    private var sensorOff = false
    private var lowBattery = false

    /// A decoder at the start of a stream.
    public init() {}

    /// Feeds `bytes`; appends the events of every record they complete.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        statistics.bytes += bytes.count
        pending.append(contentsOf: bytes)
        let data = pending
        let consumed = data.withUnsafeBufferPointer { run($0, into: &events) }
        pending.removeFirst(consumed)
        pendingOffset += consumed
    }

    private static func isReply(_ b: UInt8) -> Bool { b == 0x06 || b == 0x15 }

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
                    publish(record, into: &events)
                    pos += len
                    continue
                }
                if Self.isReply(buf[pos]) {
                    guard n - pos > len else { break }
                    if NoninDF8Record(buf, at: pos + 1) != nil {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                }
                statistics.badFrames += 1
                locked = false
                events.append(.status(DeviceStatus(
                    .syncLost, detail: "record fails the bit-7, reserved-bit or range check", byteOffset: pendingOffset + pos)))
            } else {
                let need = 2 * len
                if Self.isReply(buf[pos]) {
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
                        if everLocked {
                            statistics.resyncs += 1
                            events.append(.status(DeviceStatus(.syncAcquired, byteOffset: pendingOffset + pos)))
                        }
                        everLocked = true
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
        let ack = b == 0x06
        events.append(.status(DeviceStatus(
            ack ? .commandAccepted : .commandRejected, code: UInt32(b),
            detail: ack ? "ACK (06) to select data format" : "NAK (15) to select data format",
            byteOffset: pendingOffset + pos)))
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
            events.append(.reading(Reading(metric: .spo2, value: Double(record.spo2), flags: flags)))
        }
        if record.heartRate == NoninFloatMap.missingHR {
            events.append(.status(DeviceStatus(.valueMissing, metric: .pulse, detail: "HR-D 511: no data")))
        } else {
            events.append(.reading(Reading(metric: .pulse, value: Double(record.heartRate), flags: flags)))
        }
    }
}
