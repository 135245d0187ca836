import VitalsCore

/// One Nonin DF8 record: 4 bytes once a second (reference protocols-spo2.md 1.8, [SPEC] 9560 OEM
/// specification; its prose says three bytes, its table and every decoder use four [3P]).
///
/// | Byte | Bit 7 | Bits 6-0 |
/// |---|---|---|
/// | 1 Status | 1 | R, OOT, LPRF, MPRF, ARTF, HR8, HR7 |
/// | 2 HR-D | 0 | HR6..HR0 |
/// | 3 SpO2-D | 0 | SP6..SP0 |
/// | 4 Status2 | 0 | R, SPA, R, SNSA, R, R, LOW BAT |
///
/// There is no checksum, so a record passes only if the bit-7 pattern is 1,0,0,0, every reserved
/// bit is 0, and SpO2 is 0-100 or the missing value 127.
public struct NoninDF8Record: Sendable, Hashable {
    /// Byte 1: status (bit 7 set).
    public var status: UInt8
    /// Byte 2: HR6..HR0 of HR-D.
    public var heartRateLow: UInt8
    /// Byte 3: SpO2-D.
    public var spo2Byte: UInt8
    /// Byte 4: Status2.
    public var status2: UInt8

    /// Bytes a record.
    public static let length = 4

    /// The record in `b[start ..< start + 4]` if it passes every format and range check.
    public init?(_ b: UnsafeBufferPointer<UInt8>, at start: Int) {
        let b0 = b[start], b1 = b[start + 1], b2 = b[start + 2], b3 = b[start + 3]
        guard b0 & 0xC0 == 0x80,                    // bit 7 set, b6 reserved
              b1 & 0x80 == 0, b2 & 0x80 == 0,
              b3 & 0xD6 == 0,                       // bit 7, reserved b6, b4, b2, b1
              b2 <= 100 || Int(b2) == NoninFloatMap.missingSpO2
        else { return nil }
        (status, heartRateLow, spo2Byte, status2) = (b0, b1, b2, b3)
    }

    /// The record a device sends showing `spo2`, `hr` (nil: missing) with `flags`: OOT, LPRF
    /// (`.lowPerfusion`), MPRF (`.marginalPerfusion`), ARTF, SNSA (`.sensorOff` or `.held`), LOW
    /// BAT. SpO2 above 100 is sent as 100.
    public init(spo2: Int?, hr: Int?, flags: QualityFlags) {
        let h = min(max(hr ?? NoninFloatMap.missingHR, 0), 511)
        let s = spo2.map { min(max($0, 0), 100) } ?? NoninFloatMap.missingSpO2
        var b0: UInt8 = 0x80 | UInt8(h >> 7)
        if flags.contains(.outOfTrack) { b0 |= 0x20 }
        if flags.contains(.lowPerfusion) { b0 |= 0x10 }
        if flags.contains(.marginalPerfusion) { b0 |= 0x08 }
        if flags.contains(.artifact) { b0 |= 0x04 }
        var b3: UInt8 = 0
        if !flags.isDisjoint(with: [.sensorOff, .held]) { b3 |= 0x08 }
        if flags.contains(.lowBattery) { b3 |= 0x01 }
        (status, heartRateLow, spo2Byte, status2) = (b0, UInt8(h & 0x7F), UInt8(s), b3)
    }

    /// The bytes as an array.
    public var array: [UInt8] { [status, heartRateLow, spo2Byte, status2] }

    /// HR-D, 0-511 (511 = missing).
    public var heartRate: Int { Int(status & 0x03) << 7 | Int(heartRateLow & 0x7F) }
    /// SpO2-D, 0-100 or 127 (missing).
    public var spo2: Int { Int(spo2Byte & 0x7F) }
    /// Status2 SNSA: sensor alarm; with values present they are display values held after
    /// finger-out.
    public var sensorAlarm: Bool { status2 & 0x08 != 0 }

    /// The flags of the record: OOT out-of-track, LPRF low perfusion, MPRF marginal perfusion,
    /// ARTF artifact, SNSA sensor-off, LOW BAT low battery.
    public var flags: QualityFlags {
        var f: QualityFlags = []
        if status & 0x20 != 0 { f.insert(.outOfTrack) }
        if status & 0x10 != 0 { f.insert(.lowPerfusion) }
        if status & 0x08 != 0 { f.insert(.marginalPerfusion) }
        if status & 0x04 != 0 { f.insert(.artifact) }
        if sensorAlarm { f.insert(.sensorOff) }
        if status2 & 0x01 != 0 { f.insert(.lowBattery) }
        return f
    }
}
