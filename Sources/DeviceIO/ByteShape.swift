import DeviceProtocols

/// What a run of bytes that no profile decoded looks like, judged by its structure alone (no
/// checksum, no field values): the probe's report when it cannot identify a device, so the room
/// says "bytes at 115200 8N1 look like the newer Contec protocol" instead of nothing.
///
/// The shapes are each protocol's framing as reference/protocols-spo2.md and
/// protocols-multiparameter.md describe it; a shape is only named when at least 80 % of the
/// bytes (after the first partial frame) fall into it and at least 8 units were seen.
public enum ByteShape: Sendable, Hashable, CustomStringConvertible {
    /// Contec V7.0 packages: a type byte with bit 7 clear (a known uplink type), then the
    /// high-bits byte and payload with bit 7 set (protocols-multiparameter.md 3.3).
    case contecV7
    /// 5-byte groups whose first byte alone has bit 7 set: the legacy Contec CMS50 stream and
    /// BerryMed's BCI share it (protocols-spo2.md 3.3, 5.1).
    case bit7Sync5
    /// Nonin 5-byte frames: `01`, a status byte with bit 7 set, two data bytes, an additive
    /// checksum (protocols-spo2.md 1.4).
    case noninFrames
    /// Printable ASCII lines; `sample` is the first whole line, control bytes shown as `^X`.
    case textLines(sample: String)
    /// Frames delimited by 0x7E flags with 0x7D escapes (the GE S/5 computer interface's framing).
    case flagFramed7E
    /// Frames delimited by 0xC0 ... 0xC1 (the IntelliVue RS-232 Data Export framing).
    case framedC0C1
    /// Mostly 0x00, 0x80 and 0xF0...0xFF, or bytes with parity errors marked: what a line read at
    /// the wrong speed gives.
    case wrongSpeed
    /// Nothing recognisable; `head` is the first bytes in hex.
    case unrecognised(head: String)

    /// `the newer Contec protocol (V7.0: a type byte, then bytes with bit 7 set)`.
    public var description: String {
        switch self {
        case .contecV7: "the newer Contec protocol (V7.0 packages: a type byte, then bytes with bit 7 set)"
        case .bit7Sync5: "5-byte packets with a bit-7 sync byte (the legacy Contec CMS50 stream or BerryMed BCI)"
        case .noninFrames: "Nonin 5-byte frames (01, status, data, checksum)"
        case .textLines(let sample): "text lines (\"\(sample)\")"
        case .flagFramed7E: "frames delimited by 0x7E (the GE S/5 computer interface's framing)"
        case .framedC0C1: "frames delimited by 0xC0 ... 0xC1 (the Philips IntelliVue data export framing)"
        case .wrongSpeed: "noise typical of a line read at the wrong speed (mostly 0x00, 0x80, 0xF0-0xFF)"
        case .unrecognised(let head): "no known shape (first bytes \(head))"
        }
    }

    /// True for the shapes that name a protocol (not noise nor the unrecognised).
    public var isProtocol: Bool {
        switch self {
        case .contecV7, .bit7Sync5, .noninFrames, .textLines, .flagFramed7E, .framedC0C1: true
        case .wrongSpeed, .unrecognised: false
        }
    }

    /// The shape of `bytes`, or `nil` for too few bytes (under 16) to say.
    public static func recognise(_ bytes: [UInt8]) -> ByteShape? {
        guard bytes.count >= 16 else { return nil }
        if let text = textShape(bytes) { return text }
        if coverage(bytes, unit: contecV7Unit) >= 0.8 { return .contecV7 }
        if coverage(bytes, unit: noninUnit) >= 0.8 { return .noninFrames }
        if coverage(bytes, unit: bit7Sync5Unit) >= 0.8 { return .bit7Sync5 }
        let flags = bytes.count { $0 == 0x7E }
        if flags >= 4, bytes.count / flags <= 256, bytes.first(where: { $0 == 0x7E }) != nil,
           (bytes.lastIndex(of: 0x7E) ?? 0) - (bytes.firstIndex(of: 0x7E) ?? 0) >= bytes.count / 2 {
            return .flagFramed7E
        }
        let starts = bytes.count { $0 == 0xC0 }, ends = bytes.count { $0 == 0xC1 }
        if starts >= 2, abs(starts - ends) <= 1, bytes.count / starts <= 512 { return .framedC0C1 }
        let speedNoise = bytes.count { $0 == 0x00 || $0 == 0x80 || $0 >= 0xF0 }
        if Double(speedNoise) / Double(bytes.count) >= 0.6 { return .wrongSpeed }
        return .unrecognised(head: bytes.prefix(8).map { hex($0) }.joined(separator: " "))
    }

    // MARK: - Units

    /// Length of the unit starting at `i`, or nil when none starts there.
    typealias Unit = @Sendable ([UInt8], Int) -> Int?

    /// Share of the bytes from the first unit on that are covered by consecutive units (a unit
    /// that fails restarts the search one byte later); 0 with fewer than 8 units.
    static func coverage(_ bytes: [UInt8], unit: Unit) -> Double {
        var i = 0, covered = 0, units = 0
        var first: Int?
        while i < bytes.count {
            if let n = unit(bytes, i) {
                if first == nil { first = i }
                covered += n
                units += 1
                i += n
            } else {
                i += 1
            }
        }
        guard let first, units >= 8 else { return 0 }
        // The last unit may be cut off by the end of the sample.
        return Double(covered) / Double(max(1, bytes.count - first - 8))
    }

    static let contecV7Unit: Unit = { b, i in
        guard let n = ContecV7Packet.uplinkLength(b[i]), i + n <= b.count else { return nil }
        for k in (i + 1)..<(i + n) where b[k] & 0x80 == 0 { return nil }
        return n
    }

    static let bit7Sync5Unit: Unit = { b, i in
        guard i + 5 <= b.count, b[i] & 0x80 != 0 else { return nil }
        for k in (i + 1)..<(i + 5) where b[k] & 0x80 != 0 { return nil }
        return 5
    }

    static let noninUnit: Unit = { b, i in
        guard i + 5 <= b.count, b[i] == 0x01, b[i + 1] & 0x80 != 0 else { return nil }
        let sum = (Int(b[i]) + Int(b[i + 1]) + Int(b[i + 2]) + Int(b[i + 3])) & 0xFF
        return sum == Int(b[i + 4]) ? 5 : nil
    }

    /// Text: at least 85 % printable ASCII, tab, CR, LF or NUL, and at least one line end.
    static func textShape(_ bytes: [UInt8]) -> ByteShape? {
        let textual = bytes.count { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }
        guard Double(textual) / Double(bytes.count) >= 0.85,
              let firstEnd = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return nil }
        // The first whole line: after the first line end, up to the next one.
        let rest = bytes[(firstEnd + 1)...].drop { $0 == 0x0A || $0 == 0x0D }
        let line = rest.prefix { $0 != 0x0A && $0 != 0x0D }
        let chosen = line.isEmpty ? bytes[..<firstEnd] : line
        let shown = chosen.prefix(60).map { b -> String in
            b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "^" + String(UnicodeScalar(b ^ 0x40))
        }.joined()
        return .textLines(sample: shown)
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
    }
}
