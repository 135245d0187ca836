/// The 25-frame FLOAT map shared by Nonin DF2 and DF7 (reference protocols-spo2.md 1.7, [SPEC];
/// Pufferfish and MD PnP agree on the indices [3P]). Indices here are 0-based (spec frame - 1).
///
/// Defined slots carry 0-127 (bit 7 clear); reserved slots are undefined and may hold 0-255,
/// so the decoder ignores them.
public enum NoninFloatMap {
    /// Frames a packet.
    public static let framesPerPacket = 25
    /// Frames a second (three packets).
    public static let framesPerSecond = 75

    /// HR MSB (4-beat average, recording): HR8 in bit 1, HR7 in bit 0.
    public static let hrMSB = 0
    /// HR LSB: HR6..HR0.
    public static let hrLSB = 1
    /// SpO2 (4-beat average, recording).
    public static let spo2 = 2
    /// SREV, the firmware revision.
    public static let firmwareRevision = 3
    /// TMR MSB: upper 7 bits of the 1/3-s timer.
    public static let timerMSB = 5
    /// TMR LSB: lower 7 bits.
    public static let timerLSB = 6
    /// STAT2: bit 5 SPA, bit 0 LOW BAT.
    public static let status2 = 7
    /// SpO2-D (4-beat, display).
    public static let spo2Display = 8
    /// SpO2 Fast (4-beat, fast-responding, recording).
    public static let spo2Fast = 9
    /// SpO2 B-B (beat to beat, unaveraged, recording).
    public static let spo2BeatToBeat = 10
    /// E-HR MSB (8-beat, recording).
    public static let extendedHRMSB = 13
    /// E-HR LSB.
    public static let extendedHRLSB = 14
    /// E-SpO2 (8-beat, recording).
    public static let extendedSpO2 = 15
    /// E-SpO2-D (8-beat, display).
    public static let extendedSpO2Display = 16
    /// HR-D MSB (4-beat, display).
    public static let hrDisplayMSB = 19
    /// HR-D LSB.
    public static let hrDisplayLSB = 20
    /// E-HR-D MSB (8-beat, display).
    public static let extendedHRDisplayMSB = 21
    /// E-HR-D LSB.
    public static let extendedHRDisplayLSB = 22

    /// Slots whose float byte is defined (0-127): a set bit 7 there fails the frame.
    public static let definedSlots: Set<Int> = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16, 19, 20, 21, 22]

    /// SpO2 missing-data sentinel.
    public static let missingSpO2 = 127
    /// HR missing-data sentinel.
    public static let missingHR = 511
    /// STAT2 LOW BAT bit.
    public static let lowBatteryBit: UInt8 = 0x01

    /// True when `float` may stand in slot `index`: defined slots keep bit 7 clear.
    public static func accepts(_ float: UInt8, inSlot index: Int) -> Bool {
        float & 0x80 == 0 || !definedSlots.contains(index)
    }

    /// The 9-bit HR from its MSB and LSB float bytes.
    public static func heartRate(msb: UInt8, lsb: UInt8) -> Int {
        Int(msb & 0x03) << 7 | Int(lsb & 0x7F)
    }

    /// The MSB and LSB float bytes of a 9-bit HR (clamped to 0-511).
    public static func heartRateBytes(_ hr: Int) -> (msb: UInt8, lsb: UInt8) {
        let v = min(max(hr, 0), 511)
        return (UInt8(v >> 7), UInt8(v & 0x7F))
    }

    /// The 14-bit TMR from its two float bytes, 7 bits each. The reference marks this
    /// combination [INFERRED] from "7 bits each"; the spec gives no worked example.
    public static func timer(msb: UInt8, lsb: UInt8) -> Int {
        Int(msb & 0x7F) << 7 | Int(lsb & 0x7F)
    }
}
