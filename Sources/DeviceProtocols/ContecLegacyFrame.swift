import VitalsCore

/// One frame of the Contec CMS50D+/E/F legacy live stream (reference/protocols-spo2.md 3.3,
/// [3P]: atbrask/CMS50Dplus, Apnea Board wiki; well corroborated).
///
/// | Byte | b7 | b6 | b5 | b4 | b3-b0 |
/// |---|---|---|---|---|---|
/// | 1 | 1 | pulse beep | SpO2 dropping | searching too long / finger out | signal strength |
/// | 2 | 0 | pleth b6-b0 | | | |
/// | 3 | 0 | pulse-rate bit 7 | searching for pulse | probe/sensor error | bar graph |
/// | 4 | 0 | pulse rate b6-b0 | | | |
/// | 5 | 0 | SpO2 b6-b0 | | | |
///
/// Flags: finger out and probe error give `sensorOff`; searching for pulse gives `outOfTrack`.
/// Signal strength is not range-checked: the reference gives 0-8 in a 0-15 field and no source
/// says what larger values mean.
/// The beep, "SpO2 dropping", signal strength and bar graph have no quality flag and are kept
/// as fields only.
///
/// Missing values: the reference found no authoritative Contec sentinel. This decoder takes the
/// BerryMed sibling's markers, SpO2 127 and pulse 255 [INFERRED from reference 5.1], and a value
/// of 0 (no oximeter measures 0 % or 0 /min) [INFERRED], as "no value". SpO2 101 to 126 fails the
/// range check, so the frame is bad.
struct ContecLegacyFrame: ContecFamilyFrame, Hashable {
    /// Frames a second.
    static var frameRate: Int { 60 }
    /// Frames per waveform batch (0.2 s).
    static var batchSize: Int { 12 }

    /// Byte 1 bit 6: pulse beep.
    var beep: Bool
    /// Byte 1 bit 5: SpO2 dropping.
    var spo2Dropping: Bool
    /// Byte 1 bit 4: searching too long / finger out.
    var fingerOut: Bool
    /// Byte 1 bits 3-0: signal strength.
    var signalStrength: UInt8
    /// Byte 2: pleth, 0-127.
    var plethValue: UInt8
    /// Byte 3 bit 5: searching for pulse.
    var searching: Bool
    /// Byte 3 bit 4: probe/sensor error.
    var probeError: Bool
    /// Byte 3 bits 3-0: bar graph.
    var bar: UInt8
    /// Pulse rate, 8 bits (byte 3 bit 6 is bit 7, byte 4 bits 6-0).
    var pulseRaw: Int
    /// SpO2, 7 bits.
    var spo2Raw: Int

    /// SpO2 marker for "no value" (BerryMed's, [INFERRED] for Contec).
    static let spo2Missing = 0x7F
    /// Pulse marker for "no value" (BerryMed's, [INFERRED] for Contec).
    static let pulseMissing = 0xFF

    /// The fields of a frame (the encoder's input).
    init(beep: Bool = false, spo2Dropping: Bool = false, fingerOut: Bool = false, signalStrength: UInt8,
         pleth: UInt8, searching: Bool = false, probeError: Bool = false, bar: UInt8, pulseRaw: Int, spo2Raw: Int) {
        self.beep = beep
        self.spo2Dropping = spo2Dropping
        self.fingerOut = fingerOut
        self.signalStrength = signalStrength & 0x0F
        self.plethValue = pleth & 0x7F
        self.searching = searching
        self.probeError = probeError
        self.bar = bar & 0x0F
        self.pulseRaw = pulseRaw & 0xFF
        self.spo2Raw = spo2Raw & 0x7F
    }

    /// Reads a frame whose bit-7 pattern is checked; `nil` when a range check fails.
    init?(_ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8) {
        let spo2 = Int(b5 & 0x7F)
        guard spo2 <= 100 || spo2 == Self.spo2Missing else { return nil }
        self.init(
            beep: b1 & 0x40 != 0, spo2Dropping: b1 & 0x20 != 0, fingerOut: b1 & 0x10 != 0,
            signalStrength: b1 & 0x0F, pleth: b2, searching: b3 & 0x20 != 0, probeError: b3 & 0x10 != 0,
            bar: b3 & 0x0F, pulseRaw: Int(b3 & 0x40) << 1 | Int(b4 & 0x7F), spo2Raw: spo2)
    }

    /// The five bytes, as the device sends them.
    var bytes: [UInt8] {
        [
            0x80 | (beep ? 0x40 : 0) | (spo2Dropping ? 0x20 : 0) | (fingerOut ? 0x10 : 0) | signalStrength,
            plethValue,
            UInt8((pulseRaw >> 1) & 0x40) | (searching ? 0x20 : 0) | (probeError ? 0x10 : 0) | bar,
            UInt8(pulseRaw & 0x7F),
            UInt8(spo2Raw),
        ]
    }

    /// The pleth sample.
    var pleth: Int32 { Int32(plethValue) }

    /// SpO2, pulse and the status bits, with the missing markers applied.
    var report: ContecFamilyReport {
        var flags: QualityFlags = []
        if fingerOut { flags.insert(.sensorOff) }
        if probeError { flags.insert(.sensorOff) }
        if searching { flags.insert(.outOfTrack) }
        return ContecFamilyReport(
            spo2: spo2Raw == Self.spo2Missing || spo2Raw == 0 ? nil : spo2Raw,
            spo2Raw: spo2Raw,
            pulse: pulseRaw == Self.pulseMissing || pulseRaw == 0 ? nil : pulseRaw,
            pulseRaw: pulseRaw,
            flags: flags,
            sensorOffCause: .of(fingerOut, .fingerOut, probeError, .probeError, both: .fingerOutAndProbeError))
    }
}
