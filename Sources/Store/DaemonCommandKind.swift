/// What a `DaemonCommand` asks the room daemon to do (the `kind` column of `commands`).
public enum DaemonCommandKind: String, Sendable, Hashable, CaseIterable {
    /// Acknowledge an alert occurrence (`vitals ack`): the daemon calls its rule engine's
    /// `acknowledge(occurrence:by:at:)` and records the `acknowledged` event it returns.
    case ack
    /// Start a blood-pressure measurement on the room's cuff now.
    case nibpStart = "nibp-start"
}
