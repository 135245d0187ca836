import VitalsCore

/// Placeholder for the `masimo-ascii` profile; replaced by its real decoder.
public enum MasimoASCII: DeviceProfile {
    public static let id = "masimo-ascii"
    public static let summary = "not yet implemented"
    public static let category = DeviceCategory.pulseOximeter
    public static let serial = SerialSettings(baudRate: 9600)
    public static let metrics: [Metric] = []
    public static let expectedGap: Duration = .seconds(5)
    public static func makeDecoder() -> any DeviceDecoder { PlaceholderDecoder() }
    public static func makeEncoder() -> any DeviceEncoder { PlaceholderEncoder() }
}
