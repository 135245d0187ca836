/// Packing of the Contec "Communication protocol of pulse oximeter V7.0" (2010-07-08; reference/
/// protocols-multiparameter.md 3.3-3.5, [SPEC]): byte 0 is the type with bit 7 clear, byte 1 holds
/// the real bit 7 of bytes 2...8 in its bits 0...6 (its own bit 7 set), and every byte after the
/// type is sent with bit 7 set. No checksum: the sync bits and the fixed length per type are all
/// a receiver can check.
public enum ContecV7Packet {
    /// Length of each upstream (device to host) type, type byte included ([SPEC] Table 2; types
    /// 0x02, 0x03, 0x06, 0x13 and 0x14 are outside V7.0 and known only from traces, [DEC]).
    public static func uplinkLength(_ type: UInt8) -> Int? {
        switch type {
        case 0x01, 0x02, 0x03, 0x04, 0x05, 0x11, 0x13, 0x14, 0x15: 9
        case 0x07, 0x08, 0x0F, 0x12: 8
        case 0x09: 6
        case 0x06, 0x0A, 0x0B: 4
        case 0x0D, 0x0E, 0x10: 3
        case 0x0C: 2
        default: nil
        }
    }

    /// Control commands (package 0x7D, [SPEC] Table 7; A0 is outside V7.0, [DEC]).
    enum Command: UInt8, Sendable, CaseIterable {
        case startRealTime = 0xA1
        case stopRealTime = 0xA2
        case stopStorage = 0xA7
        case deviceIdentifiers = 0xAA
        case piSupport = 0xAC
        case keepAlive = 0xAF

        /// How the log names it.
        var label: String {
            switch self {
            case .startRealTime: "start real-time data (A1)"
            case .stopRealTime: "stop real-time data (A2)"
            case .stopStorage: "stop storage data (A7)"
            case .deviceIdentifiers: "ask device identifiers (AA)"
            case .piSupport: "ask PI support (AC)"
            case .keepAlive: "keep-alive (AF)"
            }
        }
    }

    /// `type`, the high byte, then `payload` with bit 7 set (payload bytes 2...8).
    static func pack(type: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var high: UInt8 = 0x80
        var out: [UInt8] = [type & 0x7F, 0]
        for (i, b) in payload.prefix(7).enumerated() {
            if b & 0x80 != 0 { high |= UInt8(1) << UInt8(i) }
            out.append(b | 0x80)
        }
        out[1] = high
        return out
    }

    /// The 9-byte command package `7D 81 CC 80...` with up to 6 argument bytes (unused ones 0x00
    /// before packing, 0x80 after, [SPEC]).
    static func command(_ code: UInt8, arguments: [UInt8] = []) -> [UInt8] {
        let args = Array(arguments.prefix(6)) + [UInt8](repeating: 0, count: 6 - min(6, arguments.count))
        return pack(type: 0x7D, [code] + args)
    }

    /// The command package of `command`.
    static func command(_ command: Command) -> [UInt8] { Self.command(command.rawValue) }

    /// Payload byte `k` (k >= 2) of `packet` with its real bit 7 restored from byte 1.
    @inline(__always)
    static func restored(_ packet: UnsafeBufferPointer<UInt8>, _ k: Int) -> UInt8 {
        (packet[k] & 0x7F) | (((packet[1] >> UInt8(k - 2)) & 1) << 7)
    }
}
