/// What a session event records (the `kind` column of `session_events`).
public enum SessionEventKind: String, Sendable, Hashable, CaseIterable {
    /// The dose was given (`vitals session dose`).
    case dose
    /// A free-text note (`vitals session note`).
    case note
    /// A blood pressure marked as one of the REMS checkpoints; `text` says which and the value.
    case bpCheckpoint = "bp-checkpoint"
    /// The patient was discharged: the session ended (`vitals session end`); `text` is the reason.
    case discharge
}
