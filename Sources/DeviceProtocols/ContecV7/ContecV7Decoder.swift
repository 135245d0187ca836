import VitalsCore

/// Decodes the device side of the Contec V7.0 command protocol (reference/protocols-multiparameter.md
/// section 3, [SPEC]).
///
/// Framing: a byte with bit 7 clear starts a package if it is a known upstream type (its length
/// fixes where it ends); every following byte must have bit 7 set. A package cut short by a new
/// type byte, an unknown type byte, a stray byte with bit 7 set, or a real-time package failing its
/// range check is a bad frame or skipped byte; while in sync that loses sync (one `sync-lost`),
/// and the next good package regains it (`sync-acquired`).
///
/// There is no checksum, so values are believed only when 3 consecutive real-time packages agree
/// on SpO2, pulse, PI and status bits (as for the legacy stream); damage restarts the count.
/// Readings come once per 60 good real-time packages (one second at the spec's 60 packages/s):
/// SpO2, pulse and PI (PI only when the package carries one), or `value-missing` for SpO2 and pulse.
/// `sensor-off`/`sensor-on` when the probe-error bit changes. Pleth goes out in batches of 12.
///
/// Other packages: free feedback (0x0C, the answer to a stop) and command feedback (0x0B) as
/// `command-accepted`/`command-rejected`; a disconnect notice (0x0D) as `association-dropped`
/// with its reason; device identifiers (0x04), PI identifiers (0x0E) and the version (0x06,
/// outside V7.0 [DEC]) as `info`; other known types are counted and ignored.
public struct ContecV7Decoder: DeviceDecoder {
    /// Consecutive identical real-time reports needed before one is believed.
    static let confirmations = 3
    /// Real-time packages a second ([SPEC]: 60 +- 2).
    static let packagesPerSecond = 60
    /// Pleth samples per waveform batch (0.2 s).
    static let batchSize = 12

    /// Counts of what the decoder has seen so far.
    public private(set) var statistics = DecoderStatistics()
    private var packet: [UInt8] = []
    private var expected = 0
    private var packetStart = 0
    private var inSync = false
    private var everInSync = false
    private var batch: [Int32] = []
    private var batchFlags: QualityFlags = []
    private var candidate: ContecV7Report?
    private var candidateCount = 0
    private var believed: ContecV7Report?
    private var confirmedThisSecond = false
    private var packagesThisSecond = 0
    private var sensorOff = false

    /// A decoder at the start of a stream.
    public init() {
        packet.reserveCapacity(9)
        batch.reserveCapacity(Self.batchSize)
    }

