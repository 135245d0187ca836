import Glibc

/// What a ``PortReader`` delivers: bytes in the order they arrived, then at most one `gone`.
public enum PortEvent: Sendable, Hashable {
    /// Bytes read from the port, in order.
    case bytes([UInt8])
    /// The device went away; nothing follows. EOF and EIO both mean "unplugged".
    case gone(PortGoneReason)
}

/// How a port showed that its device went away.
public enum PortGoneReason: Sendable, Hashable, CustomStringConvertible {
    /// `read` returned 0 (a pty whose master closed; some USB-serial drivers on unplug).
    case endOfFile
    /// `read` or `poll` failed with `errno`: `EIO` (USB-serial unplug, a pty whose other side
    /// closed), `ENXIO`, `ENODEV`, or anything else that ends the stream.
    case error(Int32)

    /// `end of file`, `Input/output error (errno 5)`.
    public var description: String {
        switch self {
        case .endOfFile: "end of file"
        case .error(let code): "\(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
