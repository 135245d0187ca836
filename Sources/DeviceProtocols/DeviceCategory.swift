/// What kind of monitor a profile decodes.
public enum DeviceCategory: String, Sendable, Hashable {
    /// A pulse oximeter (SpO2, pulse, pleth).
    case pulseOximeter = "pulse-oximeter"
    /// A non-invasive blood-pressure monitor or module.
    case bloodPressure = "blood-pressure"
    /// A multi-parameter patient monitor (ECG heart rate, SpO2, NIBP, respiration, capnography,
    /// temperature) with a session protocol of its own (IntelliVue, GE S/5).
    case multiParameter = "multi-parameter"
}
