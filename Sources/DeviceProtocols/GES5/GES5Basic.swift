import VitalsCore

/// The basic physiological class (`basic_phdb`, 270 bytes) of a displayed-values subrecord,
/// the fields this bridge reads (reference/protocols-multiparameter.md 2.6.1, [SPEC] DRI 3;
/// offsets [CALC]). Offsets are within the 278-byte subrecord (physdata starts at 4).
/// Every value is an i16; -32001 and below are the spec's special values (DATA_INVALID -32767,
/// NOT_UPDATED -32766, DISCONT -32765 [DEC], UNDER_RANGE -32764, OVER_RANGE -32763,
/// NOT_CALIBRATED -32762).
struct GES5Basic: Sendable, Hashable {
    /// Size of one displayed/trend subrecord.
    static let size = 278

    var time: UInt32
    var ecgStatus: UInt32
    var hr: Int16
    var impRR: Int16
    var nibpStatus: UInt32
    var nibpLabel: UInt16
    var nibpSys: Int16, nibpDia: Int16, nibpMean: Int16, nibpHR: Int16
    var t1Status: UInt32
    var t1: Int16
    var spo2Status: UInt32
    var spo2: Int16
    var spo2PR: Int16
    var co2Status: UInt32
    var co2Label: UInt16
    var co2Et: Int16
    var co2RR: Int16
    var ambPress: Int16
    var hrECG: Int16
    /// `cl_drilvl_subt` bits 8-11: 0 basic, 1-3 ext1-3.
    var physClass: Int

    /// Reads the subrecord at `at` in `r` (bounds checked by the caller).
    init(_ r: [UInt8], at s: Int) {
        let p = s + 4
        time = GES5Frame.u32(r, s)
        ecgStatus = GES5Frame.u32(r, p + 0)
        hr = GES5Frame.i16(r, p + 6)
        impRR = GES5Frame.i16(r, p + 14)
        nibpStatus = GES5Frame.u32(r, p + 72)
        nibpLabel = GES5Frame.u16(r, p + 76)
        nibpSys = GES5Frame.i16(r, p + 78)
        nibpDia = GES5Frame.i16(r, p + 80)
        nibpMean = GES5Frame.i16(r, p + 82)
        nibpHR = GES5Frame.i16(r, p + 84)
        t1Status = GES5Frame.u32(r, p + 86)
        t1 = GES5Frame.i16(r, p + 92)
        spo2Status = GES5Frame.u32(r, p + 118)
        spo2 = GES5Frame.i16(r, p + 124)
        spo2PR = GES5Frame.i16(r, p + 126)
        co2Status = GES5Frame.u32(r, p + 132)
        co2Label = GES5Frame.u16(r, p + 136)
        co2Et = GES5Frame.i16(r, p + 138)
        co2RR = GES5Frame.i16(r, p + 142)
        ambPress = GES5Frame.i16(r, p + 144)
        hrECG = GES5Frame.i16(r, p + 226)
        physClass = Int((GES5Frame.u16(r, s + 276) >> 8) & 0x0F)
    }

    /// True for a special (non-)value: -32001 and below ([SPEC]: the smallest valid value is -32000).
    static func isSpecial(_ v: Int16) -> Bool { v <= -32001 }

    /// The name of a special value.
    static func specialName(_ v: Int16) -> String {
        switch v {
        case -32767: "DATA_INVALID"
        case -32766: "DATA_NOT_UPDATED"
        case -32765: "DATA_DISCONT"
        case -32764: "DATA_UNDER_RANGE"
        case -32763: "DATA_OVER_RANGE"
        case -32762: "DATA_NOT_CALIBRATED"
        default: "special value \(v)"
        }
    }

    // Group status bits.
    static let exists: UInt32 = 1 << 0
    static let active: UInt32 = 1 << 1
    /// ECG status bits 3-6: the HR source (1 ECG, 9 ECG Mortara).
    var hrSourceIsECG: Bool { [1, 9].contains((ecgStatus >> 3) & 0x0F) }
    /// NIBP label bit 5: measuring.
    var nibpMeasuring: Bool { nibpLabel & (1 << 5) != 0 }
    /// NIBP label bit 8: data older than 60 s.
    var nibpOld: Bool { nibpLabel & (1 << 8) != 0 }
    /// CO2 label bits 0-2: respiration-rate source (0 none, 1 CO2, 2 ECG impedance).
    var co2RRSource: UInt16 { co2Label & 0x07 }
    /// CO2 status bit 2: apnea detected from CO2.
    var co2Apnea: Bool { co2Status & (1 << 2) != 0 }
    /// CO2 status bit 5: occlusion of the sampling line.
    var co2Occlusion: Bool { co2Status & (1 << 5) != 0 }

