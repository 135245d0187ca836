import VitalsCore

/// Contec CMS50D+ (firmware 4.6 and later), CMS50E/F/EW/I/H and rebadged units speaking the
/// "Communication protocol of pulse oximeter V7.0" (reference/protocols-multiparameter.md
/// section 3, [SPEC]): the host starts real-time data with `A1`, keeps it alive with `AF` every
/// 5 s and stops it with `A2`; the device sends 9-byte real-time packages, 60 a second.
///
/// USB: none listed, for the reason given on ``ContecCMS50`` (a generic CP210x bridge
/// 10C4:EA60 alone must never pick a profile).
///
/// Uncertain: whether every V7 device sends PI (CMS50D+ traces show `FF FF`, reference C-3):
/// PI is read only when present. The stream's stop time without keep-alives (~30 s, C-2, [DEC]).
public enum ContecCMS50V7: DeviceProfile {
    /// `contec-cms50-v7`.
    public static let id = "contec-cms50-v7"
    /// One line for `--help`.
    public static let summary = "Contec CMS50D+ fw 4.6+/E/F pulse oximeter, V7.0 command protocol (60 Hz, 115200 8N1)"
    /// A pulse oximeter.
    public static let category = DeviceCategory.pulseOximeter
    /// 115200 8N1, no flow control.
    public static let serial = SerialSettings(
        baudRate: 115200, dataBits: 8, parity: .none, stopBits: 1,
        note: "115200 8N1 [SPEC V7.0]; no flow control (OSCAR [DEC]): 0x11/0x13 are package types, so never XON/XOFF.")
    /// SpO2, pulse, PI and pleth.
    public static let metrics: [Metric] = [.spo2, .pulse, .pi, .pleth]
    /// 7-bit pleth at 60 packages/s.
    public static let waveformSampleRate: Double? = 60
    /// The largest pleth sample.
    public static let waveformMaximum = 127
    /// 60 packages a second: two seconds without one is quiet.
    public static let expectedGap: Duration = .seconds(2)
    /// A V7.0 decoder.
    public static func makeDecoder() -> any DeviceDecoder { ContecV7Decoder() }
    /// A simulated V7.0 device.
    public static func makeEncoder() -> any DeviceEncoder { ContecV7Encoder() }
    /// Start, keep alive, stop.
    public static func makeDialogue() -> any HostDialogue { ContecV7Dialogue() }
}
