/// How a profile's serial line is set: speed, framing, flow control.
public struct SerialSettings: Sendable, Hashable, CustomStringConvertible {
    /// Parity.
    public enum Parity: String, Sendable, Hashable {
        /// No parity bit.
        case none
        /// Odd parity (Contec CMS50 legacy stream: 8O1).
        case odd
        /// Even parity.
        case even
    }

    /// Bits a second.
    public var baudRate: Int
    /// Data bits (7 or 8).
    public var dataBits: Int
    /// Parity.
    public var parity: Parity
    /// Stop bits (1 or 2).
    public var stopBits: Int
    /// RTS/CTS hardware flow control; only where the profile asks for it.
    public var rtsCts: Bool
    /// Why these settings, and how sure the source is.
    public var note: String

    /// Settings.
    public init(
        baudRate: Int, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1, rtsCts: Bool = false,
        note: String = ""
    ) {
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.rtsCts = rtsCts
        self.note = note
    }

    /// Bytes a second at full line rate (start bit, data, parity, stop bits).
    public var bytesPerSecond: Double {
        Double(baudRate) / Double(1 + dataBits + (parity == .none ? 0 : 1) + stopBits)
    }

    /// `9600 8N1`.
    public var description: String {
        let p: String = switch parity {
        case .none: "N"
        case .odd: "O"
        case .even: "E"
        }
        return "\(baudRate) \(dataBits)\(p)\(stopBits)" + (rtsCts ? " RTS/CTS" : "")
    }
}
