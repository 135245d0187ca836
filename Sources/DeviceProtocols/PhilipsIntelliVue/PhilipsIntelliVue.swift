import VitalsCore

/// Philips IntelliVue patient monitors (MP/MX series) on the MIB/RS-232 Data Export interface
/// (reference/protocols-multiparameter.md section 1). The Philips guide's content was not
/// readable (only its table of contents); every byte here agrees with several open-source
/// implementations ([DEC x4-6]) and the reference's recomputed worked examples.
///
/// Line 115200 8N1, no handshake ([DEC x4]); the monitor's MIB port must be configured for data
/// export. The "AutoSpeed" protocol is not implemented ([UNVERIFIED], P-2).
public enum PhilipsIntelliVue: DeviceProfile {
    /// `philips-intellivue`.
    public static let id = "philips-intellivue"
    /// One line for `--help`.
    public static let summary = "Philips IntelliVue monitor, MIB/RS-232 Data Export (association, extended polls, 115200 8N1)"
    /// A multi-parameter monitor.
    public static let category = DeviceCategory.multiParameter
    /// 115200 8N1.
    public static let serial = SerialSettings(
        baudRate: 115200, dataBits: 8, parity: .none, stopBits: 1,
        note: "115200 8N1, no handshake [DEC x4: VSCaptureMP, mdpnp, LNhealth, mindleaving]; the AutoSpeed protocol is not used.")
    /// The numerics decoded.
    public static let metrics: [Metric] = [
        .hr, .spo2, .pulse, .pi, .nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse, .resp, .awrr, .etco2, .temp,
    ]
    /// Numerics about once a second while associated: 5 s without a good frame is quiet
    /// (mdpnp reconnects after 5 s of silence [DEC]).
    public static let expectedGap: Duration = .seconds(5)
    /// A Data Export decoder.
    public static func makeDecoder() -> any DeviceDecoder { IntelliVueDecoder() }
    /// A simulated monitor.
    public static func makeEncoder() -> any DeviceEncoder { IntelliVueEncoder() }
    /// Association, polls, keep-alive, release.
    public static func makeDialogue() -> any HostDialogue { IntelliVueDialogue() }
}
