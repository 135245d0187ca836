import VitalsCore

/// Nonin Data Format 8: a 4-byte record once a second with the display HR and SpO2 (9560, 3150;
/// reference protocols-spo2.md 1.8, [SPEC] 9560 OEM specification).
///
/// No checksum: the decoder checks the bit-7 pattern, reserved bits and ranges. Values held
/// after finger-out (SNSA set) are flagged `.held` and `.sensorOff`.
public enum NoninDF8: DeviceProfile {
    /// `nonin-df8`.
    public static let id = "nonin-df8"
    /// One line for listings.
    public static let summary = "Nonin Data Format 8 (9560, 3150): 4-byte record a second, display SpO2 and HR"
    /// A pulse oximeter.
    public static let category = DeviceCategory.pulseOximeter
    /// 9600 8N1, no flow control.
    public static let serial = SerialSettings(baudRate: 9600, note: "9600 8N1, no flow control: 9560 OEM spec [SPEC]")
    /// SpO2 and pulse.
    public static let metrics: [Metric] = [.spo2, .pulse]
    /// A record a second; 3 s without one is no longer normal.
    public static let expectedGap: Duration = .seconds(3)
    /// Select DF8 at connection: the device accepts the command only in its first 5 s.
    public static let commandsOnConnect: [HostCommand] = [.selectDataFormat]

    /// `02 70 02 02 08 03` for `.selectDataFormat`; nothing else.
    public static func bytes(for command: HostCommand) -> [UInt8]? {
        command == .selectDataFormat ? NoninSelectFormat.command(NoninSelectFormat.df8) : nil
    }

    /// A DF8 decoder.
    public static func makeDecoder() -> any DeviceDecoder { NoninDF8Decoder() }
    /// A simulated DF8 device.
    public static func makeEncoder() -> any DeviceEncoder { NoninDF8Encoder() }
}
