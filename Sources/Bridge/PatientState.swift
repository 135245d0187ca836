import VitalsCore

/// What a simulated patient and sensor look like at one moment: the scenario's output.
public struct PatientState: Sendable, Hashable {
    /// SpO2 %, or `nil` when the oximeter has nothing to show.
    public var spo2: Int?
    /// Pulse rate /min, or `nil`.
    public var pulse: Int?
    /// Perfusion index %.
    public var perfusionIndex: Double
    /// Systolic BP a cuff would measure now, mmHg.
    public var systolic: Int
    /// Diastolic BP, mmHg.
    public var diastolic: Int
    /// Quality flags the oximeter would set now.
    public var oximeterFlags: QualityFlags
    /// False while the device is unplugged (the `disconnect` scenario).
    public var connected: Bool
    /// Respiration rate /min, as impedance pneumography and capnography would both count it.
    public var respirationRate: Int = 14
    /// End-tidal CO2, mmHg (35-45 is normal, reference/alarms-clinical.md H).
    public var etco2: Double = 38

    /// A state.
    public init(
        spo2: Int?, pulse: Int?, perfusionIndex: Double, systolic: Int, diastolic: Int,
        oximeterFlags: QualityFlags = [], connected: Bool = true
    ) {
        self.spo2 = spo2
        self.pulse = pulse
        self.perfusionIndex = perfusionIndex
        self.systolic = systolic
        self.diastolic = diastolic
        self.oximeterFlags = oximeterFlags
        self.connected = connected
    }

    /// Mean arterial pressure as oscillometric devices estimate it: DIA + (SYS - DIA) / 3.
    public var mean: Int { diastolic + (systolic - diastolic) / 3 }
}
