import VitalsCore

/// What rule expressions read: the run's time, limits, readings, dose, baselines and device
/// states. A value inside the engine, so evaluating an expression tree reads it without
/// per-access exclusivity checks.
struct EngineMemory: ~Copyable {
    /// The time of the latest call.
    var now: RunTime = .zero
    /// When the dose was given.
    var doseTime: RunTime?
    /// Limit values by slot.
    var limitTable: [Double]
    /// Per metric, by `Metric.storageCode`.
    var histories: [MetricHistory]
    /// SatSeconds accumulators and their limits, by slot.
    var satseconds: [SatSecondsAccumulator]
    var satsecondsLimits: [Double] = []
    /// Readings counted in each dose window, and the windows' bounds in milliseconds.
    var doseWindowCounts: [Int] = []
    var doseWindowBounds: [(from: Int64, to: Int64)] = []
    var baselines: [Metric: Double] = [:]
    var deviceStates: [String: ConnectionState] = [:]
    /// `artifact(m)`'s flags as a raw mask, read once: the option-set literal built a set (and
    /// read two lazily initialised globals of another module) on every evaluation.
    let artifactMask = QualityFlags.artifact.union(.outOfTrack).rawValue

    init(limitTable: [Double], histories: [MetricHistory], satseconds: [SatSecondsAccumulator]) {
        self.limitTable = limitTable
        self.histories = histories
        self.satseconds = satseconds
    }
}
