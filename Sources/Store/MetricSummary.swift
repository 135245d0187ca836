import VitalsCore

/// Count, minimum, median and maximum of one metric over a session's physiologically valid
/// readings (artifact, out-of-track, sensor-off and held readings are counted apart).
public struct MetricSummary: Sendable, Hashable {
    /// The metric.
    public var metric: Metric
    /// Valid readings.
    public var count: Int
    /// Readings left out because their flags make them invalid.
    public var invalidCount: Int
    /// Smallest valid value; `nil` with no valid reading.
    public var minimum: Double?
    /// Median of the valid values (mean of the middle two for an even count).
    public var median: Double?
    /// Largest valid value.
    public var maximum: Double?

    /// A summary.
    public init(metric: Metric, count: Int, invalidCount: Int, minimum: Double?, median: Double?, maximum: Double?) {
        self.metric = metric
        self.count = count
        self.invalidCount = invalidCount
        self.minimum = minimum
        self.median = median
        self.maximum = maximum
    }

    /// Summarises `values` (valid ones) and counts `invalidCount` apart.
    public init(metric: Metric, values: [Double], invalidCount: Int) {
        let sorted = values.sorted()
        var median: Double?
        if !sorted.isEmpty {
            let mid = sorted.count / 2
            median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        }
        self.init(
            metric: metric, count: sorted.count, invalidCount: invalidCount, minimum: sorted.first,
            median: median, maximum: sorted.last)
    }
}
