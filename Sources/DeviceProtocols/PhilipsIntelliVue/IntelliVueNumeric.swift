import VitalsCore

/// IntelliVue numerics: physio ids, units, FLOAT-Type and MeasurementState
/// (reference/protocols-multiparameter.md 1.4, 1.12, 1.14; [DEC x3] unless noted).
enum IntelliVueNumeric {
    /// The metric of a physio id (or of a label's low 16 bits when the physio id is
    /// NOM_METRIC_NOS 0xEFFF). Temperatures: unspecified, core, oesophageal, nasopharyngeal,
    /// tympanic, rectal, and the axillary/oral ids VSCaptureMP lists ([DEC]); skin, arterial and
    /// blood temperatures are not body temperature and are left out.
    static func metric(physio: UInt16) -> Metric? {
        switch physio {
        case 0x4BB8: .spo2
        case 0x4822: .pulse
        case 0x4182: .hr
        case 0x4A05: .nibpSystolic
        case 0x4A06: .nibpDiastolic
        case 0x4A07: .nibpMean
        case 0xF0E5: .nibpPulse
        case 0x500A: .resp
        case 0x5012: .awrr
        case 0x50B0: .etco2
        case 0x4BB0: .pi
        case 0x4B48, 0x4B60, 0x4B64, 0x4B6C, 0x4B78, 0xE004, 0xF10C, 0xF108: .temp
        default: nil
        }
    }

    /// The physio id of a metric, for the simulator.
    static func physio(_ m: Metric) -> UInt16? {
        switch m {
        case .spo2: 0x4BB8
        case .pulse: 0x4822
        case .hr: 0x4182
        case .nibpSystolic: 0x4A05
        case .nibpDiastolic: 0x4A06
        case .nibpMean: 0x4A07
        case .nibpPulse: 0xF0E5
        case .resp: 0x500A
        case .awrr: 0x5012
        case .etco2: 0x50B0
        case .pi: 0x4BB0
        case .temp: 0x4B48
        case .pleth: nil
        }
    }

    // Units.
    static let percent: UInt16 = 0x0220, dimensionless: UInt16 = 0x0200, none: UInt16 = 0
    static let perMinute: UInt16 = 0x0AA0, breathsPerMinute: UInt16 = 0x0AE0
    static let mmHg: UInt16 = 0x0F20, kPa: UInt16 = 0x0F03
    static let celsius: UInt16 = 0x17A0, fahrenheit: UInt16 = 0x1140

    /// The usual unit of a metric, for the simulator.
    static func unit(_ m: Metric) -> UInt16 {
        switch m {
        case .spo2: percent
        case .pi: dimensionless
        case .pulse, .hr, .nibpPulse: perMinute
        case .resp, .awrr: breathsPerMinute
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .etco2: mmHg
        case .temp: celsius
        case .pleth: none
        }
    }

    /// `value` in `unit` converted to the metric's display unit, or `nil` when the unit is not
    /// one this metric can be in (a misread or an unknown configuration: no reading).
    static func convert(_ value: Double, unit: UInt16, to m: Metric) -> Double? {
        switch m {
        case .spo2: return unit == percent ? value : nil
        case .pi: return unit == dimensionless || unit == percent || unit == none ? value : nil
        case .pulse, .hr, .nibpPulse: return unit == perMinute ? value : nil
        case .resp, .awrr: return unit == breathsPerMinute || unit == perMinute ? value : nil
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .etco2:
            if unit == mmHg { return value }
            if unit == kPa { return (value * 7.500_62 * 10).rounded() / 10 }
            return nil
        case .temp:
            if unit == celsius { return value }
            if unit == fahrenheit { return ((value - 32) * 5 / 9 * 10).rounded() / 10 }
            return nil
        case .pleth: return nil
        }
    }

    /// FLOAT-Type: exponent (signed 8 bits), mantissa (signed 24 bits). `nil` for NaN, NRes,
    /// +INF and -INF (tested on the mantissa alone, the safer reading [DEC x2]).
    static func float(_ raw: UInt32) -> Double? {
        let m24 = raw & 0x00FF_FFFF
        if [0x7F_FFFF, 0x80_0000, 0x7F_FFFE, 0x80_0002].contains(m24) { return nil }
        let mantissa = Int32(bitPattern: m24 << 8) >> 8
        let exponent = Int(Int8(bitPattern: UInt8(raw >> 24)))
        var v = Double(mantissa)
        if exponent >= 0 {
            for _ in 0..<exponent { v *= 10 }
        } else {
            for _ in 0..<(-exponent) { v /= 10 }
        }
        return v
    }

    /// `value` as FLOAT-Type with one decimal where needed (the simulator).
    static func floatBits(_ value: Double) -> UInt32 {
        let tenths = Int32((value * 10).rounded())
        if tenths % 10 == 0 { return UInt32(bitPattern: tenths / 10) & 0x00FF_FFFF }
        return 0xFF00_0000 | (UInt32(bitPattern: tenths) & 0x00FF_FFFF)
    }

    // MeasurementState bits.
    static let invalid: UInt16 = 0x8000
    static let questionable: UInt16 = 0x4000
    static let unavailable: UInt16 = 0x2000
    static let calibrationOngoing: UInt16 = 0x1000
    static let testData: UInt16 = 0x0800
    static let demoData: UInt16 = 0x0400
    static let measurementOngoing: UInt16 = 0x0020
    static let inAlarm: UInt16 = 0x0002
}
