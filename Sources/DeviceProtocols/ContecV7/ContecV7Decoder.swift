import VitalsCore

/// Decodes the device side of the Contec V7.0 command protocol (reference/protocols-multiparameter.md
/// section 3, [SPEC]).
///
/// Framing: a byte with bit 7 clear starts a package if it is a known upstream type (its length
/// fixes where it ends); every following byte must have bit 7 set. A package cut short by a new
/// type byte, an unknown type byte, a stray byte with bit 7 set, or a real-time package failing its
/// range check is a bad frame or skipped byte. What that costs, and when packages count again, is
/// `UncheckedFrames`'s: one `sync-lost` per loss, one `sync-acquired` with the counts, and out of
/// sync a package counts only when three good ones follow one another (random bytes pass as the
/// 2-byte free feedback `0C 80` about once in 500 bytes: up to ~19 k statuses per MiB of garbage
/// before). The exception is the reply the host is owed: after the host wrote a command
/// (`hostWrote`), the first command or free feedback package (0x0B, 0x0C) within `replyWindow`
/// bytes is decoded when it arrives, with the packages held before it, whatever follows (issue
/// 13.4).
///
/// Values: with no checksum, a report is believed only when consecutive real-time packages agree
/// on SpO2, pulse, PI and status bits, and published once per 60 good real-time packages (one
/// second at the spec's 60 packages/s): SpO2, pulse and PI (PI only when the package carries one),
/// or `value-missing` for SpO2 and pulse; `sensor-off`/`sensor-on` when the probe-error bit
/// changes (`ConfirmedReports`). Pleth goes out in batches of 12.
///
/// Other packages: free feedback (0x0C, the answer to a stop) and command feedback (0x0B) as
/// `command-accepted`/`command-rejected`; a disconnect notice (0x0D) as `association-dropped`
/// with its reason; device identifiers (0x04), PI identifiers (0x0E) and the version (0x06,
/// outside V7.0 [DEC]) as `info`; other known types are counted and ignored.
public struct ContecV7Decoder: DeviceDecoder {
    /// Real-time packages a second ([SPEC]: 60 +- 2).
    static let packagesPerSecond = 60
    /// Pleth samples per waveform batch (0.2 s).
    static let batchSize = 12
    /// Bytes after a host command within which a feedback package is taken as its reply: about
    /// 2 s of real-time packages (60 of 9 bytes a second); the device answers at once.
    static let replyWindow = 1024

    /// Counts of what the decoder has seen so far.
    public var statistics: DecoderStatistics { frames.statistics }
    private var frames = UncheckedFrames<Package, ContecV7Report>(
        lossDetail: "package damaged or out of step", frameRate: packagesPerSecond, batchSize: batchSize)
    private var packet: [UInt8] = []
    private var expected = 0
    private var packetStart = 0
    /// The stream offset up to which a reply to the host's last command is awaited; `nil` when
    /// none is.
    private var replyDue: Int?

    /// A good package: its bytes, and its fields when it is a real-time one.
    struct Package: Sendable {
        var bytes: [UInt8]
        var realTime: ContecV7RealTime?
    }

    /// A decoder at the start of a stream.
    public init() {
        packet.reserveCapacity(9)
    }

    /// Unconsumed bytes held between calls (the package being read and those held out of
    /// sync): for tests of the bound.
    var bufferedBytes: Int { (expected > 0 ? packet.count : 0) + frames.heldBytes }

    /// The host wrote a command: its feedback is awaited from here on.
    public mutating func hostWrote(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        replyDue = frames.statistics.bytes + Self.replyWindow
    }

    /// Feeds `bytes` and appends whatever they complete to `events`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        for byte in bytes {
            let offset = frames.nextByte()
            if byte & 0x80 == 0 {
                if expected > 0 { reject(start: packetStart, length: packet.count, into: &events) }
                if let length = ContecV7Packet.uplinkLength(byte) {
                    packet.removeAll(keepingCapacity: true)
                    packet.append(byte)
                    expected = length
                    packetStart = offset
                } else {
                    frames.skipped(at: offset, into: &events)
                }
                continue
            }
            guard expected > 0 else {
                frames.skipped(at: offset, into: &events)
                continue
            }
            packet.append(byte)
            if packet.count == expected {
                expected = 0
                complete(into: &events)
            }
        }
    }

    /// A package of its type's length has arrived in `packet`.
    private mutating func complete(into events: inout [DecoderEvent]) {
        var realTime: ContecV7RealTime?
        if packet[0] == 0x01 {
            realTime = packet.withUnsafeBufferPointer { ContecV7RealTime($0) }
            guard realTime != nil else {
                reject(start: packetStart, length: packet.count, into: &events)
                return
            }
        }
        let package = Package(bytes: packet, realTime: realTime)
        if frames.good(package, start: packetStart, length: packet.count) {
            process(package, start: packetStart, into: &events)
            return
        }
        let isReply = packet[0] == 0x0B || packet[0] == 0x0C
        if let held = frames.release(now: isReply && replyDue.map { packetStart <= $0 } == true) {
            for h in held { process(h.frame, start: h.start, into: &events) }
        }
    }

    /// Decodes one good package.
    private mutating func process(_ package: Package, start: Int, into events: inout [DecoderEvent]) {
        frames.count(start: start, into: &events)
        if let realTime = package.realTime {
            frames.reports.add(realTime.report, pleth: Int32(realTime.pleth), into: &events)
            return
        }
        let p = package.bytes
        let type = p[0]
        if type == 0x0B || type == 0x0C { replyDue = nil }
        let data: [UInt8] = p.withUnsafeBufferPointer { b in (2..<b.count).map { ContecV7Packet.restored(b, $0) } }
        switch type {
        case 0x0C:
            events.append(.status(DeviceStatus(.commandAccepted, code: 0x0C, detail: "free feedback: real-time or storage data stopped",
                                               byteOffset: start)))
        case 0x0B:
            let reason = data[1]
            let text = "command \(Self.hex(data[0])): \(Self.reason(reason))"
            events.append(.status(DeviceStatus(reason == 0 ? .commandAccepted : .commandRejected, code: UInt32(reason),
                                               detail: text, byteOffset: start)))
        case 0x0D:
            events.append(.status(DeviceStatus(.associationDropped, code: UInt32(data[0]),
                                               detail: "device disconnects: \(Self.reason(data[0]))", byteOffset: start)))
        case 0x0E:
            events.append(.status(DeviceStatus(.info, code: UInt32(data[0]),
                                               detail: data[0] == 0 ? "real-time data carries PI" : "real-time data carries no PI",
                                               byteOffset: start)))
        case 0x04:
            let text = String(decoding: data.map { $0 & 0x7F }.filter { $0 >= 0x20 }, as: UTF8.self)
            events.append(.status(DeviceStatus(.info, detail: "device identifier \"\(text)\"", byteOffset: start)))
        case 0x06:
            events.append(.status(DeviceStatus(.info, detail: "version \(data[0]).\(data[1]) (outside V7.0, [DEC])",
                                               byteOffset: start)))
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

    private mutating func reject(start: Int, length: Int, into events: inout [DecoderEvent]) {
        expected = 0
        frames.bad(start: start, length: length, into: &events)
    }
}
