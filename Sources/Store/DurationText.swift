/// Durations as people type and read them: `2h`, `90m`, `1h30m`, `45s`.
public enum DurationText {
    /// Parses one or more `<number><unit>` parts (units `h`, `m`, `s`, `ms`) into milliseconds.
    public static func parse(_ text: String) throws(StoreError) -> Int64 {
        let bad = { (reason: String) in StoreError.invalidValue(name: "duration", value: text, reason: reason) }
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !s.isEmpty else { throw bad("it is empty; write for example 2h, 90m or 1h30m") }
        var total: Int64 = 0
        var digits = ""
        var i = s.startIndex
        var sawPart = false
        while i < s.endIndex {
            let c = s[i]
            if c.isASCII, c.isNumber {
                digits.append(c)
                i = s.index(after: i)
                continue
            }
            var unit = String(c)
            let next = s.index(after: i)
            if c == "m", next < s.endIndex, s[next] == "s" { unit = "ms" }
            guard let n = Int64(digits) else { throw bad("expected a number before \"\(unit)\"") }
            let factor: Int64
            switch unit {
            case "h": factor = 3_600_000
            case "m": factor = 60_000
            case "s": factor = 1000
            case "ms": factor = 1
            default: throw bad("unknown unit \"\(unit)\"; use h, m, s or ms")
            }
            let (product, overflow) = n.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw bad("too large") }
            total += product
            digits = ""
            sawPart = true
            i = s.index(i, offsetBy: unit.count)
        }
        guard digits.isEmpty else { throw bad("a number needs a unit (h, m, s or ms), as in \(digits)m") }
        guard sawPart else { throw bad("write for example 2h, 90m or 1h30m") }
        return total
    }

    /// `2h 05m`, `12m 30s`, `45s`.
    public static func format(milliseconds ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let total = abs(ms) / 1000
        let h = total / 3600, m = (total / 60) % 60, s = total % 60
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        if h > 0 { return "\(sign)\(h)h \(two(m))m" }
        if m > 0 { return "\(sign)\(m)m \(two(s))s" }
        return "\(sign)\(s)s"
    }
}
