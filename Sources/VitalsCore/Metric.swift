/// A physiological quantity the bridge records, named as DESIGN.md fixes it (`spo2`, `nibp.sys`, ...).
///
/// Each metric carries its IEEE 11073-10101 context-free code, its LOINC code where one exists,
/// and its UCUM unit (reference/protocols-bp.md section 6). These names cross every boundary
/// (rule files, the database, JSON lines), so they never change.
public enum Metric: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    /// Functional oxygen saturation by pulse oximetry, %.
    case spo2
    /// Pulse rate from the oximeter, /min.
    case pulse
    /// Perfusion index, %.
    case pi
    /// Plethysmographic waveform, device units.
    case pleth
    /// Non-invasive systolic blood pressure, mmHg.
    case nibpSystolic = "nibp.sys"
    /// Non-invasive diastolic blood pressure, mmHg.
    case nibpDiastolic = "nibp.dia"
    /// Non-invasive mean arterial pressure, mmHg.
    case nibpMean = "nibp.map"
    /// Pulse rate from the NIBP cuff, /min.
    case nibpPulse = "nibp.pulse"
    /// Heart rate from the ECG, /min.
    case hr
    /// Respiration rate from thoracic impedance, /min.
    case resp
    /// Airway respiration rate from capnography (breaths detected in the CO2 waveform), /min.
    case awrr
    /// End-tidal CO2, mmHg (devices that report % or kPa are converted by their decoder).
    case etco2
    /// Body temperature, °C.
    case temp

    /// The name used in rule files, JSON lines and the database.
    public var name: String { rawValue }

    /// Looks a metric up by its stable name.
    public init?(name: String) { self.init(rawValue: name) }

    /// IEEE 11073-10101 context-free code (partition x 65536 + term code).
    public var mdcCode: Int {
        switch self {
        case .spo2: 150456           // MDC_PULS_OXIM_SAT_O2
        case .pulse: 149530          // MDC_PULS_OXIM_PULS_RATE
        case .pi: 150448             // MDC_PULS_OXIM_PERF_REL
        case .pleth: 150452          // MDC_PULS_OXIM_PLETH
        case .nibpSystolic: 150021   // MDC_PRESS_BLD_NONINV_SYS
        case .nibpDiastolic: 150022  // MDC_PRESS_BLD_NONINV_DIA
        case .nibpMean: 150023       // MDC_PRESS_BLD_NONINV_MEAN
        case .nibpPulse: 149546      // MDC_PULS_RATE_NON_INV
        case .hr: 147842             // MDC_ECG_HEART_RATE (0x4182)
        case .resp: 151562           // MDC_RESP_RATE (0x500A)
        case .awrr: 151570           // MDC_AWAY_RESP_RATE (0x5012)
        case .etco2: 151708          // MDC_AWAY_CO2_ET (0x50B0)
        case .temp: 150344           // MDC_TEMP (0x4B48)
        }
    }

    /// IEEE 11073-10101 reference identifier.
    public var mdcReference: String {
        switch self {
        case .spo2: "MDC_PULS_OXIM_SAT_O2"
        case .pulse: "MDC_PULS_OXIM_PULS_RATE"
        case .pi: "MDC_PULS_OXIM_PERF_REL"
        case .pleth: "MDC_PULS_OXIM_PLETH"
        case .nibpSystolic: "MDC_PRESS_BLD_NONINV_SYS"
        case .nibpDiastolic: "MDC_PRESS_BLD_NONINV_DIA"
        case .nibpMean: "MDC_PRESS_BLD_NONINV_MEAN"
        case .nibpPulse: "MDC_PULS_RATE_NON_INV"
        case .hr: "MDC_ECG_HEART_RATE"
        case .resp: "MDC_RESP_RATE"
        case .awrr: "MDC_AWAY_RESP_RATE"
        case .etco2: "MDC_AWAY_CO2_ET"
        case .temp: "MDC_TEMP"
        }
    }

    /// LOINC code, where one is confirmed (reference/protocols-bp.md 6.4); `nil` otherwise.
    public var loinc: String? {
        switch self {
        case .spo2: "59408-5"
        case .pulse: "8867-4"
        case .nibpSystolic: "8480-6"
        case .nibpDiastolic: "8462-4"
        case .nibpMean: "8478-0"
        case .nibpPulse: "8867-4"
        case .hr: "8867-4"           // heart rate (FHIR R4 vital-signs profile)
        case .resp, .awrr: "9279-1"  // respiratory rate (FHIR R4 vital-signs profile)
        case .temp: "8310-5"         // body temperature (FHIR R4 vital-signs profile)
        // EtCO2 has no LOINC in the references (19889-5 is used by some feeds; not confirmed here).
        case .pi, .pleth, .etco2: nil
        }
    }

    /// UCUM unit code.
    public var ucum: String {
        switch self {
        case .spo2, .pi: "%"
        case .pulse, .nibpPulse, .hr, .resp, .awrr: "/min"
        case .pleth: "1"
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .etco2: "mm[Hg]"
        case .temp: "Cel"
        }
    }

    /// The unit as clinicians write it and as JSON lines print it (`%`, `/min`, `mmHg`).
    public var displayUnit: String {
        switch self {
        case .spo2, .pi: "%"
        case .pulse, .nibpPulse, .hr, .resp, .awrr: "/min"
        case .pleth: ""
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .etco2: "mmHg"
        case .temp: "°C"
        }
    }

    /// True for the metrics a blood-pressure cuff produces.
    public var isBloodPressure: Bool {
        switch self {
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse: true
        case .spo2, .pulse, .pi, .pleth, .hr, .resp, .awrr, .etco2, .temp: false
        }
    }

    /// A small stable number for compact storage; never reuse or renumber.
    public var storageCode: Int {
        switch self {
        case .spo2: 1
        case .pulse: 2
        case .pi: 3
        case .pleth: 4
        case .nibpSystolic: 5
        case .nibpDiastolic: 6
        case .nibpMean: 7
        case .nibpPulse: 8
        case .hr: 9
        case .resp: 10
        case .awrr: 11
        case .etco2: 12
        case .temp: 13
        }
    }

    /// The metric stored under `storageCode`.
    public init?(storageCode: Int) {
        guard let m = Metric.allCases.first(where: { $0.storageCode == storageCode }) else { return nil }
        self = m
    }

    /// The values the quantity can physically take, in `displayUnit`: a decoded value outside it
    /// is a corrupted or misread field, never a reading (DESIGN.md safety invariants). Wider than
    /// any clinical limit: these bound what a sensor can report, not what is normal.
    /// Sources: SpO2 0-100 as the protocols give it (reference/protocols-spo2.md 5.1, BerryMed
    /// byte 5 "SpO2 0-100"; Nonin's 7-bit field marks 127 missing, 1.7); the pulse bound 20-300 /min
    /// is issue 12's, since no reference states a device's pulse range (Nonin's HR field reaches
    /// 510, BerryMed's 254, so the field width is not a bound); the NIBP bounds contain every
    /// cuff profile's own table (SunTech, A&D: 30-300 / 10-250 / 15-280 / 25-250), which
    /// `NIBPPlausibleRanges` cuts to these. Every decoder checks its values against this range
    /// (`value-implausible` otherwise, issue 12.5). `pleth` is a waveform in device units and is
    /// bounded by its profile instead.
    public var plausibleRange: ClosedRange<Double> {
        switch self {
        case .spo2: 0...100
        case .pulse, .nibpPulse: 20...300
        case .pi: 0...100
        case .pleth: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        case .nibpSystolic: 20...300
        case .nibpDiastolic: 10...250
        case .nibpMean: 15...270
        case .hr: 15...350
        case .resp, .awrr: 0...150
        case .etco2: 0...150
        case .temp: 10...45
        }
    }

    public static func < (lhs: Metric, rhs: Metric) -> Bool { lhs.storageCode < rhs.storageCode }
}
