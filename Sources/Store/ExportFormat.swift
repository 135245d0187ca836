/// The formats `vitals export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One row a reading, with a header row (RFC 4180 quoting).
    case csv
    /// One JSON object a line: the session, then readings, alert, device and session events in
    /// time order, in DESIGN.md's `--format jsonl` shapes (`t` in seconds since the session start).
    case jsonl
    /// One FHIR R4 transaction Bundle (JSON): the patient by identifier, the devices,
    /// vital-signs Observations (LOINC and MDC codings, the BP panel with its components) and the
    /// alert events as DetectedIssues (`VitalsDatabase+FHIR.swift`).
    case fhir
}
