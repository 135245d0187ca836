/// Commands the host may send a device. A profile says which it supports and their bytes.
public enum HostCommand: String, Sendable, Hashable, CaseIterable {
    /// Select the data format the profile decodes (Nonin `02 70 02 02 ZZ 03`).
    case selectDataFormat = "select-data-format"
    /// Start a measurement (SunTech `3A 20 A6`).
    case startMeasurement = "start-measurement"
    /// Ask for the last measurement's result (SunTech `3A 79 03 00 4A`).
    case requestResult = "request-result"
    /// Abort a running measurement.
    case abortMeasurement = "abort-measurement"
    /// Ask for the current cuff pressure (progress while measuring).
    case requestCuffPressure = "request-cuff-pressure"
    /// Ask for the device's version or identity string.
    case requestVersion = "request-version"
    /// Open the device's communication port (A&D `CPC05`).
    case openPort = "open-port"
    /// Close the device's communication port (A&D `CPC04`).
    case closePort = "close-port"
}
