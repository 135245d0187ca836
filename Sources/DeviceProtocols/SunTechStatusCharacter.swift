import VitalsCore

/// The status characters of the module's 4-byte reply `3E 04 c cks` (reference/protocols-bp.md
/// 2.1, meanings from Appciton's table, [DEC]).
public enum SunTechStatusCharacter: UInt8, Sendable, Hashable, CaseIterable {
    /// `O`: command received.
    case received = 0x4F
    /// `K`: executed / complete; after a start command it means the measurement has ended and the
    /// host should ask for the result.
    case complete = 0x4B
    /// `A`: aborted.
    case aborted = 0x41
    /// `B`: busy.
    case busy = 0x42
    /// `E`: error.
    case error = 0x45
    /// `N`: undefined.
    case undefined = 0x4E
    /// `D`: unrecognizable.
    case unrecognizable = 0x44
    /// `S`: sleep.
    case sleep = 0x53
    /// `T`: timeout.
    case timeout = 0x54

    /// The meaning as Appciton's table gives it.
    public var meaning: String {
        switch self {
        case .received: "command received"
        case .complete: "executed/complete"
        case .aborted: "aborted"
        case .busy: "busy"
        case .error: "error"
        case .undefined: "undefined"
        case .unrecognizable: "unrecognizable"
        case .sleep: "sleep"
        case .timeout: "timeout"
        }
    }

    /// The device status this character becomes: `O` accepts a command; `K`, `A` and `S` report
    /// where the module is (measurement complete, aborted, asleep); the others refuse or fail
    /// the command.
    public var statusKind: DeviceStatus.Kind {
        switch self {
        case .received: .commandAccepted
        case .complete, .aborted, .sleep: .progress
        case .busy, .error, .undefined, .unrecognizable, .timeout: .commandRejected
        }
    }

    /// `K: executed/complete`.
    public var detail: String {
        // Literals, the character then its meaning: built once a status frame on the decode path.
        switch self {
        case .received: "O: command received"
        case .complete: "K: executed/complete"
        case .aborted: "A: aborted"
        case .busy: "B: busy"
        case .error: "E: error"
        case .undefined: "N: undefined"
        case .unrecognizable: "D: unrecognizable"
        case .sleep: "S: sleep"
        case .timeout: "T: timeout"
        }
    }
}
