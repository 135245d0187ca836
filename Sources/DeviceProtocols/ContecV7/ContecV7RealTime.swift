import VitalsCore

/// One real-time data package (type 0x01, 9 bytes) of the Contec V7.0 protocol, fields after
/// high-bit restoration (reference/protocols-multiparameter.md 3.6, [SPEC] Table 3):
///
/// | Byte | Bits | Meaning |
/// |---|---|---|
/// | 2 | 0-3 | signal strength 0...8 |
/// | 2 | 4 | searching time too long ("Searching") |
/// | 2 | 6 | pulse beep |
/// | 2 | 7 | probe error ("Finger out"); pleth is then 0x40 |
/// | 3 | 0-6 | pleth 0...0x7F |
/// | 3 | 7 | searching pulse |
/// | 4 | 0-3 | bar graph; bit 4 = 1: PI invalid; bits 5-7 reserved, 0 |
/// | 5 | | pulse rate, 8 bits (its bit 7 is high-byte bit 3: 130 is 130), 0xFF invalid |
/// | 6 | | SpO2 %, 0x7F invalid |
/// | 7, 8 | | PI x 100, low byte first, 0xFFFF invalid |
///
/// Flags: probe error gives `sensorOff`; searching pulse and searching-too-long give
/// `outOfTrack` (the device shows "Searching", its values are not current).
/// Range checks: a reserved bit set, SpO2 other than 1...100 or 0x7F, a pulse outside
/// `Metric.pulse.plausibleRange` (other than 0xFF, and 0 which the spec's "(0, 254]" leaves out
/// and we read as no value [INFERRED]), or PI above 22.00 % ([SPEC] "(0.00, 22.0]") other than
/// 0xFFFF: the package is bad.
struct ContecV7RealTime: Sendable, Hashable {
    var signalStrength: UInt8
    var searchingTooLong: Bool
    var beep: Bool
    var probeError: Bool
    var pleth: UInt8
    var searchingPulse: Bool
    var bar: UInt8
    var piInvalid: Bool
    var pulseRaw: Int
    var spo2Raw: Int
    var piRaw: Int

    static let pulseMissing = 0xFF
    static let spo2Missing = 0x7F
    static let piMissing = 0xFFFF

    /// Fields as given (the encoder's input).
    init(signalStrength: UInt8 = 5, searchingTooLong: Bool = false, beep: Bool = false, probeError: Bool = false,
         pleth: UInt8, searchingPulse: Bool = false, bar: UInt8 = 6, piInvalid: Bool, pulseRaw: Int, spo2Raw: Int, piRaw: Int) {
        self.signalStrength = signalStrength & 0x0F
        self.searchingTooLong = searchingTooLong
        self.beep = beep
        self.probeError = probeError
        self.pleth = pleth & 0x7F
        self.searchingPulse = searchingPulse
        self.bar = bar & 0x0F
        self.piInvalid = piInvalid
        self.pulseRaw = pulseRaw & 0xFF
        self.spo2Raw = spo2Raw & 0xFF
        self.piRaw = piRaw & 0xFFFF
    }

    /// Reads a 9-byte package whose type and sync bits are checked; `nil` when a field fails its
    /// range check.
    init?(_ p: UnsafeBufferPointer<UInt8>) {
        let b2 = ContecV7Packet.restored(p, 2), b3 = ContecV7Packet.restored(p, 3)
        let b4 = ContecV7Packet.restored(p, 4)
        guard b4 & 0xE0 == 0 else { return nil }
        let pulse = Int(ContecV7Packet.restored(p, 5)), spo2 = Int(ContecV7Packet.restored(p, 6))
        let pi = Int(ContecV7Packet.restored(p, 7)) | Int(ContecV7Packet.restored(p, 8)) << 8
        guard spo2 == Self.spo2Missing || (1...100).contains(spo2) else { return nil }
        guard pulse == Self.pulseMissing || pulse == 0 || Metric.pulse.plausibleRange.contains(Double(pulse)) else { return nil }
        guard pi == Self.piMissing || pi <= 2200 else { return nil }
        self.init(signalStrength: b2 & 0x0F, searchingTooLong: b2 & 0x10 != 0, beep: b2 & 0x40 != 0,
                  probeError: b2 & 0x80 != 0, pleth: b3, searchingPulse: b3 & 0x80 != 0, bar: b4 & 0x0F,
                  piInvalid: b4 & 0x10 != 0, pulseRaw: pulse, spo2Raw: spo2, piRaw: pi)
    }

    /// The 9 bytes on the wire.
    var bytes: [UInt8] {
        var b2 = signalStrength
        if searchingTooLong { b2 |= 0x10 }
        if beep { b2 |= 0x40 }
        if probeError { b2 |= 0x80 }
        let b3 = pleth | (searchingPulse ? 0x80 : 0)
        let b4 = bar | (piInvalid ? 0x10 : 0)
        return ContecV7Packet.pack(type: 0x01, [b2, b3, b4, UInt8(pulseRaw), UInt8(spo2Raw & 0xFF),
                                               UInt8(piRaw & 0xFF), UInt8(piRaw >> 8)])
    }

    /// Quality flags from the status bits.
    var flags: QualityFlags {
        var f: QualityFlags = []
        if probeError { f.insert(.sensorOff) }
        if searchingPulse || searchingTooLong { f.insert(.outOfTrack) }
        return f
    }

    /// The slowly changing part, compared packet to packet.
    var report: ContecV7Report {
        ContecV7Report(
            spo2Raw: spo2Raw, pulseRaw: pulseRaw,
            piRaw: piInvalid ? Self.piMissing : piRaw, flags: flags)
    }
}

/// What a real-time package says about SpO2, pulse, PI and the sensor; the beat, signal, bar
/// and pleth are left out so consecutive packages of a steady signal compare equal.
struct ContecV7Report: Sendable, Hashable {
    var spo2Raw: Int
    var pulseRaw: Int
    /// PI x 100, or 0xFFFF when invalid or flagged invalid.
    var piRaw: Int
    var flags: QualityFlags

    var spo2: Int? { spo2Raw == ContecV7RealTime.spo2Missing ? nil : spo2Raw }
    var pulse: Int? { pulseRaw == ContecV7RealTime.pulseMissing || pulseRaw == 0 ? nil : pulseRaw }
    var pi: Double? { piRaw == ContecV7RealTime.piMissing || piRaw == 0 ? nil : Double(piRaw) / 100 }
}
