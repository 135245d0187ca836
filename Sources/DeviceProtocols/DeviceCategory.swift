/// What kind of monitor a profile decodes.
public enum DeviceCategory: String, Sendable, Hashable {
    /// A pulse oximeter (SpO2, pulse, pleth).
    case pulseOximeter = "pulse-oximeter"
    /// A non-invasive blood-pressure monitor or module.
    case bloodPressure = "blood-pressure"
}
