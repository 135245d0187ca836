/// Durations as people type and read them: `30s`, `10m`, `2h`, `1h30m`, `250ms`.
public enum DurationText {
    /// Parses `text`, also accepting plain seconds (`90`); `nil` when it is not a duration.
    public static func parse(_ text: String) -> Duration? {
        if let d = try? parseExplaining(text) { return d }
        let s = text.trimmed
        if let plain = Double(s), plain.isFinite, plain >= 0, s.first != "+" {
            return .milliseconds(Int64((plain * 1000).rounded()))
        }
        return nil
    }

    /// Parses one or more `<number><unit>` parts (units `d`, `h`, `m`, `s`, `ms`; decimals allowed),
    /// or throws an error that says what is wrong and how to write it. The parts go from the
    /// largest unit down, each unit once (`1h30m`): `10m10m` or `30m1h` is a typo, not 20 minutes
    /// or 90 (issue 12).
    public static func parseExplaining(_ text: String) throws(DurationTextError) -> Duration {
        let bad = { (reason: String) in DurationTextError(text: text, reason: reason) }
        let s = text.trimmed.lowercased()
        guard !s.isEmpty else { throw bad("it is empty; write for example 2h, 90m or 1h30m") }
        var total: Double = 0
        var digits = ""
        var i = s.startIndex
        var sawPart = false
        var previousFactor = Double.infinity
        while i < s.endIndex {
            let c = s[i]
            if c.isASCII, c.isNumber || c == "." {
                digits.append(c)
                i = s.index(after: i)
                continue
            }
            var unit = String(c)
            let next = s.index(after: i)
            if c == "m", next < s.endIndex, s[next] == "s" { unit = "ms" }
            guard let n = Double(digits), n.isFinite else { throw bad("expected a number before \"\(unit)\"") }
            let factor: Double
            switch unit {
            case "d": factor = 86_400_000
            case "h": factor = 3_600_000
            case "m": factor = 60_000
            case "s": factor = 1000
            case "ms": factor = 1
            default: throw bad("unknown unit \"\(unit)\"; use h, m, s or ms")
            }
            guard factor < previousFactor else {
                throw bad(previousFactor == factor
                    ? "\"\(unit)\" appears twice; write each unit once, largest first, as in 1h30m"
                    : "\"\(unit)\" comes after a smaller unit; write the largest first, as in 1h30m")
            }
            previousFactor = factor
            total += n * factor
            guard total < 1e15 else { throw bad("too large") }
            digits = ""
            sawPart = true
            i = s.index(i, offsetBy: unit.count)
        }
        guard digits.isEmpty else { throw bad("a number needs a unit (h, m, s or ms), as in \(digits)m") }
        guard sawPart else { throw bad("write for example 2h, 90m or 1h30m") }
        return .milliseconds(Int64(total.rounded()))
    }

    /// `1h30m`, `45s`, `250ms`: the shortest exact form, which `parse` reads back.
    public static func format(_ d: Duration) -> String {
        var ms = d.milliseconds
        if ms == 0 { return "0s" }
        var out = ms < 0 ? "-" : ""
        ms = abs(ms)
        let h = ms / 3_600_000, m = (ms / 60_000) % 60, s = (ms / 1000) % 60, rest = ms % 1000
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if rest > 0 && h == 0 && m == 0 && s == 0 { return out + "\(rest)ms" }
        if s > 0 || rest > 0 { out += rest > 0 ? "\(s).\(Timestamp.pad(rest, 3))s" : "\(s)s" }
        return out
    }

    /// `2h 05m`, `12m 30s`, `45s`: for people reading a report (seconds dropped past an hour).
    public static func readable(milliseconds ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let total = abs(ms) / 1000
        let h = total / 3600, m = (total / 60) % 60, s = total % 60
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        if h > 0 { return "\(sign)\(h)h \(two(m))m" }
        if m > 0 { return "\(sign)\(m)m \(two(s))s" }
        return "\(sign)\(s)s"
    }
}

extension String {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
