import VitalsCore

/// The `and-ua767` profile: the A&D UA-767PC blood-pressure monitor on its PC serial cable
/// (reference/protocols-bp.md 1.1, [DEC]: one 2010-era JavaScript helper; the MAP field is
/// corroborated by A&D's PBT data-section spec, 1.2).
///
/// The host opens the device's port (`CPC05`), the device answers ACK, and a result arrives as
/// 10 hex characters after a measurement; `CPC04` closes the port.
///
/// Serial settings are a [GAP]: no source gives them. 9600 8N1 without flow control is used as
/// the most common default for devices of this kind; if the device stays silent, the line speed
/// is the first thing to check.
public enum AndUA767: DeviceProfile {
    /// `and-ua767`.
    public static let id = "and-ua767"
    /// One line for `--help`.
    public static let summary = "A&D UA-767PC on its PC cable (10-char hex record; SYS/DIA/MAP/pulse; line settings assumed)"
    /// Blood pressure.
    public static let category = DeviceCategory.bloodPressure
    /// 9600 8N1 assumed.
    public static let serial = SerialSettings(
        baudRate: 9600, dataBits: 8, parity: .none, stopBits: 1,
        note: "[GAP] no source gives the UA-767PC's line settings; 9600 8N1, no flow control, is an assumed common default"
    )
    /// SYS, DIA, MAP and pulse rate.
    public static let metrics: [Metric] = [.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse]
    /// 20 minutes. The monitor sends a record only after a measurement someone started, so
    /// silence between measurements is normal; "quiet" means nothing for longer than a sedation
    /// room's longest routine BP interval (15 min) plus a measurement and margin.
    public static let expectedGap: Duration = .seconds(20 * 60)
    /// Open the device's communication port, as the helper does before reading.
    public static let commandsOnConnect: [HostCommand] = [.openPort]
    /// Answers only after the host opens its port (`CPC05`), which is not for an unknown device.
    public static let probeBehaviour = ProbeBehaviour.silent(
        why: "answers only after the host opens its communication port (CPC05); assign it in a devices file")

    /// `CPC05` open port `02 43 50 43 30 35 3B`, `CPC04` close port `02 43 50 43 30 34 3A`
    /// (checksums recomputed in the reference; the helper's comment has 3B for close, a typo).
    public static func bytes(for command: HostCommand) -> [UInt8]? {
        switch command {
        case .openPort: AndUA767Frame.controlFrame(code: "05")
        case .closePort: AndUA767Frame.controlFrame(code: "04")
        default: nil
        }
    }

    /// A new decoder.
    public static func makeDecoder() -> any DeviceDecoder { AndUA767Decoder() }
    /// A new simulated device.
    public static func makeEncoder() -> any DeviceEncoder { AndUA767Encoder() }
}
