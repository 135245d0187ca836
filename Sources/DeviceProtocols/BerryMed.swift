import VitalsCore

/// BerryMed (Shanghai Berry) oximeters and OEM modules speaking the BCI protocol v1.2
/// (reference/protocols-spo2.md 5.1, [SPEC] except the baud rate): 5-byte frames at 100 Hz,
/// streamed without any host command.
///
/// USB: none listed; the reference gives no USB id for these devices.
public enum BerryMed: DeviceProfile {
    /// `berrymed`.
    public static let id = "berrymed"
    /// One line for `--help`.
    public static let summary = "BerryMed BCI pulse oximeter / OEM module, 5-byte frames at 100 Hz (baud uncertain: 115200 8N1)"
    /// A pulse oximeter.
    public static let category = DeviceCategory.pulseOximeter
    /// 115200 8N1: UNCERTAIN.
    public static let serial = SerialSettings(
        baudRate: 115200,
        note: "UNCERTAIN: the BCI spec v1.2 states no baud rate (reference 5.1, 8). 115200 8N1 is what "
            + "BerryMed's own USB demo app sets (zh2x/SpO2-USB-for-Android, USBCommManager.java) [3P-single]; "
            + "check it against the device.")
    /// SpO2, pulse and pleth.
    public static let metrics: [Metric] = [.spo2, .pulse, .pleth]
    /// pleth 0-100, 100 frames/s (reference 5.1).
    public static let waveformSampleRate: Double? = 100
    /// The largest pleth sample the format carries.
    public static let waveformMaximum = 100
    /// 100 frames a second: two seconds without a good frame is quiet.
    public static let expectedGap: Duration = .seconds(2)
    /// A BCI decoder.
    public static func makeDecoder() -> any DeviceDecoder { BerryMedDecoder() }
    /// A simulated BCI device.
    public static func makeEncoder() -> any DeviceEncoder { BerryMedEncoder() }
}
