import VitalsCore

/// Everything the bridge knows about one device protocol: serial settings, USB ids, commands,
/// timing, and how to make its decoder and encoder.
public protocol DeviceProfile: Sendable {
    /// The stable profile name (`nonin-df7`).
    static var id: String { get }
    /// One line for `--help` and `vitals devices`.
    static var summary: String { get }
    /// Oximeter or blood pressure.
    static var category: DeviceCategory { get }
    /// Serial line settings.
    static var serial: SerialSettings { get }
    /// USB identities that point at this profile (may be empty).
    static var usbMatches: [USBMatch] { get }
    /// Metrics this profile can produce.
    static var metrics: [Metric] { get }
    /// The longest silence (no valid frame) that is still normal; longer means "quiet".
    static var expectedGap: Duration { get }
    /// Commands to send when a port is opened, in order.
    static var commandsOnConnect: [HostCommand] { get }
    /// The bytes of `command`, or `nil` when this profile has no such command.
    static func bytes(for command: HostCommand) -> [UInt8]?
    /// Pleth samples a second the device sends, or `nil` when it sends no waveform.
    static var waveformSampleRate: Double? { get }
    /// The largest pleth sample value the protocol can carry (255 for an 8-bit waveform).
    static var waveformMaximum: Int { get }
    /// True when `status` says a measurement the host started has finished and its result can
    /// be asked for (a command-driven cuff's "complete"). False for profiles that push results.
    static func reportsMeasurementComplete(_ status: DeviceStatus) -> Bool
    /// A new decoder at the start of a stream.
    static func makeDecoder() -> any DeviceDecoder
    /// A new simulated device.
    static func makeEncoder() -> any DeviceEncoder
    /// The host's side of the conversation for a newly opened port (``StandardDialogue`` unless
    /// the device needs a session protocol of its own).
    static func makeDialogue() -> any HostDialogue
    /// How a probe of an unassigned port can recognise this device (``ProbeBehaviour/streams``
    /// unless the profile says otherwise).
    static var probeBehaviour: ProbeBehaviour { get }
}

extension DeviceProfile {
    /// No commands by default: most devices stream on their own.
    public static var commandsOnConnect: [HostCommand] { [] }
    /// No commands by default.
    public static func bytes(for command: HostCommand) -> [UInt8]? { nil }
    /// Devices that push their results never need to be asked.
    public static func reportsMeasurementComplete(_ status: DeviceStatus) -> Bool { false }
    /// No waveform by default.
    public static var waveformSampleRate: Double? { nil }
    /// An 8-bit waveform by default.
    public static var waveformMaximum: Int { 255 }
    /// No USB identities by default.
    public static var usbMatches: [USBMatch] { [] }
    /// The commands table's dialogue by default.
    public static func makeDialogue() -> any HostDialogue { StandardDialogue(profile: self) }
}
