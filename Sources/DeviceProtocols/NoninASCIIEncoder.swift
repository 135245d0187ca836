import VitalsCore

/// A simulated Nonin device with ASCII real-time output: one `SPO2=XXX HR=YYY` line (CR LF) a
/// second (reference protocols-spo2.md 1.11).
///
/// Values are zero-padded to three digits; `nil` values, `.sensorOff` and `.held` are sent as
/// `---` (the format has no status bits, so a held value could not be told from a live one).
/// A `deviceTime` adds the 9847/8600V `HH:MM:SS ` prefix (its milliseconds read as time of day).
/// No power-up header is sent: the manuals do not give its text.
public struct NoninASCIIEncoder: DeviceEncoder {
    /// One line: 1 s.
    public var period: Duration { .seconds(1) }

    /// A simulated device.
    public init() {}

    /// The line showing `snapshot`.
    public static func line(for snapshot: VitalSnapshot) -> NoninASCIILine {
        let off = !snapshot.flags.isDisjoint(with: [.sensorOff, .held])
        let time = snapshot.deviceTime.map { Int($0.milliseconds / 1000) }
        return NoninASCIILine(spo2: off ? nil : snapshot.spo2, heartRate: off ? nil : snapshot.pulse, timeOfDay: time)
    }

    /// One line at the start of the second.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        [EncodedChunk(offset: .zero, bytes: Self.line(for: snapshot).bytes)]
    }
}
