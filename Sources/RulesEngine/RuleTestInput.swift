import VitalsCore

/// One timed input of a rule unit test.
enum RuleTestInput: Sendable {
    case reading(Metric, Double, QualityFlags, device: String)
    case status(DeviceStatus, device: String)
    case connection(ConnectionState, device: String)
    case acknowledge(rule: String, by: String)
    case dose
}
