/// Where a metric sits in the IEEE 11073 containment tree an IHE PCD-01 message spells out in
/// OBX-4 (`<MDS>.<VMD>.<channel>.<metric>`): the virtual medical device (VMD) and its channel.
///
/// Codes are IEEE 11073-10101 context-free codes (partition 1, object infrastructure: 65536 +
/// term code). Sources: the SpO2, ECG and temperature VMD/channel codes appear with the same
/// numbers in independent public PCD-01 senders (GE B40 samples, a PCD-01 simulator); the NIBP
/// VMD matches Philips IntelliVue's NOM_DEV_PRESS_BLD_NONINV_VMD (5150) and a public PCD-01
/// sample (70686/70687); the CO2 VMD matches NOM_DEV_CO2_VMD (5146). Impedance respiration is
/// measured through the ECG electrodes and is reported under the ECG VMD, as monitors do.
public enum MDCDeviceGroup: String, CaseIterable, Sendable, Hashable, Codable {
    case pulseOximetry
    case noninvasiveBloodPressure
    case ecg
    case co2
    case temperature

    /// The VMD's position under the MDS in OBX-4 (`1.<vmdIndex>.0.0`), fixed per group so a
    /// receiver sees the same tree from every message.
    public var vmdIndex: Int {
        switch self {
        case .pulseOximetry: 1
        case .noninvasiveBloodPressure: 2
        case .ecg: 3
        case .co2: 4
        case .temperature: 5
        }
    }

    public var vmdCode: Int {
        switch self {
        case .pulseOximetry: 69642
        case .noninvasiveBloodPressure: 70686
        case .ecg: 69798
        case .co2: 70682
        case .temperature: 69902
        }
    }

    public var vmdReference: String {
        switch self {
        case .pulseOximetry: "MDC_DEV_ANALY_SAT_O2_VMD"
        case .noninvasiveBloodPressure: "MDC_DEV_PRESS_BLD_NONINV_VMD"
        case .ecg: "MDC_DEV_ECG_VMD"
        case .co2: "MDC_DEV_CO2_VMD"
        case .temperature: "MDC_DEV_METER_TEMP_VMD"
        }
    }

    /// The VMD's single channel (its code is the VMD's plus one in the nomenclature).
    public var channelCode: Int { vmdCode + 1 }

    public var channelReference: String {
        switch self {
        case .pulseOximetry: "MDC_DEV_ANALY_SAT_O2_CHAN"
        case .noninvasiveBloodPressure: "MDC_DEV_PRESS_BLD_NONINV_CHAN"
        case .ecg: "MDC_DEV_ECG_CHAN"
        case .co2: "MDC_DEV_CO2_CHAN"
        case .temperature: "MDC_DEV_METER_TEMP_CHAN"
        }
    }

    /// The MDS every device is reported as: the bridge presents each serial device as a
    /// physiological monitor (`69965`, as in the PCD-01 samples of reference/peers.md 3.1).
    public static let mdsCode = 69965
    public static let mdsReference = "MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS"
}

extension Metric {
    /// The VMD the metric is reported under.
    public var mdcGroup: MDCDeviceGroup {
        switch self {
        case .spo2, .pulse, .pi, .pleth: .pulseOximetry
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse: .noninvasiveBloodPressure
        case .hr, .resp: .ecg
        case .awrr, .etco2: .co2
        case .temp: .temperature
        }
    }

    /// The metric's position in its channel (OBX-4's last number), stable per metric.
    public var mdcMetricIndex: Int {
        switch self {
        case .spo2: 1
        case .pulse: 2
        case .pi: 3
        case .pleth: 4
        case .nibpSystolic: 1
        case .nibpDiastolic: 2
        case .nibpMean: 3
        case .nibpPulse: 4
        case .hr: 1
        case .resp: 2
        case .awrr: 1
        case .etco2: 2
        case .temp: 1
        }
    }

    /// IEEE 11073-10101 unit code (partition 4, dimensions: 262144 + term code) for `displayUnit`.
    public var mdcUnitCode: Int {
        switch self {
        case .spo2, .pi: 262688                      // MDC_DIM_PERCENT (544)
        case .pulse, .nibpPulse, .hr: 264864         // MDC_DIM_BEAT_PER_MIN (2720)
        case .resp, .awrr: 264928                    // MDC_DIM_RESP_PER_MIN (2784)
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .etco2: 266016  // MDC_DIM_MMHG (3872)
        case .temp: 268192                           // MDC_DIM_DEGC (6048)
        case .pleth: 262656                          // MDC_DIM_DIMLESS (512)
        }
    }

    /// IEEE 11073-10101 reference identifier of `mdcUnitCode`.
    public var mdcUnitReference: String {
        switch self {
        case .spo2, .pi: "MDC_DIM_PERCENT"
        case .pulse, .nibpPulse, .hr: "MDC_DIM_BEAT_PER_MIN"
        case .resp, .awrr: "MDC_DIM_RESP_PER_MIN"
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .etco2: "MDC_DIM_MMHG"
        case .temp: "MDC_DIM_DEGC"
        case .pleth: "MDC_DIM_DIMLESS"
        }
    }

    /// True for metrics measured now and then (NIBP), whose own measurement time goes in OBX-14.
    public var isEpisodic: Bool { isBloodPressure }
}
