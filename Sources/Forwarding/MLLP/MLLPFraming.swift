import NIOCore

/// MLLP (HL7 v2 Minimal Lower Layer Protocol, release 2): each message is sent as
/// `0x0B <message> 0x1C 0x0D`.
public enum MLLP {
    public static let start: UInt8 = 0x0B
    public static let end: UInt8 = 0x1C
    public static let carriageReturn: UInt8 = 0x0D

    /// `payload` in its MLLP envelope.
    public static func frame(_ payload: String, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: payload.utf8.count + 3)
        buffer.writeInteger(start)
        buffer.writeString(payload)
        buffer.writeInteger(end)
        buffer.writeInteger(carriageReturn)
        return buffer
    }
}

/// Splits a TCP stream into MLLP payloads. Bytes before a start byte are discarded (MLLP
/// receivers do the same); a payload is complete at `0x1C 0x0D`.
public struct MLLPFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// A payload larger than this is a broken peer, not a message.
    public var maximumLength = 16 * 1024 * 1024

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let startIndex = buffer.readableBytesView.firstIndex(of: MLLP.start) else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        buffer.moveReaderIndex(to: startIndex)
        let view = buffer.readableBytesView
        var i = view.startIndex + 1
        while i < view.endIndex {
            if view[i] == MLLP.end, i + 1 < view.endIndex, view[i + 1] == MLLP.carriageReturn {
                let length = i - view.startIndex - 1
                buffer.moveReaderIndex(forwardBy: 1)
                let payload = buffer.readSlice(length: length)!
                buffer.moveReaderIndex(forwardBy: 2)
                context.fireChannelRead(Self.wrapInboundOut(payload))
                return .continue
            }
            i += 1
        }
        if view.count > maximumLength { throw MLLPError.frameTooLong(view.count) }
        return .needMoreData
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// What can go wrong on an MLLP connection.
public enum MLLPError: Error, Sendable, Equatable, CustomStringConvertible {
    case frameTooLong(Int)
    case connectionClosed
    case timeout(seconds: Double)
    case notConnected
    case badAcknowledgement(String)

    public var description: String {
        switch self {
        case let .frameTooLong(n): "the receiver sent \(n) bytes without an MLLP end"
        case .connectionClosed: "the receiver closed the connection before acknowledging"
        case let .timeout(s): "no acknowledgement within \(s) s"
        case .notConnected: "not connected"
        case let .badAcknowledgement(text): "unusable acknowledgement: \(text)"
        }
    }
}
