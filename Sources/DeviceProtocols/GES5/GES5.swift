import VitalsCore

/// GE Datex-Ohmeda S/5 and CARESCAPE monitors (B850/B650/B450, B40, B105/B125, AM/CAM/CCM...)
/// on the computer interface (DRI records over RS-232; reference/protocols-multiparameter.md
/// section 2, from the vendor specifications read in full, [SPEC]).
///
/// Line: 19200 8E1 with RTS/CTS; CARESCAPE monitors with software 3 or later can be set to
/// 115200 instead ([SPEC]): profile ``GECarescape115200`` for those. The serial port of the
/// B850/B650/B450 is an ATEN UC-232A plugged into the monitor.
///
/// Uncertain, see the decoder and dialogue: the DRI level requests need (G-2), the enum size in
/// alarm records (G-3), the filler of absent groups (G-4), whether the serial interface answers
/// an aux-info request (G-1, not sent).
public enum GES5: DeviceProfile {
    /// `ge-s5`.
    public static let id = "ge-s5"
    /// One line for `--help`.
    public static let summary = "GE S/5 / CARESCAPE monitor, computer interface (DRI displayed values, 19200 8E1 RTS/CTS)"
    /// A multi-parameter monitor.
    public static let category = DeviceCategory.multiParameter
    /// 19200 8E1, RTS/CTS.
    public static let serial = SerialSettings(
        baudRate: 19200, dataBits: 8, parity: .even, stopBits: 1, rtsCts: true,
        note: "19200 8E1 with RTS/CTS [SPEC CI 2]; CARESCAPE software 3+ also 115200 (set on the monitor). "
            + "If RTS/CTS holds the monitor off for more than 2 s it stops waveforms.")
    /// What the basic class gives.
    public static let metrics: [Metric] = [
        .hr, .spo2, .pulse, .nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse, .resp, .awrr, .etco2, .temp,
    ]
    /// Records every 5 s by default: two missed records and a margin is quiet (engineering choice).
    public static let expectedGap: Duration = .seconds(12)
    /// A computer-interface decoder.
    public static func makeDecoder() -> any DeviceDecoder { GES5Decoder() }
    /// A simulated monitor.
    public static func makeEncoder() -> any DeviceEncoder { GES5Encoder() }
    /// Displayed values every 5 s, alarms in differential mode.
    public static func makeDialogue() -> any HostDialogue { GES5Dialogue() }
}

/// The same interface on a CARESCAPE monitor (software 3 or later) set to 115200 bit/s
/// ("19200 or 115200 bit/s on CARESCAPE monitors with software version 3 or later", [SPEC] CI 2):
/// everything as ``GES5`` but the speed.
public enum GECarescape115200: DeviceProfile {
    /// `ge-carescape-115200`.
    public static let id = "ge-carescape-115200"
    /// One line for `--help`.
    public static let summary = "GE CARESCAPE monitor (software 3+), computer interface at 115200 8E1 RTS/CTS"
    /// A multi-parameter monitor.
    public static let category = DeviceCategory.multiParameter
    /// 115200 8E1, RTS/CTS.
    public static let serial = SerialSettings(
        baudRate: 115200, dataBits: 8, parity: .even, stopBits: 1, rtsCts: true,
        note: "115200 8E1 with RTS/CTS, CARESCAPE software 3+ only [SPEC CI 2]; the monitor's setting must match.")
    /// As ``GES5``.
    public static var metrics: [Metric] { GES5.metrics }
    /// As ``GES5``.
    public static var expectedGap: Duration { GES5.expectedGap }
    /// A computer-interface decoder.
    public static func makeDecoder() -> any DeviceDecoder { GES5Decoder() }
    /// A simulated monitor.
    public static func makeEncoder() -> any DeviceEncoder { GES5Encoder() }
    /// As ``GES5``.
    public static func makeDialogue() -> any HostDialogue { GES5Dialogue() }
}
