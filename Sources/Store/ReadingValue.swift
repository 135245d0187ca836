/// How a reading's value is stored: an integer in hundredths of the metric's unit
/// (`value_x100`), which SQLite packs into one to three bytes for every vital sign, where a REAL
/// with a fraction would take eight.
enum ReadingValue {
    /// The stored integer for `value` (rounded to 0.01; out-of-range values saturate).
    static func encode(_ value: Double) -> Int64 {
        guard value.isFinite else { return 0 }
        let scaled = (value * 100).rounded()
        if scaled >= 9.2e18 { return Int64.max }
        if scaled <= -9.2e18 { return Int64.min }
        return Int64(scaled)
    }

    /// The value a stored integer stands for.
    static func decode(_ stored: Int64) -> Double { Double(stored) / 100 }
}
