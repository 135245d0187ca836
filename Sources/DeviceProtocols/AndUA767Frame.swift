/// Byte-level rules of the A&D UA-767PC PC-cable protocol (reference/protocols-bp.md 1.1,
/// [DEC]: one 2010-era JavaScript helper; serial settings and record terminators are [GAP]).
///
/// - Host control frames: STX `02`, ASCII `CPC`, a two-digit code, then a checksum equal to the
///   8-bit sum of the bytes after STX (`CPC05` open port `... 3B`, `CPC04` close port `... 3A`).
/// - Device replies: SOH `70PC` ACK (`01 37 30 50 43 06`) or NAK (`... 15`).
/// - Result record: 10 printable hex characters, `CC PP DD RR MM` = result code, SYS - DIA, DIA,
///   pulse rate, MAP (the last field "unknown" in the helper, MAP in A&D's PBT data section, 1.2).
public enum AndUA767Frame {
    /// STX, start of a host control frame.
    public static let stx: UInt8 = 0x02
    /// SOH, start of a device reply.
    public static let soh: UInt8 = 0x01
    /// ACK, the last byte of a positive reply.
    public static let ack: UInt8 = 0x06
    /// NAK, the last byte of a negative reply.
    public static let nak: UInt8 = 0x15
    /// A reply before its last byte: SOH `70PC`.
    public static let replyPrefix: [UInt8] = [0x01, 0x37, 0x30, 0x50, 0x43]
    /// `01 37 30 50 43 06`.
    public static let ackReply: [UInt8] = replyPrefix + [ack]
    /// `01 37 30 50 43 15`.
    public static let nakReply: [UInt8] = replyPrefix + [nak]
    /// Characters in a result record.
    public static let recordLength = 10

    /// Whether `b` is a C0 control byte the protocol does not use (everything below 0x20 but CR,
    /// LF, SOH, ACK and NAK): line noise for the decoder to drop, never part of a record or reply.
    public static func isLineNoise(_ b: UInt8) -> Bool {
        b < 0x20 && b != 0x0D && b != 0x0A && b != soh && b != ack && b != nak
    }

    /// The 8-bit sum of `bytes` (the control-frame checksum).
    public static func sum<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        var s: UInt8 = 0
        for b in bytes { s &+= b }
        return s
    }

    /// The host control frame for two-digit `code` ("05" opens the port, "04" closes it).
    public static func controlFrame(code: String) -> [UInt8] {
        let body = Array("CPC".utf8) + Array(code.utf8)
        return [stx] + body + [sum(body)]
    }

    /// The 10 uppercase hex characters of `result`: code 80 (or the error code, which must be
    /// 0x81-0x83 to decode), SYS - DIA, DIA, pulse (0 when `nil`), MAP (0 when `nil`), each
    /// clamped to one byte.
    public static func record(_ result: BloodPressureResult) -> [UInt8] {
        let code = result.errorCode == 0 ? 0x80 : result.errorCode
        let fields = [code, result.systolic - result.diastolic, result.diastolic, result.pulse ?? 0, result.mean ?? 0]
        return fields.flatMap { hex(UInt8(clamping: $0)) }
    }

    /// Two uppercase hex characters.
    static func hex(_ b: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [digits[Int(b >> 4)], digits[Int(b & 0x0F)]]
    }

    /// The value of hex digit `c` (either case), or `nil`.
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
