/// One HL7 v2 message ready to send, with the identity that makes a resend recognisable.
public struct HL7Message: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// IHE PCD-01 ORU^R01: one device's readings of one period.
        case observation
        /// IHE PCD-04 ORU^R40: one alert event (or a periodic "continue").
        case alert
    }

    /// MSH-10, derived from the room's uid and the rows the message carries, never from a
    /// counter or the clock: the same rows give the same id after a crash or an outage.
    public var controlID: String
    public var kind: Kind
    /// The time the message is about (ms since 1970 UTC): messages go out in this order.
    public var time: Int64
    public var sessionID: Int64
    /// Segments, each ending with a carriage return (HL7 v2 segment terminator).
    public var text: String

    public init(controlID: String, kind: Kind, time: Int64, sessionID: Int64, text: String) {
        self.controlID = controlID
        self.kind = kind
        self.time = time
        self.sessionID = sessionID
        self.text = text
    }
}
