import VitalsCore

/// The `suntech-advantage` profile: SunTech Medical's Advantage / Advantage+ OEM NIBP module on
/// RS-232 or TTL serial (reference/protocols-bp.md 2, [DEC x2]: Appciton and DesktopFX agree; no
/// SunTech document was found).
///
/// The module speaks only when spoken to, except for the `K` it sends when a measurement ends.
/// The host starts a measurement (`3A 20 A6`), polls cuff pressure while it runs, waits for `K`,
/// then asks for the result (`3A 79 03 00 4A`). Repeat measurements are timed by the host; the
/// reference found no module-side cycle command.
public enum SunTechAdvantage: DeviceProfile {
    /// `suntech-advantage`.
    public static let id = "suntech-advantage"
    /// One line for `--help`.
    public static let summary = "SunTech Advantage OEM NIBP module (9600 8N1, host-driven; SYS/DIA/MAP/pulse)"
    /// Blood pressure.
    public static let category = DeviceCategory.bloodPressure
    /// 9600 8N1, no flow control.
    public static let serial = SerialSettings(
        baudRate: 9600, dataBits: 8, parity: .none, stopBits: 1,
        note: "9600 8N1: both third-party decoders (Appciton, DesktopFX) agree [DEC x2]; no SunTech document found"
    )
    /// SYS, DIA, MAP and the cuff's pulse rate.
    public static let metrics: [Metric] = [.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse]
    /// 20 minutes. The module is silent between measurements, and the bridge does not poll it
    /// then, so silence is how a healthy idle module looks. "Quiet" therefore means no frame at
    /// all for longer than a sedation room's longest routine BP interval (15 min) plus one
    /// worst-case measurement (the module's own time limit; error 0x04) with margin. A shorter gap
    /// would raise a technical alert for every idle cuff.
    public static let expectedGap: Duration = .seconds(20 * 60)
    /// The version request only: it proves the link and names the model (`LX`/`SB`) without
    /// inflating a cuff or re-reporting an old result as new.
    public static let commandsOnConnect: [HostCommand] = [.requestVersion]
    /// Silent until asked; the version request (`3A 79 02 00 4B`) only names the model.
    public static let probeBehaviour = ProbeBehaviour.answers(
        request: .requestVersion, why: "silent until asked; the version request only names the model, it inflates no cuff")

    /// Host frames (reference 2.2), checksums recomputed: start adult `3A 20 A6`, result
    /// `3A 79 03 00 4A`, abort `3A 79 01 00 4C`, cuff pressure `3A 79 05 00 48`, version
    /// `3A 79 02 40 0B`.
    public static func bytes(for command: HostCommand) -> [UInt8]? {
        switch command {
        case .startMeasurement: SunTechFrame.hostFrame([0x20])
        case .requestResult: SunTechFrame.hostFrame([0x79, 0x03, 0x00])
        case .abortMeasurement: SunTechFrame.hostFrame([0x79, 0x01, 0x00])
        case .requestCuffPressure: SunTechFrame.hostFrame([0x79, 0x05, 0x00])
        case .requestVersion: SunTechFrame.hostFrame([0x79, 0x02, 0x40])
        case .selectDataFormat, .openPort, .closePort: nil
        }
    }

    /// A new decoder.
    public static func makeDecoder() -> any DeviceDecoder { SunTechDecoder() }
    /// A new simulated module.
    public static func makeEncoder() -> any DeviceEncoder { SunTechEncoder() }

    /// `K` (executed/complete) after a start: the measurement ended and `requestResult` fetches it.
    public static func reportsMeasurementComplete(_ status: DeviceStatus) -> Bool {
        (status.kind == .progress || status.kind == .commandAccepted)
            && status.code == UInt32(SunTechStatusCharacter.complete.rawValue)
    }
}
