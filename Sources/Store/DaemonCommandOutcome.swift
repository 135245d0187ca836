/// How the daemon finished a command (the `outcome` column of `commands`).
public enum DaemonCommandOutcome: String, Sendable, Hashable, CaseIterable {
    /// Done as asked.
    case applied
    /// Nothing to do (for example the alert had already cleared or been acknowledged).
    case ignored
    /// The daemon could not do it; the result's message says why.
    case failed
}
