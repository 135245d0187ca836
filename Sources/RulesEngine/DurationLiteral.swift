import Foundation
/// Durations as rule files write them: a number and a unit, `500ms`, `30s`, `10m`, `2h`.
enum DurationLiteral {
    /// The units a duration may carry, with their length in milliseconds.
    static let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]

    /// Milliseconds in `text`, or `nil` when it is not a number followed by a known unit.
    /// A bare `0` is accepted (zero needs no unit); any other bare number is not.
    static func milliseconds(_ text: String) -> Int64? {
        let t = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
        if t == ["0"] { return 0 }
        // One or more number-unit parts: `30s`, `1.5m`, `1m30s`.
        var total = 0.0
        var i = 0
        guard !t.isEmpty else { return nil }
        while i < t.count {
            let start = i
            while i < t.count, ("0"..."9").contains(t[i]) || t[i] == "." { i += 1 }
            guard i > start, let v = Double(String(String.UnicodeScalarView(t[start..<i]))) else { return nil }
            let unitStart = i
            while i < t.count, t[i].properties.isAlphabetic { i += 1 }
            let unit = String(String.UnicodeScalarView(t[unitStart..<i]))
            guard let scale = units.first(where: { $0.0 == unit })?.1 else { return nil }
            total += v * scale
        }
        return Int64(total.rounded())
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
