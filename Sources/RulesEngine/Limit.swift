/// A named limit a rule set declares, with its default. Sessions may override the value
/// (`RuleEngine(rules:limits:hostTime:)`), for a patient's own plan.
public struct Limit: Sendable, Hashable {
    /// The name rules use (`spo2_low`).
    public var name: String
    /// The default value: in `unit` for numbers, in seconds for durations.
    public var defaultValue: Double
    /// The display unit (`%`, `mmHg`, `/min`), empty for a plain number.
    public var unit: String
    /// True when the limit is a duration (written `30s`, `10m`); its value is in seconds.
    public var isDuration: Bool
    /// Where it is declared.
    public var position: SourcePosition

    /// A limit.
    public init(name: String, defaultValue: Double, unit: String, isDuration: Bool, position: SourcePosition) {
        self.name = name
        self.defaultValue = defaultValue
        self.unit = unit
        self.isDuration = isDuration
        self.position = position
    }

    var type: ValueType { isDuration ? .duration : .number(unit: unit) }
}
