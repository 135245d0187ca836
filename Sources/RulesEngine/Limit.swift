/// A named limit a rule set declares, with its default and the values it may take. Sessions may
/// override the value (`RuleSet.validate(limits:)`, then `RuleEngine(rules:limits:hostTime:)`),
/// for a patient's own plan.
public struct Limit: Sendable, Hashable {
    /// The name rules use (`spo2_low`).
    public var name: String
    /// The default value: in `unit` for numbers, in seconds for durations.
    public var defaultValue: Double
    /// The display unit (`%`, `mmHg`, `/min`), empty for a plain number.
    public var unit: String
    /// True when the limit is a duration (written `30s`, `10m`); its value is in seconds.
    public var isDuration: Bool
    /// The values a default or a session override may take, in the same unit as `defaultValue`
    /// (seconds for durations): the file's `range:`, else `Limit.defaultRange(unit:isDuration:)`.
    public var range: ClosedRange<Double>
    /// False for a limit the rule file's `rems:` section defines (`rems_bp_from`, `rems_bp_to`):
    /// the REMS record and the reminder rule must read the same window, so a session cannot
    /// move it for the alert alone.
    public var isOverridable: Bool
    /// Where it is declared.
    public var position: SourcePosition

    /// A limit.
    public init(name: String, defaultValue: Double, unit: String, isDuration: Bool,
                range: ClosedRange<Double>? = nil, isOverridable: Bool = true, position: SourcePosition) {
        self.name = name
        self.defaultValue = defaultValue
        self.unit = unit
        self.isDuration = isDuration
        self.range = range ?? Self.defaultRange(unit: unit, isDuration: isDuration)
        self.isOverridable = isOverridable
        self.position = position
    }

    var type: ValueType { isDuration ? .duration : .number(unit: unit) }

    /// The range a limit gets when its file declares none. Durations: positive (1 ms, the
    /// resolution of run time) and at most a day (no session lasts longer; the engine turns
    /// durations into milliseconds, so a bound keeps that exact). `%`: 0–100. `mmHg`: 0–300, the
    /// top of a cuff's measuring range (Metric.nibpSystolic.plausibleRange). `/min`: 0–350, the
    /// widest rate a monitor reports (Metric.hr.plausibleRange). Plain numbers: ±1e9, an
    /// engineering bound that keeps arithmetic on them finite.
    public static func defaultRange(unit: String, isDuration: Bool) -> ClosedRange<Double> {
        if isDuration { return 0.001...86_400 }
        switch unit {
        case "%": return 0...100
        case "mmHg": return 0...300
        case "/min": return 0...350
        default: return -1e9...1e9
        }
    }

    /// `value` as the rule file writes it: `30s`, `2m`, `88 %`, `120 /min`.
    public func text(_ value: Double) -> String {
        if isDuration {
            guard value.isFinite, abs(value) < 1e12 else { return "\(value) s" }
            let ms = Int64((value * 1000).rounded())
            return Double(ms) == value * 1000 ? DurationLiteral.format(ms) : "\(value) s"
        }
        let number = value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        return unit.isEmpty ? number : "\(number) \(unit)"
    }

    /// The range as text: `0 % to 100 %`, `1ms to 24h`.
    public var rangeText: String { "\(text(range.lowerBound)) to \(text(range.upperBound))" }
}
