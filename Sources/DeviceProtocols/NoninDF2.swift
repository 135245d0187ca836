import VitalsCore

/// Nonin Data Format 2: 5-byte frames with a `01` start byte and 8-bit pleth, 25-frame packets,
/// 75 frames a second (OEM III module, Xpod 3012LP, 9560 Onyx II, 3150 WristOx2; reference
/// protocols-spo2.md 1.4, [SPEC] 9560 OEM specification 6470-000-01).
///
/// Publishes SpO2 and pulse three times a second from the 4-beat recording values (see
/// `NoninPacketAssembler` for why not the display values), plus the pleth at 75 Hz.
public enum NoninDF2: DeviceProfile {
    /// `nonin-df2`.
    public static let id = "nonin-df2"
    /// One line for listings.
    public static let summary = "Nonin Data Format 2 (OEM III, Xpod, 9560, 3150): 5-byte frames, 8-bit pleth, 75 Hz"
    /// A pulse oximeter.
    public static let category = DeviceCategory.pulseOximeter
    /// 9600 8N1, no flow control.
    public static let serial = SerialSettings(
        baudRate: 9600,
        note: "9600 8N1, no flow control: 9560 OEM spec [SPEC]; OEM III at 9600 per Pufferfish [3P-single]; "
            + "Xpod opened at 9600 by app-nonin and systole [3P]")
    /// The Xpod 3012LP's FTDI FT232 bridge, only with a "Nonin" manufacturer string.
    public static let usbMatches: [USBMatch] = [
        USBMatch(
            vendorID: 0x0403, productID: 0x6001, manufacturer: "Nonin",
            source: "Xpod 3012LP: FTDI 0403:6001 per agricolab/app-nonin [3P], not confirmed by Nonin; the ids are a "
                + "generic FTDI adapter, so the manufacturer string must say Nonin (the string itself is our "
                + "assumption, no source gives it)"),
    ]
    /// SpO2, pulse and the pleth.
    public static let metrics: [Metric] = [.spo2, .pulse, .pleth]
    /// 8-bit compressed IR pleth, 75 frames/s (reference 1.4).
    public static let waveformSampleRate: Double? = 75
    /// The largest pleth sample the format carries.
    public static let waveformMaximum = 255
    /// Packets come every 1/3 s; 2 s without one is no longer normal.
    public static let expectedGap: Duration = .seconds(2)
    /// Select DF2 at connection: the device accepts the command only in its first 5 s.
    public static let commandsOnConnect: [HostCommand] = [.selectDataFormat]

    /// `02 70 02 02 02 03` for `.selectDataFormat`; nothing else.
    public static func bytes(for command: HostCommand) -> [UInt8]? {
        command == .selectDataFormat ? NoninSelectFormat.command(NoninSelectFormat.df2) : nil
    }

    /// A DF2 decoder.
    public static func makeDecoder() -> any DeviceDecoder { NoninFrameDecoder(format: .df2) }
    /// A simulated DF2 device.
    public static func makeEncoder() -> any DeviceEncoder { NoninFrameEncoder(format: .df2) }
}
