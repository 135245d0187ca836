import Store
import VitalsCore

/// What "vital signs in an acceptable range" means in this report: one bound a metric must keep,
/// named by a rule-set limit. The REMS form asks the question without defining the range
/// (reference/alarms-clinical.md A4); this program uses the session's own limits: the pre-dose BP
/// guide of 140/90 mmHg (A6, A7: `predose_sys`, `predose_dia`), the hypotension limit
/// `bp_low_sys`, and the SpO2 and pulse alarm limits. A limit the rule set does not declare is
/// skipped and the answer says so.
public struct VitalSignRange: Sendable, Hashable {
    /// The metric checked.
    public var metric: Metric
    /// The limit's name in the rule set.
    public var limit: String
    /// True when values must be at or above the limit; false for at or below.
    public var isLowerBound: Bool

    /// Every bound, in the order the report lists them.
    public static let bounds: [VitalSignRange] = [
        VitalSignRange(metric: .spo2, limit: "spo2_low", isLowerBound: true),
        VitalSignRange(metric: .pulse, limit: "pulse_low", isLowerBound: true),
        VitalSignRange(metric: .pulse, limit: "pulse_high", isLowerBound: false),
        VitalSignRange(metric: .nibpSystolic, limit: "predose_sys", isLowerBound: false),
        VitalSignRange(metric: .nibpSystolic, limit: "bp_low_sys", isLowerBound: true),
        VitalSignRange(metric: .nibpDiastolic, limit: "predose_dia", isLowerBound: false),
    ]

    /// The limit names the bounds read.
    public static var limitNames: [String] { bounds.map(\.limit) }

    /// The metrics the bounds cover, in order.
    public static var metrics: [Metric] {
        var seen: [Metric] = []
        for b in bounds where !seen.contains(b.metric) { seen.append(b.metric) }
        return seen
    }

    /// True when `value` keeps this bound at `limitValue`.
    public func holds(_ value: Double, limitValue: Double) -> Bool {
        isLowerBound ? value >= limitValue : value <= limitValue
    }

    /// `spo2 >= 90`.
    public func text(_ limitValue: Double) -> String {
        "\(metric.name) \(isLowerBound ? ">=" : "<=") \(NumberText.format(limitValue))"
    }
}
