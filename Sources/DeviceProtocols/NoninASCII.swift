import VitalsCore

/// Nonin's ASCII real-time output of tabletop and handheld oximeters: `SPO2=XXX HR=YYY` lines,
/// one a second (7500FO, 8500, 2500 PalmSAT, 9847, 8600V, Avant 4000/9600, BT4000; reference
/// protocols-spo2.md 1.11, [SPEC] operator manuals).
public enum NoninASCII: DeviceProfile {
    /// `nonin-ascii`.
    public static let id = "nonin-ascii"
    /// One line for listings.
    public static let summary = "Nonin ASCII output (7500FO, 8500, 2500, 9847, 8600V, Avant): SPO2=XXX HR=YYY lines, 1 Hz"
    /// A pulse oximeter.
    public static let category = DeviceCategory.pulseOximeter
    /// 9600 8N1.
    public static let serial = SerialSettings(
        baudRate: 9600,
        note: "9600 baud [SPEC]: 7500FO and Avant 9600 send 2 stop bits, 8500/2500/9847/8600V 9 data bits with the "
            + "9th at mark; both read as 8N1 because the extra mark bits look like idle line")
    /// SpO2 and pulse.
    public static let metrics: [Metric] = [.spo2, .pulse]
    /// A line a second; 3 s without one is no longer normal.
    public static let expectedGap: Duration = .seconds(3)

    /// An ASCII decoder.
    public static func makeDecoder() -> any DeviceDecoder { NoninASCIIDecoder() }
    /// A simulated ASCII device.
    public static func makeEncoder() -> any DeviceEncoder { NoninASCIIEncoder() }
}
