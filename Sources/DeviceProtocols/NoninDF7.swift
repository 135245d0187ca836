import VitalsCore

/// Nonin Data Format 7: 5-byte frames with 16-bit pleth and no start byte, the DF2 packet and
/// float map (9560, 3150, Xpod; reference protocols-spo2.md 1.5, [SPEC] 9560 OEM specification;
/// MD PnP's Nonin driver decodes DF7 [3P]).
///
/// Without a constant byte the decoder needs two consecutive good frames before it trusts a lock
/// (reference 1.14 [INFERRED]). Publishes SpO2 and pulse three times a second from the 4-beat
/// recording values (see `NoninPacketAssembler`), plus the 16-bit pleth at 75 Hz.
public enum NoninDF7: DeviceProfile {
    /// `nonin-df7`.
    public static let id = "nonin-df7"
    /// One line for listings.
    public static let summary = "Nonin Data Format 7 (9560, 3150, Xpod): 5-byte frames, 16-bit pleth, 75 Hz"
    /// A pulse oximeter.
    public static let category = DeviceCategory.pulseOximeter
    /// 9600 8N1, no flow control.
    public static let serial = SerialSettings(
        baudRate: 9600, note: "9600 8N1, no flow control: 9560 OEM spec [SPEC]; Xpod at 9600 per systole [3P]")
    /// SpO2, pulse and the pleth.
    public static let metrics: [Metric] = [.spo2, .pulse, .pleth]
    /// 16-bit pleth, 75 frames/s (reference 1.5).
    public static let waveformSampleRate: Double? = 75
    /// The largest pleth sample the format carries.
    public static let waveformMaximum = 65535
    /// Packets come every 1/3 s; 2 s without one is no longer normal.
    public static let expectedGap: Duration = .seconds(2)
    /// Select DF7 at connection: the device accepts the command only in its first 5 s.
    public static let commandsOnConnect: [HostCommand] = [.selectDataFormat]

    /// `02 70 02 02 07 03` for `.selectDataFormat`; nothing else.
    public static func bytes(for command: HostCommand) -> [UInt8]? {
        command == .selectDataFormat ? NoninSelectFormat.command(NoninSelectFormat.df7) : nil
    }

    /// A DF7 decoder.
    public static func makeDecoder() -> any DeviceDecoder { NoninFrameDecoder(format: .df7) }
    /// A simulated DF7 device.
    public static func makeEncoder() -> any DeviceEncoder { NoninFrameEncoder(format: .df7) }
}
