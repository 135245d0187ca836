import VitalsCore

/// A simulated Nonin device sending DF8: one 4-byte record a second (reference
/// protocols-spo2.md 1.8).
///
/// DF8 carries display values: with `.held` in the flags the snapshot's values go out with SNSA
/// set (the 10-s hold after finger-out); `.sensorOff` without `.held` sends the missing values
/// (SpO2 127, HR 511) with SNSA; `nil` values are sent missing. Flags map to OOT, LPRF
/// (`.lowPerfusion`), MPRF (`.marginalPerfusion`), ARTF and LOW BAT; SPA stays 0.
public struct NoninDF8Encoder: DeviceEncoder {
    /// One record: 1 s.
    public var period: Duration { .seconds(1) }
    private var seconds = 0

    /// A simulated DF8 device.
    public init() {}

    /// The record showing `snapshot`.
    public static func record(for snapshot: VitalSnapshot) -> NoninDF8Record {
        let show = !snapshot.flags.contains(.sensorOff) || snapshot.flags.contains(.held)
        return NoninDF8Record(spo2: show ? snapshot.spo2 : nil, hr: show ? snapshot.pulse : nil, flags: snapshot.flags)
    }

    /// One record at the start of the second.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        seconds += 1
        return [EncodedChunk(offset: .zero, bytes: Self.record(for: snapshot).array)]
    }

    /// Answers `02 70 02 02 08 03` with `06` (other format codes with `15`) during the first 5 s.
    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] {
        NoninSelectFormat.replies(to: hostBytes, accepting: NoninSelectFormat.df8, open: seconds < 5)
    }
}