    /// Feeds `bytes` and appends whatever they complete to `events`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        for byte in bytes {
            let offset = statistics.bytes
            statistics.bytes += 1
            if byte & 0x80 == 0 {
                if expected > 0 { reject(start: packetStart, length: packet.count, into: &events) }
                if let length = ContecV7Packet.uplinkLength(byte) {
                    packet.removeAll(keepingCapacity: true)
                    packet.append(byte)
                    expected = length
                    packetStart = offset
                } else {
                    statistics.skippedBytes += 1
                    loseSync(at: offset, into: &events)
                }
                continue
            }
            guard expected > 0 else {
                statistics.skippedBytes += 1
                loseSync(at: offset, into: &events)
                continue
            }
            packet.append(byte)
            if packet.count == expected {
                expected = 0
                process(into: &events)
            }
        }
    }

    private mutating func process(into events: inout [DecoderEvent]) {
        let type = packet[0]
        if type == 0x01 {
            let frame = packet.withUnsafeBufferPointer { ContecV7RealTime($0) }
            guard let frame else {
                reject(start: packetStart, length: packet.count, into: &events)
                return
            }
            accepted(into: &events)
            realTime(frame, into: &events)
            return
        }
        accepted(into: &events)
        let data: [UInt8] = packet.withUnsafeBufferPointer { p in (2..<p.count).map { ContecV7Packet.restored(p, $0) } }
        switch type {
        case 0x0C:
            events.append(.status(DeviceStatus(.commandAccepted, code: 0x0C, detail: "free feedback: real-time or storage data stopped",
                                               byteOffset: packetStart)))
        case 0x0B:
            let reason = data[1]
            let text = "command \(Self.hex(data[0])): \(Self.reason(reason))"
            events.append(.status(DeviceStatus(reason == 0 ? .commandAccepted : .commandRejected, code: UInt32(reason),
                                               detail: text, byteOffset: packetStart)))
        case 0x0D:
            events.append(.status(DeviceStatus(.associationDropped, code: UInt32(data[0]),
                                               detail: "device disconnects: \(Self.reason(data[0]))", byteOffset: packetStart)))
        case 0x0E:
            events.append(.status(DeviceStatus(.info, code: UInt32(data[0]),
                                               detail: data[0] == 0 ? "real-time data carries PI" : "real-time data carries no PI",
                                               byteOffset: packetStart)))
        case 0x04:
            let text = String(decoding: data.map { $0 & 0x7F }.filter { $0 >= 0x20 }, as: UTF8.self)
            events.append(.status(DeviceStatus(.info, detail: "device identifier \"\(text)\"", byteOffset: packetStart)))
        case 0x06:
            events.append(.status(DeviceStatus(.info, detail: "version \(data[0]).\(data[1]) (outside V7.0, [DEC])",
                                               byteOffset: packetStart)))
        default:
            break
        }
    }

    /// Reason codes of [SPEC] Table 4.
    static func reason(_ code: UInt8) -> String {
        switch code {
        case 0x00: "completed"
        case 0x01: "shut down device"
        case 0x02: "exchange users"
        case 0x03: "recording"
        case 0x04: "failure to delete the storage data"
        case 0x05: "not supported"
        case 0xFF: "unknown"
        default: "reason \(code)"
        }
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
    }

    private mutating func accepted(into events: inout [DecoderEvent]) {
        statistics.frames += 1
        guard !inSync else { return }
        if everInSync {
            statistics.resyncs += 1
            events.append(.status(DeviceStatus(.syncAcquired, byteOffset: packetStart)))
        }
        inSync = true
        everInSync = true
    }

    private mutating func reject(start: Int, length: Int, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        statistics.skippedBytes += length
        expected = 0
        loseSync(at: start, into: &events)
    }

    private mutating func loseSync(at offset: Int, into events: inout [DecoderEvent]) {
        candidate = nil
        candidateCount = 0
        guard inSync else { return }
        inSync = false
        flushBatch(into: &events)
        events.append(.status(DeviceStatus(.syncLost, detail: "package damaged or out of step", byteOffset: offset)))
    }

    private mutating func realTime(_ frame: ContecV7RealTime, into events: inout [DecoderEvent]) {
        let report = frame.report
        batch.append(Int32(frame.pleth))
        batchFlags.formUnion(report.flags)
        if batch.count == Self.batchSize { flushBatch(into: &events) }

        if report == candidate {
            candidateCount += 1
        } else {
            candidate = report
            candidateCount = 1
        }
        if candidateCount >= Self.confirmations {
            if report != believed {
                believed = report
                let off = report.flags.contains(.sensorOff)
                if off != sensorOff {
                    sensorOff = off
                    events.append(.status(off ? DeviceStatus(.sensorOff, detail: "finger out (probe error)") : DeviceStatus(.sensorOn)))
                }
            }
            confirmedThisSecond = true
        }
        packagesThisSecond += 1
        if packagesThisSecond == Self.packagesPerSecond {
            packagesThisSecond = 0
            if confirmedThisSecond, let believed { emitValues(believed, into: &events) }
            confirmedThisSecond = false
        }
    }

    private func emitValues(_ r: ContecV7Report, into events: inout [DecoderEvent]) {
        if let spo2 = r.spo2 {
            events.append(.reading(Reading(metric: .spo2, value: Double(spo2), flags: r.flags)))
        } else {
            events.append(.status(DeviceStatus(.valueMissing, metric: .spo2, detail: "SpO2 byte \(r.spo2Raw)")))
        }
        if let pulse = r.pulse {
            events.append(.reading(Reading(metric: .pulse, value: Double(pulse), flags: r.flags)))
        } else {
            events.append(.status(DeviceStatus(.valueMissing, metric: .pulse, detail: "pulse rate \(r.pulseRaw)")))
        }
        if let pi = r.pi, Metric.pi.plausibleRange.contains(pi) {
            events.append(.reading(Reading(metric: .pi, value: pi, flags: r.flags)))
        }
    }

    private mutating func flushBatch(into events: inout [DecoderEvent]) {
        guard !batch.isEmpty else { return }
        events.append(.waveform(Waveform(sampleRate: Double(Self.packagesPerSecond), samples: batch, flags: batchFlags)))
        batch.removeAll(keepingCapacity: true)
        batchFlags = []
    }
}
