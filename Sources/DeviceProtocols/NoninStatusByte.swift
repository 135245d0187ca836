import VitalsCore

/// The STATUS byte of a Nonin DF2 frame (byte 2) or DF7 frame (byte 1), reference
/// protocols-spo2.md 1.6.
///
/// Bit 7 is always 1 (a framing aid); bit 0 is SYNC, set on frame 1 of each 25-frame packet.
/// Bit 6 is SNSD (sensor disconnected) on the OEM III module [3P: Pufferfish, app-nonin] but
/// reserved ("R") on the 9560 [SPEC], which has no detachable sensor; a 9560 sends 0 there, so
/// reading it as SNSD costs nothing on a 9560.
public struct NoninStatusByte: Sendable, Hashable {
    /// The byte as sent.
    public var rawValue: UInt8

    /// Wraps a byte as sent.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bit 7: always 1 in a valid frame.
    public var hasFrameBit: Bool { rawValue & 0x80 != 0 }
    /// Bit 6 SNSD: sensor disconnected or inoperable (OEM III only; reserved on the 9560).
    public var sensorDisconnected: Bool { rawValue & 0x40 != 0 }
    /// Bit 5 ARTF: artifact on this pulse (short term).
    public var artifact: Bool { rawValue & 0x20 != 0 }
    /// Bit 4 OOT: out of track, no consecutive good pulses (sustained artifact).
    public var outOfTrack: Bool { rawValue & 0x10 != 0 }
    /// Bit 3 SNSA: sensor alarm, the data are unusable (set when the finger is removed).
    public var sensorAlarm: Bool { rawValue & 0x08 != 0 }
    /// Bits 2:1: the perfusion indication.
    public var perfusion: NoninPerfusion { NoninPerfusion(rawValue: (rawValue >> 1) & 0x03) ?? .none }
    /// Bit 0 SYNC: frame 1 of a packet.
    public var sync: Bool { rawValue & 0x01 != 0 }

    /// True when SNSA or SNSD says the sensor gives no usable data.
    public var sensorOff: Bool { sensorAlarm || sensorDisconnected }

    /// The quality flags this byte sets: ARTF artifact, OOT out-of-track, SNSA or SNSD
    /// sensor-off, yellow marginal perfusion, red low perfusion.
    public var flags: QualityFlags {
        var f = perfusion.flags
        if artifact { f.insert(.artifact) }
        if outOfTrack { f.insert(.outOfTrack) }
        if sensorOff { f.insert(.sensorOff) }
        return f
    }

    /// The status byte a 9560-style device sends for one frame: bit 7 set, SYNC on frame 1,
    /// SNSA for `sensorOff` or `held`, ARTF, OOT, the perfusion indication given; SNSD stays 0.
    public init(sync: Bool, flags: QualityFlags, perfusion: NoninPerfusion) {
        var b: UInt8 = 0x80 | (perfusion.rawValue << 1)
        if sync { b |= 0x01 }
        if !flags.isDisjoint(with: [.sensorOff, .held]) { b |= 0x08 }
        if flags.contains(.outOfTrack) { b |= 0x10 }
        if flags.contains(.artifact) { b |= 0x20 }
        rawValue = b
    }
}
