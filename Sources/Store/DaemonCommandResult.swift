/// What the daemon answered to a command: its outcome and a one-line message for the person who
/// asked (`vitals ack` prints it).
public struct DaemonCommandResult: Sendable, Hashable {
    /// Applied, ignored or failed.
    public var outcome: DaemonCommandOutcome
    /// A sentence for people, such as "acknowledged spo2-low (occurrence 3) by Dr Ames".
    public var message: String

    /// A result.
    public init(outcome: DaemonCommandOutcome, message: String) {
        self.outcome = outcome
        self.message = message
    }
}
