import VitalsCore

/// When the bridge asks a command-driven cuff (SunTech Advantage) for a measurement: a baseline
/// as soon as the cuff answers, then every `interval`, and once at dose + `remsAfterDose` for the
/// esketamine REMS check about 40 minutes after the dose (docs/CLINICAL-SOURCES.md A).
///
/// Pure: driven by run times, no clock reads. A measurement in progress is never interrupted;
/// one that never completes is given up after `measurementTimeout`.
public struct NIBPSchedule: Sendable, Hashable {
    /// Why a measurement starts.
    public enum Reason: String, Sendable, Hashable {
        /// The first measurement of the session (the pre-dose baseline when before the dose).
        case baseline
        /// The regular interval elapsed.
        case interval
        /// The REMS check after the dose.
        case remsCheck = "rems-check"
        /// A clinician asked (`vitals nibp start`).
        case requested
    }

    /// Time between routine measurements.
    public var interval: Duration
    /// When after the dose the REMS measurement is taken.
    public var remsAfterDose: Duration
    /// How long a measurement may take before it is given up.
    public var measurementTimeout: Duration = .seconds(180)

    private(set) var lastStart: RunTime?
    private(set) var inProgressSince: RunTime?
    private(set) var remsTakenForDose: RunTime?
    private var requested = false

    /// A schedule.
    public init(interval: Duration = .seconds(600), remsAfterDose: Duration = .seconds(2400)) {
        self.interval = interval
        self.remsAfterDose = remsAfterDose
    }

    /// A clinician asked for a measurement now.
    public mutating func request() { requested = true }

    /// The reason to start a measurement at `now`, or `nil`. Call `started(at:)` when the start
    /// command is sent.
    public func due(at now: RunTime, dose: RunTime?) -> Reason? {
        if let since = inProgressSince, now.since(since) < measurementTimeout { return nil }
        if requested { return .requested }
        guard let last = lastStart else { return .baseline }
        if let dose, remsTakenForDose != dose, now >= dose.advanced(by: remsAfterDose),
           now < dose.advanced(by: remsAfterDose + interval) {
            return .remsCheck
        }
        if now.since(last) >= interval { return .interval }
        return nil
    }

    /// A measurement was started at `now` for `reason`.
    public mutating func started(at now: RunTime, reason: Reason, dose: RunTime?) {
        lastStart = now
        inProgressSince = now
        requested = false
        if reason == .remsCheck { remsTakenForDose = dose }
    }

    /// The cuff reported the measurement complete (or failed).
    public mutating func completed() { inProgressSince = nil }
}
