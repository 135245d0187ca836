/// The three blood pressures the esketamine REMS Patient Monitoring Form asks for
/// (docs/CLINICAL-SOURCES.md A.3, A.4): before the dose, about 40 minutes after it, and
/// before the session ends. A checkpoint is `nil` when no measurement qualifies.
public struct REMSCheckpoints: Sendable, Hashable {
    /// The last measurement at or before the dose time.
    public var baseline: BPMeasurement?
    /// The measurement closest to dose + 40 min within `postDoseWindow` (minutes after the dose).
    public var postDose: BPMeasurement?
    /// The last measurement after the post-dose window opened, taken within `preDischargeWindow`
    /// before the end (or before now, for an open session).
    public var beforeDischarge: BPMeasurement?
    /// True when the session has a dose time; without one no checkpoint can be placed.
    public var hasDose: Bool

    /// Minutes after the dose a post-dose measurement may fall in. The label says "about 40
    /// minutes"; the +/-10 min tolerance is this program's choice, not the label's.
    public static let postDoseWindow: ClosedRange<Int64> = 30...50
    /// Minutes before the end a measurement counts as "before discharge" (this program's choice;
    /// the form asks for a BP "before session completion" without a window).
    public static let preDischargeWindow: Int64 = 30

    /// Checkpoints.
    public init(baseline: BPMeasurement?, postDose: BPMeasurement?, beforeDischarge: BPMeasurement?, hasDose: Bool) {
        self.baseline = baseline
        self.postDose = postDose
        self.beforeDischarge = beforeDischarge
        self.hasDose = hasDose
    }

    /// True when all three were found.
    public var isComplete: Bool { baseline != nil && postDose != nil && beforeDischarge != nil }
}
