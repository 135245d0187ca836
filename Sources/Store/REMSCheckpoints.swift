import VitalsCore

/// The three blood pressures the esketamine REMS Patient Monitoring Form asks for
/// (docs/CLINICAL-SOURCES.md A.3, A.4): before the dose, about 40 minutes after it, and
/// before the session ends, found in the rule set's windows (`REMSWindows`, from the rule
/// file's `rems:` section; the caller passes them in). A checkpoint is `nil` when no
/// measurement qualifies.
public struct REMSCheckpoints: Sendable, Hashable {
    /// The last measurement at or before the dose time, within `windows.predoseWindowMilliseconds`.
    public var baseline: BPMeasurement?
    /// The measurement closest to `windows.postDoseCheckMilliseconds` after the dose, within
    /// `windows.postDoseWindowMilliseconds`.
    public var postDose: BPMeasurement?
    /// The last measurement after the post-dose window, taken within
    /// `windows.beforeDischargeMilliseconds` before the end (or before now, for an open session).
    public var beforeDischarge: BPMeasurement?
    /// True when the session has a dose time; without one no checkpoint can be placed.
    public var hasDose: Bool
    /// The windows the checkpoints were looked for in.
    public var windows: REMSWindows

    /// Minutes after the dose of the post-dose window in force.
    public var postDoseWindowMinutes: ClosedRange<Int64> {
        windows.postDoseWindowMilliseconds.lowerBound / 60_000 ... windows.postDoseWindowMilliseconds.upperBound / 60_000
    }

    /// Checkpoints.
    public init(baseline: BPMeasurement?, postDose: BPMeasurement?, beforeDischarge: BPMeasurement?, hasDose: Bool,
                windows: REMSWindows = .standard) {
        self.baseline = baseline
        self.postDose = postDose
        self.beforeDischarge = beforeDischarge
        self.hasDose = hasDose
        self.windows = windows
    }

    /// True when all three were found.
    public var isComplete: Bool { baseline != nil && postDose != nil && beforeDischarge != nil }
}
