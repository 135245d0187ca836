/// Formatting of host wall-clock labels (milliseconds since 1970-01-01 UTC).
public enum Timestamp {
    /// `2026-01-01T09:00:12.000Z`.
    public static func iso8601(milliseconds ms: Int64) -> String {
        let days = floorDiv(ms, 86_400_000)
        let msOfDay = ms - days * 86_400_000
        let (y, m, d) = civil(fromDays: days)
        let h = msOfDay / 3_600_000
        let mi = (msOfDay / 60_000) % 60
        let s = (msOfDay / 1000) % 60
        let frac = msOfDay % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(frac, 3))Z"
    }

    /// The largest UTC offset a time may carry, in minutes: the zones in use span −12:00 to
    /// +14:00 (Line Islands), so `+99:99` is a typo, not a zone (issue 12).
    public static let maxUTCOffsetMinutes = 14 * 60

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; `nil` when it is not that, including an
    /// offset beyond ±14:00 or with minutes past 59.
    public static func parseISO8601(_ text: String) -> Int64? {
        let u = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        guard u.count >= 19, u[4] == 45, u[7] == 45, u[10] == 84 || u[10] == 32, u[13] == 58, u[16] == 58,
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2),
              let mi = num(14, 2), let s = num(17, 2)
        else { return nil }
        var i = 19
        var frac = 0
        if i < u.count, u[i] == 46 {
            i += 1
            var digits = 0
            while i < u.count, u[i] >= 48, u[i] <= 57 {
                if digits < 3 { frac = frac * 10 + Int(u[i] - 48); digits += 1 }
                i += 1
            }
            while digits < 3 { frac *= 10; digits += 1 }
        }
        var offsetMinutes = 0
        if i < u.count {
            if u[i] == 90, i + 1 == u.count { // Z
            } else if (u[i] == 43 || u[i] == 45), let oh = num(i + 1, 2), let om = num(i + 4, 2), i + 6 == u.count,
                      u[i + 3] == 58, oh * 60 + om <= maxUTCOffsetMinutes, om <= 59 {
                offsetMinutes = (oh * 60 + om) * (u[i] == 43 ? 1 : -1)
            } else {
                return nil
            }
        }
        guard let t = DeviceTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: frac)
        else { return nil }
        return t.milliseconds - Int64(offsetMinutes) * 60_000
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
