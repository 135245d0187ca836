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
        case .pi, .pleth: nil
        }
    }

    /// UCUM unit code.
    public var ucum: String {
        switch self {
        case .spo2, .pi: "%"
        case .pulse, .nibpPulse: "/min"
        case .pleth: "1"
        case .nibpSystolic, .nibpDiastolic, .nibpMean: "mm[Hg]"
        }
    }

    /// The unit as clinicians write it and as JSON lines print it (`%`, `/min`, `mmHg`).
    public var displayUnit: String {
        switch self {
        case .spo2, .pi: "%"
        case .pulse, .nibpPulse: "/min"
        case .pleth: ""
        case .nibpSystolic, .nibpDiastolic, .nibpMean: "mmHg"
        }
    }

    /// True for the metrics a blood-pressure cuff produces.
    public var isBloodPressure: Bool {
        switch self {
        case .nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse: true
        default: false
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
        }
    }

    /// The metric stored under `storageCode`.
    public init?(storageCode: Int) {
        guard let m = Metric.allCases.first(where: { $0.storageCode == storageCode }) else { return nil }
        self = m
    }

    public static func < (lhs: Metric, rhs: Metric) -> Bool { lhs.storageCode < rhs.storageCode }
}
