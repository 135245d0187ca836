/// Durations as people type them: `30s`, `10m`, `2h`, `1h30m`, `250ms`, or plain seconds (`90`).
public enum DurationText {
    /// Parses `text`; `nil` when it is not a duration.
    public static func parse(_ text: String) -> Duration? {
        let s = text.trimmingCharacters(in: " ")
        guard !s.isEmpty else { return nil }
        if let plain = Double(s), plain.isFinite, plain >= 0 {
            return .milliseconds(Int64((plain * 1000).rounded()))
        }
        var total: Int64 = 0
        var number = ""
        var i = s.startIndex
        var sawUnit = false
        while i < s.endIndex {
            let c = s[i]
            if c.isNumber || c == "." {
                number.append(c)
                i = s.index(after: i)
                continue
            }
            var unit = ""
            while i < s.endIndex, s[i].isLetter {
                unit.append(s[i])
                i = s.index(after: i)
            }
            guard let v = Double(number), v.isFinite, v >= 0 else { return nil }
            let factor: Double
            switch unit {
            case "ms": factor = 1
            case "s", "sec": factor = 1000
            case "m", "min": factor = 60_000
            case "h", "hr": factor = 3_600_000
            case "d": factor = 86_400_000
            default: return nil
            }
            total += Int64((v * factor).rounded())
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else { return nil }
        return .milliseconds(total)
    }

    /// `1h30m`, `45s`, `250ms`: the shortest exact form.
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
}

extension String {
    fileprivate func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
