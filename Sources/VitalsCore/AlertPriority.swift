/// Alarm priority with IEC 60601-1-8's meanings (docs/CLINICAL-SOURCES.md C): high needs an
/// immediate response, medium a prompt one, low awareness.
public enum AlertPriority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Awareness is required.
    case low
    /// A prompt response is required.
    case medium
    /// An immediate response is required.
    case high

    var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (a: AlertPriority, b: AlertPriority) -> Bool { a.rank < b.rank }
}
