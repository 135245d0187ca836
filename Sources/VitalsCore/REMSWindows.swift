/// The esketamine REMS timing a rule file declares once, in its `rems:` section, read by the
/// reminder rule (through the limits `rems_bp_from` and `rems_bp_to`), the NIBP schedule and the
/// session record (`session show`, `session end`). All in milliseconds.
///
/// Facts (reference/alarms-clinical.md A.3, A.4): BP before dosing, about 40 min after dosing
/// and before session completion; observation for at least 2 h. "About" and the discharge window
/// are not defined by the label: the files say which numbers are engineering choices.
public struct REMSWindows: Sendable, Hashable {
    /// How long before the dose a BP still counts as the pre-dose one.
    public var predoseWindowMilliseconds: Int64
    /// When the post-dose BP is due after the dose (REMS: about 40 min).
    public var postDoseCheckMilliseconds: Int64
    /// After the dose, the span a post-dose BP may fall in (30–50 min by default).
    public var postDoseWindowMilliseconds: ClosedRange<Int64>
    /// How long before the end a BP counts as "before discharge".
    public var beforeDischargeMilliseconds: Int64
    /// The planned observation after the dose (REMS: at least 2 h).
    public var observationMilliseconds: Int64

    /// Windows.
    public init(predoseWindowMilliseconds: Int64, postDoseCheckMilliseconds: Int64,
                postDoseWindowMilliseconds: ClosedRange<Int64>, beforeDischargeMilliseconds: Int64,
                observationMilliseconds: Int64) {
        self.predoseWindowMilliseconds = predoseWindowMilliseconds
        self.postDoseCheckMilliseconds = postDoseCheckMilliseconds
        self.postDoseWindowMilliseconds = postDoseWindowMilliseconds
        self.beforeDischargeMilliseconds = beforeDischargeMilliseconds
        self.observationMilliseconds = observationMilliseconds
    }

    /// What a rule set without a `rems:` section gets: the values Rules/ketamine.yaml declares
    /// (the program's choices before they moved into the file): 1 h before, 40 min (30–50) after,
    /// 30 min before discharge, 2 h of observation.
    public static let standard = REMSWindows(
        predoseWindowMilliseconds: 3_600_000, postDoseCheckMilliseconds: 2_400_000,
        postDoseWindowMilliseconds: 1_800_000...3_000_000, beforeDischargeMilliseconds: 1_800_000,
        observationMilliseconds: 7_200_000)
}
