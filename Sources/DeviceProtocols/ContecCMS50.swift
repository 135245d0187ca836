import VitalsCore

/// Contec CMS50D+ / CMS50E / CMS50F (and clones) speaking the legacy 5-byte live stream
/// (reference/protocols-spo2.md 3.3): it streams on its own at 60 frames a second, one way.
///
/// Units with firmware 4.6 and later, and newer F/E(W) models, speak the "V7.0" command protocol
/// at 115200 baud instead (reference 3.4); that protocol is not decoded by this profile.
///
/// USB: none listed. The only id the reference gives is the generic Silicon Labs CP210x bridge
/// 10C4:EA60 (OSCAR, [3P]), seen with the command-protocol units, and no manufacturer or product
/// string that would tell a Contec cable from any other CP210x; a generic id alone must never
/// pick a profile, so the port is assigned by configuration.
public enum ContecCMS50: DeviceProfile {
    /// `contec-cms50`.
    public static let id = "contec-cms50"
    /// One line for `--help`.
    public static let summary = "Contec CMS50D+/E/F pulse oximeter, legacy 5-byte live stream (60 Hz, 19200 8O1)"
    /// A pulse oximeter.
    public static let category = DeviceCategory.pulseOximeter
    /// 19200 baud, 8 data bits, odd parity, 1 stop bit.
    public static let serial = SerialSettings(
        baudRate: 19200, dataBits: 8, parity: .odd, stopBits: 1,
        note: "19200 8O1 per atbrask/CMS50Dplus and the Apnea Board wiki [3P]; odd parity is required. "
            + "They enable XON/XOFF, but 0x11/0x13 are legal data bytes here, so open the port raw. "
            + "A translated Contec manual gives 4800 8N1 for an older unit [SPEC-excerpt].")
    /// SpO2, pulse and pleth.
    public static let metrics: [Metric] = [.spo2, .pulse, .pleth]
    /// 7-bit pleth, 60 frames/s (reference 3.3).
    public static let waveformSampleRate: Double? = 60
    /// The largest pleth sample the format carries.
    public static let waveformMaximum = 127
    /// 60 frames a second: a second without a good frame is already unusual; two is quiet.
    public static let expectedGap: Duration = .seconds(2)
    /// A legacy-stream decoder.
    public static func makeDecoder() -> any DeviceDecoder { ContecCMS50Decoder() }
    /// A simulated legacy-stream device.
    public static func makeEncoder() -> any DeviceEncoder { ContecCMS50Encoder() }
}
