/// What the device says about the quality of one reading.
///
/// A reading with `artifact`, `sensorOff`, `held` or `outOfTrack` set is kept (it is evidence) but
/// never feeds a physiological rule; technical rules see it instead.
public struct QualityFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Motion or other artifact on this reading (Nonin ARTF, Masimo artifact exceptions).
    public static let artifact = QualityFlags(rawValue: 1 << 0)
    /// Out of track: no consecutive good pulses (Nonin OOT), sustained artifact.
    public static let outOfTrack = QualityFlags(rawValue: 1 << 1)
    /// Sensor disconnected, sensor off the patient, or no finger (Nonin SNSA/SNSD, Masimo EXC).
    public static let sensorOff = QualityFlags(rawValue: 1 << 2)
    /// Low perfusion (Nonin red/LPRF, Masimo low perfusion index).
    public static let lowPerfusion = QualityFlags(rawValue: 1 << 3)
    /// Marginal perfusion (Nonin yellow/MPRF).
    public static let marginalPerfusion = QualityFlags(rawValue: 1 << 4)
    /// The device's battery is low.
    public static let lowBattery = QualityFlags(rawValue: 1 << 5)
    /// A display value the device holds after the finger came out (Nonin SNSA with a held value):
    /// not a live reading.
    public static let held = QualityFlags(rawValue: 1 << 6)
    /// The device reports an alarm of its own (Masimo ALARM bits) alongside this reading.
    public static let deviceAlarm = QualityFlags(rawValue: 1 << 7)
    /// The device reports an exception (Masimo EXC bits) alongside this reading.
    public static let deviceException = QualityFlags(rawValue: 1 << 8)
    /// The value is a low-confidence one (Masimo low signal IQ, SunTech artifact result).
    public static let lowConfidence = QualityFlags(rawValue: 1 << 9)
    /// The monitor says the value is demonstration or test data, not from a patient (IntelliVue
    /// MeasurementState DEMO_DATA 0x0400 / TEST_DATA 0x0800): never feeds a physiological rule.
    public static let demo = QualityFlags(rawValue: 1 << 10)

    /// Flags that make a reading unusable for physiological alarms.
    public static let invalidating: QualityFlags = [.artifact, .outOfTrack, .sensorOff, .held, .demo]

    /// True when no invalidating flag is set.
    public var isPhysiologicallyValid: Bool { isDisjoint(with: .invalidating) }

    /// Every flag with its stable name, in a fixed order (JSON lines, the database, rules).
    public static let named: [(QualityFlags, String)] = [
        (.artifact, "artifact"),
        (.outOfTrack, "out-of-track"),
        (.sensorOff, "sensor-off"),
        (.lowPerfusion, "low-perfusion"),
        (.marginalPerfusion, "marginal-perfusion"),
        (.lowBattery, "low-battery"),
        (.held, "held"),
        (.deviceAlarm, "device-alarm"),
        (.deviceException, "device-exception"),
        (.lowConfidence, "low-confidence"),
        (.demo, "demo"),
    ]

    /// The stable names of the flags set, in the fixed order.
    public var names: [String] {
        Self.named.compactMap { contains($0.0) ? $0.1 : nil }
    }

    /// Parses a list of stable names; `nil` when one is unknown.
    public init?(names: [String]) {
        var flags = QualityFlags()
        for name in names {
            guard let f = Self.named.first(where: { $0.1 == name }) else { return nil }
            flags.insert(f.0)
        }
        self = flags
    }
}
