import Foundation
/// Durations as rule files write them: a number and a unit, `500ms`, `30s`, `10m`, `2h`.
enum DurationLiteral {
    /// The units a duration may carry, with their length in milliseconds.
    static let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]

    /// The longest duration a rule file, a test file or a limit override may give: 30 days, far
    /// beyond any session, and small enough that every sum of run times stays in `Int64`.
    static let maximumMilliseconds: Int64 = 30 * 86_400_000

    /// What `maximumMilliseconds` means, for error messages.
    static let maximumText = "30 days (720h)"

    /// A duration's text read: milliseconds, or why not.
    enum Reading: Equatable {
        case milliseconds(Int64)
        /// Not a number followed by a known unit.
        case invalid
        /// Longer than `maximumMilliseconds`.
        case tooLong
    }

    /// Milliseconds in `text`, or `nil` when it is not a number followed by a known unit or is
    /// longer than `maximumMilliseconds`. A bare `0` is accepted (zero needs no unit); any other
    /// bare number is not.
    static func milliseconds(_ text: String) -> Int64? {
        if case .milliseconds(let ms) = read(text) { return ms }
        return nil
    }

    /// Seconds (a limit override, a constant expression) as milliseconds, when in range
    /// (0 to `maximumMilliseconds`).
    static func milliseconds(seconds: Double) -> Int64? {
        guard seconds.isFinite, seconds >= 0, seconds * 1000 <= Double(maximumMilliseconds) else { return nil }
        return Int64((seconds * 1000).rounded())
    }

    /// Seconds of any size as milliseconds, saturated to well inside `Int64` (NaN gives 0): for
    /// constants computed from in-range parts, where only a pathological product can overflow.
    static func saturatedMilliseconds(seconds: Double) -> Int64 {
        let limit = Double(Int64.max / 4)
        let ms = (seconds * 1000).rounded()
        if ms.isNaN { return 0 }
        return Int64(Swift.min(Swift.max(ms, -limit), limit))
    }

    /// Reads `text` (see `milliseconds(_:)`).
    static func read(_ text: String) -> Reading {
        let t = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
        if t == ["0"] { return .milliseconds(0) }
        // One or more number-unit parts: `30s`, `1.5m`, `1m30s`.
        var total = 0.0
        var i = 0
        guard !t.isEmpty else { return .invalid }
        while i < t.count {
            let start = i
            while i < t.count, ("0"..."9").contains(t[i]) || t[i] == "." { i += 1 }
            guard i > start, let v = Double(String(String.UnicodeScalarView(t[start..<i]))) else { return .invalid }
            let unitStart = i
            while i < t.count, t[i].properties.isAlphabetic { i += 1 }
            let unit = String(String.UnicodeScalarView(t[unitStart..<i]))
            guard let scale = units.first(where: { $0.0 == unit })?.1 else { return .invalid }
            total += v * scale
        }
        guard total.isFinite else { return .tooLong }
        guard total.rounded() <= Double(maximumMilliseconds) else { return .tooLong }
        return .milliseconds(Int64(total.rounded()))
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
