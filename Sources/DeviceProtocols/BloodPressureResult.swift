import VitalsCore

/// One completed NIBP measurement, as an encoder writes it and a simulator produces it.
public struct BloodPressureResult: Sendable, Hashable {
    /// Systolic pressure, mmHg.
    public var systolic: Int
    /// Diastolic pressure, mmHg.
    public var diastolic: Int
    /// Mean arterial pressure, mmHg, where the device reports it.
    public var mean: Int?
    /// Pulse rate from the cuff, /min, where the device reports it.
    public var pulse: Int?
    /// The device's error code; non-zero means the measurement failed and carries no values.
    public var errorCode: Int
    /// The device's time for the measurement, where the protocol carries one.
    public var deviceTime: DeviceTime?

    /// A result.
    public init(
        systolic: Int, diastolic: Int, mean: Int? = nil, pulse: Int? = nil, errorCode: Int = 0,
        deviceTime: DeviceTime? = nil
    ) {
        self.systolic = systolic
        self.diastolic = diastolic
        self.mean = mean
        self.pulse = pulse
        self.errorCode = errorCode
        self.deviceTime = deviceTime
    }
}
