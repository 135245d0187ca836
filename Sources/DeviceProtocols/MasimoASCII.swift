import VitalsCore

/// Masimo Rad-8, Radical-5/-7, Rad-87 (Rad-97 assumed alike, unverified) serial output in ASCII 1
/// or ASCII 2 (reference/protocols-spo2.md 2): one `KEY=VALUE` text line a second, read by name.
///
/// The output mode is chosen on the device (Rad-8 ships in ASCII 2, Rad-87 in ASCII 1); both
/// decode here. Connection: female DB-9 on the device, null-modem cable [SPEC].
///
/// USB: none listed. The device has an RS-232 port only; any USB-serial adapter in between is
/// generic and never picks this profile by its ids.
public enum MasimoASCII: DeviceProfile {
    /// `masimo-ascii`.
    public static let id = "masimo-ascii"
    /// One line for `--help`.
    public static let summary = "Masimo Rad-8 / Radical-7 / Rad-87 serial ASCII 1 or 2 (1 line/s, 9600 8N1, null-modem)"
    /// A pulse oximeter.
    public static let category = DeviceCategory.pulseOximeter
    /// 9600 8N1, no handshake.
    public static let serial = SerialSettings(
        baudRate: 9600,
        note: "9600 8N1, no handshaking, null-modem cable: Rad-8 operator's manual section 7 and Rad-87 manual p. 7-4 [SPEC].")
    /// SpO2, pulse and perfusion index.
    public static let metrics: [Metric] = [.spo2, .pulse, .pi]
    /// One line a second, but the real interval has been seen to differ from the manual's
    /// (reference 2.6): allow five seconds.
    public static let expectedGap: Duration = .seconds(5)
    /// An ASCII 1/2 decoder.
    public static func makeDecoder() -> any DeviceDecoder { MasimoASCIIDecoder() }
    /// A simulated Radical-7 in ASCII 1.
    public static func makeEncoder() -> any DeviceEncoder { MasimoASCIIEncoder() }
}