    /// Writes the fields this type reads into a zeroed subrecord (the simulator), absent groups
    /// as status 0 with DATA_INVALID values ([INFERRED] filler, reference G-4).
    static func subrecord(
        time: UInt32, hr: Int16?, impRR: Int16?, nibp: (sys: Int16, dia: Int16, mean: Int16, hr: Int16)?, nibpLabel: UInt16,
        t1: Int16?, spo2: Int16?, spo2PR: Int16?, irAmp: Int16?, co2: (et: Int16, rr: Int16, amb: Int16)?, co2Status: UInt32
    ) -> [UInt8] {
        let invalid: Int16 = -32767
        var b = [UInt8](repeating: 0, count: size)
        let p = 4
        GES5Frame.put32(&b, 0, time)
        // ECG (label 0x0271: II, V, I as in the reference's example G1).
        if hr != nil || impRR != nil {
            GES5Frame.put32(&b, p, exists | active)
            GES5Frame.put16(&b, p + 4, 0x0271)
        }
        GES5Frame.put16(&b, p + 6, hr ?? invalid)
        GES5Frame.put16(&b, p + 14, impRR ?? invalid)
        // Invasive pressures p1-p4: absent.
        for g in [16, 30, 44, 58] { for f in 0..<4 { GES5Frame.put16(&b, p + g + 6 + 2 * f, invalid) } }
        if nibp != nil || nibpLabel != 0 {
            GES5Frame.put32(&b, p + 72, exists | active)
            GES5Frame.put16(&b, p + 76, Int16(bitPattern: nibpLabel))
        }
        GES5Frame.put16(&b, p + 78, nibp?.sys ?? invalid)
        GES5Frame.put16(&b, p + 80, nibp?.dia ?? invalid)
        GES5Frame.put16(&b, p + 82, nibp?.mean ?? invalid)
        GES5Frame.put16(&b, p + 84, nibp?.hr ?? invalid)
        if t1 != nil {
            GES5Frame.put32(&b, p + 86, exists | active)
            GES5Frame.put16(&b, p + 90, 6)  // AXIL
        }
        GES5Frame.put16(&b, p + 92, t1 ?? invalid)
        for t in [94, 102, 110] { GES5Frame.put16(&b, p + t + 6, invalid) }
        if spo2 != nil || spo2PR != nil { GES5Frame.put32(&b, p + 118, exists | active) }
        GES5Frame.put16(&b, p + 124, spo2 ?? invalid)
        GES5Frame.put16(&b, p + 126, spo2PR ?? invalid)
        GES5Frame.put16(&b, p + 128, irAmp ?? invalid)
        GES5Frame.put16(&b, p + 130, invalid)
        if co2 != nil || co2Status != 0 {
            GES5Frame.put32(&b, p + 132, co2Status | exists | (co2 != nil ? active : 0))
            GES5Frame.put16(&b, p + 136, 0x0009)  // RR from CO2, FI from FICO2
        }
        GES5Frame.put16(&b, p + 138, co2?.et ?? invalid)
        GES5Frame.put16(&b, p + 140, co2 == nil ? invalid : 0)
        GES5Frame.put16(&b, p + 142, co2?.rr ?? invalid)
        GES5Frame.put16(&b, p + 144, co2?.amb ?? invalid)
        // o2, n2o: et, fi; aa: et, fi, mac_sum; flow_vol 8 values; co_wedge 4; nmt 3; svo2 1; p5, p6.
        for o in [152, 154, 162, 164, 172, 174, 176] + (0..<8).map({ 184 + 2 * $0 }) + [206, 208, 210, 212, 220, 222, 224] {
            GES5Frame.put16(&b, p + o, invalid)
        }
        GES5Frame.put16(&b, p + 226, hr ?? invalid)
        GES5Frame.put16(&b, p + 228, invalid)
        GES5Frame.put16(&b, p + 230, invalid)
        GES5Frame.put16(&b, p + 238, invalid)
        for g in [240, 254] { for f in 0..<4 { GES5Frame.put16(&b, p + g + 6 + 2 * f, invalid) } }
        return b
    }
}
