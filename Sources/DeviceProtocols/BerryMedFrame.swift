import VitalsCore

/// One frame of BerryMed's BCI protocol v1.2 (reference/protocols-spo2.md 5.1, [SPEC]: the
/// official PDF in zh2x/BCI_Protocol).
///
/// | Byte | Content |
/// |---|---|
/// | 1 | b7 = 1 (head); b6 pulse beep; b5 probe unplugged; b4 no signal; b3-b0 signal strength 0-8 |
/// | 2 | b7 = 0; pleth 0-100 (invalid = 0) |
/// | 3 | b7 = 0; b6 pulse-rate bit 7; b5 pulse search; b4 no finger; b3-b0 bar graph 0-15 (invalid = 0) |
/// | 4 | b7 = 0; pulse-rate bits 6-0 |
/// | 5 | b7 = 0; SpO2 0-100 |
///
/// Missing values: pulse rate 255 and SpO2 127 [SPEC]; a value of 0 is also read as "no value"
/// (no oximeter measures 0 % or 0 /min; the spec uses 0 as "invalid" for pleth and bar graph)
/// [INFERRED]. Range checks [SPEC]: pleth above 100, signal strength above 8, or SpO2 of 101 to 126
/// make the frame bad.
///
/// Flags: probe unplugged and no finger give `sensorOff`; pulse search and no signal give
/// `outOfTrack` (no usable pulse). The beep, signal strength and bar graph are fields only.
struct BerryMedFrame: ContecFamilyFrame, Hashable {
    /// Frames a second.
    static var frameRate: Int { 100 }
    /// Frames per waveform batch (0.2 s).
    static var batchSize: Int { 20 }

    /// Byte 1 bit 6: pulse beep.
    var beep: Bool
    /// Byte 1 bit 5: probe unplugged.
    var probeUnplugged: Bool
    /// Byte 1 bit 4: no signal.
    var noSignal: Bool
    /// Byte 1 bits 3-0: signal strength, 0-8.
    var signalStrength: UInt8
    /// Byte 2: pleth, 0-100.
    var plethValue: UInt8
    /// Byte 3 bit 5: pulse search.
    var pulseSearch: Bool
    /// Byte 3 bit 4: no finger.
    var noFinger: Bool
    /// Byte 3 bits 3-0: bar graph, 0-15.
    var bar: UInt8
    /// Pulse rate, 8 bits (byte 3 bit 6 is bit 7, byte 4 bits 6-0).
    var pulseRaw: Int
    /// SpO2, 7 bits.
    var spo2Raw: Int

    /// The spec's SpO2 marker for "invalid".
    static let spo2Missing = 0x7F
    /// The spec's pulse-rate marker for "invalid".
    static let pulseMissing = 0xFF

    /// The fields of a frame (the encoder's input).
    init(beep: Bool = false, probeUnplugged: Bool = false, noSignal: Bool = false, signalStrength: UInt8,
         pleth: UInt8, pulseSearch: Bool = false, noFinger: Bool = false, bar: UInt8, pulseRaw: Int, spo2Raw: Int) {
        self.beep = beep
        self.probeUnplugged = probeUnplugged
        self.noSignal = noSignal
        self.signalStrength = signalStrength & 0x0F
        self.plethValue = pleth & 0x7F
        self.pulseSearch = pulseSearch
        self.noFinger = noFinger
        self.bar = bar & 0x0F
        self.pulseRaw = pulseRaw & 0xFF
        self.spo2Raw = spo2Raw & 0x7F
    }

    /// Reads a frame whose bit-7 pattern is checked; `nil` when a range check fails.
    init?(_ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8) {
        let spo2 = Int(b5 & 0x7F)
        guard b1 & 0x0F <= 8, b2 <= 100, spo2 <= 100 || spo2 == Self.spo2Missing else { return nil }
        self.init(
            beep: b1 & 0x40 != 0, probeUnplugged: b1 & 0x20 != 0, noSignal: b1 & 0x10 != 0,
            signalStrength: b1 & 0x0F, pleth: b2, pulseSearch: b3 & 0x20 != 0, noFinger: b3 & 0x10 != 0,
            bar: b3 & 0x0F, pulseRaw: Int(b3 & 0x40) << 1 | Int(b4 & 0x7F), spo2Raw: spo2)
    }

    /// The five bytes, as the device sends them.
    var bytes: [UInt8] {
        [
            0x80 | (beep ? 0x40 : 0) | (probeUnplugged ? 0x20 : 0) | (noSignal ? 0x10 : 0) | signalStrength,
            plethValue,
            UInt8((pulseRaw >> 1) & 0x40) | (pulseSearch ? 0x20 : 0) | (noFinger ? 0x10 : 0) | bar,
            UInt8(pulseRaw & 0x7F),
            UInt8(spo2Raw),
        ]
    }

    /// The pleth sample.
    var pleth: Int32 { Int32(plethValue) }

    /// SpO2, pulse and the status bits, with the missing markers applied.
    var report: ContecFamilyReport {
        var flags: QualityFlags = []
        if probeUnplugged { flags.insert(.sensorOff) }
        if noFinger { flags.insert(.sensorOff) }
        if pulseSearch || noSignal { flags.insert(.outOfTrack) }
        return ContecFamilyReport(
            spo2: spo2Raw == Self.spo2Missing || spo2Raw == 0 ? nil : spo2Raw,
            spo2Raw: spo2Raw,
            pulse: pulseRaw == Self.pulseMissing || pulseRaw == 0 ? nil : pulseRaw,
            pulseRaw: pulseRaw,
            flags: flags,
            sensorOffCause: .of(probeUnplugged, .probeUnplugged, noFinger, .noFinger, both: .probeUnpluggedAndNoFinger))
    }
}
