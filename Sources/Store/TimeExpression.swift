import Foundation
import VitalsCore

/// Times as a clinician types them on the command line: ISO 8601 (`2026-03-02T09:10:00Z`; with
/// no zone it is local time), `HH:MM` or `HH:MM:SS` today in local time, `now`, or relative to
/// now (`-10m`, `-1h30m`, `+5m`).
public enum TimeExpression {
    /// The time `text` names, in ms since 1970 UTC, given `now` (ms) and the local `timeZone`.
    public static func parse(_ text: String, now: Int64, timeZone: TimeZone = .current) throws(StoreError) -> Int64 {
        let s = text.trimmingCharacters(in: .whitespaces)
        let bad = { (reason: String) in StoreError.invalidValue(name: "time", value: text, reason: reason) }
        let usage = "use ISO 8601 (2026-03-02T09:10), HH:MM today, or a relative time such as -10m"
        if s.lowercased() == "now" { return now }
        if let first = s.first, first == "-" || first == "+" {
            let d = try StoreError.duration(String(s.dropFirst()))
            return first == "-" ? now - d : now + d
        }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        if !s.contains("-"), (2...3).contains(parts.count) {
            guard let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m),
                  parts[0].count <= 2, parts[1].count == 2
            else { throw bad("not a time of day; \(usage)") }
            var sec = 0
            if parts.count == 3 {
                guard let v = Int(parts[2]), (0...59).contains(v), parts[2].count == 2 else { throw bad("bad seconds; \(usage)") }
                sec = v
            }
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = timeZone
            let today = Date(timeIntervalSince1970: Double(now) / 1000)
            var comps = cal.dateComponents([.year, .month, .day], from: today)
            comps.hour = h
            comps.minute = m
            comps.second = sec
            guard let date = cal.date(from: comps) else { throw bad(usage) }
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        var iso = s
        // 2026-03-02T09:10 -> add seconds.
        if iso.count == 16 { iso += ":00" }
        let hasZone = iso.count > 19 && (iso.hasSuffix("Z") || iso.dropFirst(19).contains("+") || iso.dropFirst(19).contains("-"))
        guard let asUTC = Timestamp.parseISO8601(iso) else {
            // `+99:99`: well formed, but no zone is that far from UTC.
            let zone = String(iso.suffix(6))
            if iso.count >= 25, zone.first == "+" || zone.first == "-", zone.dropFirst(3).first == ":",
               Timestamp.parseISO8601(String(iso.dropLast(6)) + "Z") != nil {
                throw bad("the UTC offset \(zone) is not a time zone (from -12:00 to +14:00, minutes 00 to 59)")
            }
            throw bad(usage)
        }
        if hasZone { return asUTC }
        // No zone: local time, so move by the zone's offset at that moment.
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(asUTC) / 1000))) * 1000
        return asUTC - offset
    }
}
