/// Durations as rule files write them: a number and a unit, `500ms`, `30s`, `10m`, `2h`.
enum DurationLiteral {
    /// The units a duration may carry, with their length in milliseconds.
    static let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]

    /// Milliseconds in `text`, or `nil` when it is not a number followed by a known unit.
    /// A bare `0` is accepted (zero needs no unit); any other bare number is not.
    static func milliseconds(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "0" { return 0 }
        // Longest unit first so `ms` is not read as `m`.
        for (unit, scale) in units.sorted(by: { $0.0.count > $1.0.count }) where t.hasSuffix(unit) {
            let number = t.dropLast(unit.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }),
                  let v = Double(number), v >= 0 else { return nil }
            return Int64((v * scale).rounded())
        }
        return nil
    }

    /// A duration in milliseconds written back in the largest unit that divides it.
    static func format(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}
