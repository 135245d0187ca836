import VitalsCore

/// What a simulated device should be showing during one encoder period: the input of every
/// encoder.
///
/// `nil` values are written as the device's missing-value marker. `pleth` holds the waveform
/// samples for the period at the profile's waveform rate (an encoder repeats the last sample or
/// drops extras when the count differs).
public struct VitalSnapshot: Sendable, Hashable {
    /// SpO2 %, or `nil` for the device's missing value.
    public var spo2: Int?
    /// Pulse rate /min, or `nil` for the device's missing value.
    public var pulse: Int?
    /// Perfusion index %, where the device reports one.
    public var perfusionIndex: Double?
    /// Waveform samples for the period, in the device's units.
    public var pleth: [Int]
    /// Quality flags the device should set (sensor off, artifact, low perfusion, ...).
    public var flags: QualityFlags
    /// A completed NIBP measurement to report during this period, for NIBP profiles.
    public var bloodPressure: BloodPressureResult?
    /// The device's own alarm or exception code to report, where the protocol has one.
    public var deviceCode: UInt32?
    /// The device's clock during this period.
    public var deviceTime: DeviceTime?
    /// ECG heart rate /min, for multi-parameter monitors (`nil`: not measured or invalid).
    public var heartRate: Int?
    /// Impedance respiration rate /min, for multi-parameter monitors.
    public var respirationRate: Int?
    /// Airway (capnographic) respiration rate /min, for monitors with capnography.
    public var airwayRespirationRate: Int?
    /// End-tidal CO2, mmHg, for monitors with capnography.
    public var etco2: Double?
    /// Body temperature, °C.
    public var temperature: Double?

    /// A snapshot.
    public init(
        spo2: Int? = nil, pulse: Int? = nil, perfusionIndex: Double? = nil, pleth: [Int] = [],
        flags: QualityFlags = [], bloodPressure: BloodPressureResult? = nil, deviceCode: UInt32? = nil,
        deviceTime: DeviceTime? = nil
    ) {
        self.spo2 = spo2
        self.pulse = pulse
        self.perfusionIndex = perfusionIndex
        self.pleth = pleth
        self.flags = flags
        self.bloodPressure = bloodPressure
        self.deviceCode = deviceCode
        self.deviceTime = deviceTime
    }

    /// A snapshot of a multi-parameter monitor: the oximetry fields above plus ECG heart rate,
    /// respiration, capnography and temperature.
    public init(
        spo2: Int?, pulse: Int?, perfusionIndex: Double? = nil, bloodPressure: BloodPressureResult? = nil,
        heartRate: Int?, respirationRate: Int? = nil, airwayRespirationRate: Int? = nil,
        etco2: Double? = nil, temperature: Double? = nil, flags: QualityFlags = [], deviceCode: UInt32? = nil
    ) {
        self.init(spo2: spo2, pulse: pulse, perfusionIndex: perfusionIndex, flags: flags,
                  bloodPressure: bloodPressure, deviceCode: deviceCode)
        self.heartRate = heartRate
        self.respirationRate = respirationRate
        self.airwayRespirationRate = airwayRespirationRate
        self.etco2 = etco2
        self.temperature = temperature
    }
}
