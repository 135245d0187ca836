/// One 5-byte frame of Nonin DF2 or DF7 after its checks passed: the status byte, the pleth
/// sample and the float byte (reference protocols-spo2.md 1.4, 1.5).
public struct NoninFrame: Sendable, Hashable {
    /// The STATUS byte.
    public var status: NoninStatusByte
    /// The pleth sample: 0-255 (DF2) or 0-65535 (DF7).
    public var pleth: Int32
    /// The FLOAT byte; its meaning depends on the frame's place in the packet.
    public var float: UInt8

    /// A frame.
    public init(status: NoninStatusByte, pleth: Int32, float: UInt8) {
        self.status = status
        self.pleth = pleth
        self.float = float
    }
}
