/// Writes exactly the bytes a device of one profile would send: the simulator's device side and
/// the fixtures' source.
///
/// An encoder is also the simulated device's model: for command-driven profiles it answers the
/// host's bytes (`receive`) and keeps whatever state the device keeps (a measurement running).
public protocol DeviceEncoder: Sendable {
    /// How much device time one `encode` call covers (Nonin DF7: 1/3 s, one packet; Masimo: 1 s).
    var period: Duration { get }
    /// The bytes the device sends unprompted during one period showing `snapshot`, with their
    /// offsets within the period.
    mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk]
    /// The device's reply to bytes the host wrote (empty for devices that ignore the host).
    mutating func receive(_ hostBytes: [UInt8]) -> [UInt8]
}

extension DeviceEncoder {
    /// Devices that never listen to the host answer nothing.
    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] { [] }

    /// All bytes of one period, concatenated.
    public mutating func encodeBytes(_ snapshot: VitalSnapshot) -> [UInt8] {
        encode(snapshot).flatMap(\.bytes)
    }
}
