/// Bytes a simulated device sends at a given offset within the period an encoder call covers.
public struct EncodedChunk: Sendable, Hashable {
    /// When, from the start of the period, the device sends these bytes.
    public var offset: Duration
    /// The bytes, exactly as the device would send them.
    public var bytes: [UInt8]

    /// A chunk.
    public init(offset: Duration, bytes: [UInt8]) {
        self.offset = offset
        self.bytes = bytes
    }
}
