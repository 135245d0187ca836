/// Whether an alert is about the patient or about the equipment.
public enum AlertKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// About the patient's physiology (a low SpO2, a high BP).
    case physiological
    /// About the equipment or the data (sensor off, device unplugged, stale data).
    case technical
}
