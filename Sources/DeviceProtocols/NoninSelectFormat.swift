/// The Nonin select-data-format command `02 70 02 02 ZZ 03` (reference protocols-spo2.md 1.3,
/// [SPEC], 9560 OEM specification): STX, op-code 70, length 2, data `02 ZZ`, ETX. The device
/// answers `06` (ACK) or `15` (NAK), and only during the first 5 s after the connection.
public enum NoninSelectFormat {
    /// ZZ for DF2.
    public static let df2: UInt8 = 0x02
    /// ZZ for DF7.
    public static let df7: UInt8 = 0x07
    /// ZZ for DF8.
    public static let df8: UInt8 = 0x08
    /// ZZ for DF13 (the 9560's factory default; not decoded here).
    public static let df13: UInt8 = 0x0D

    /// The command bytes selecting format `code`.
    public static func command(_ code: UInt8) -> [UInt8] {
        [0x02, 0x70, 0x02, 0x02, code, 0x03]
    }

    /// A simulated device's replies to `hostBytes`: one `06` for each select-format command
    /// naming `accepting`, one `15` for any other format code; nothing when `open` is false.
    public static func replies(to hostBytes: [UInt8], accepting: UInt8, open: Bool) -> [UInt8] {
        guard open, hostBytes.count >= 6 else { return [] }
        var out: [UInt8] = []
        var i = 0
        while i + 6 <= hostBytes.count {
            if hostBytes[i] == 0x02, hostBytes[i + 1] == 0x70, hostBytes[i + 2] == 0x02, hostBytes[i + 3] == 0x02,
               hostBytes[i + 5] == 0x03 {
                out.append(hostBytes[i + 4] == accepting ? 0x06 : 0x15)
                i += 6
            } else {
                i += 1
            }
        }
        return out
    }
}
