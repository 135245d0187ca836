import Foundation
import VitalsCore

/// `--since` as a clinician types it: a duration ago (`10m`, `-10m`, `1h30m`), `today` or
/// `yesterday` (local midnight), a date (`2026-03-02`, local midnight), or anything
/// `TimeExpression` reads (`09:10`, `2026-03-02T09:10`, `now`).
public enum SinceExpression {
    /// The time `text` names, ms since 1970 UTC, given `now` (ms) and the local `timeZone`.
    public static func parse(_ text: String, now: Int64, timeZone: TimeZone = .current) throws(StoreError) -> Int64 {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        // A duration ago, with or without the minus: a malformed one (`10m10m`) says what is
        // wrong with it rather than listing every form.
        let body = s.hasPrefix("-") ? String(s.dropFirst()) : s
        if let first = body.first, first.isNumber, body.allSatisfy({ $0.isNumber || "dhms.".contains($0) }) {
            do {
                return now - (try DurationText.parseExplaining(body)).milliseconds
            } catch {
                throw StoreError.invalidValue(name: "--since", value: text, reason: error.reason)
            }
        }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let today = cal.startOfDay(for: Date(timeIntervalSince1970: Double(now) / 1000))
        func ms(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        switch s {
        case "today": return ms(today)
        case "yesterday":
            guard let d = cal.date(byAdding: .day, value: -1, to: today) else { break }
            return ms(d)
        default: break
        }
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) {
            var comps = DateComponents()
            comps.year = y
            comps.month = m
            comps.day = d
            guard (1...12).contains(m), (1...31).contains(d), let date = cal.date(from: comps),
                  cal.component(.day, from: date) == d
            else {
                throw StoreError.invalidValue(name: "--since", value: text, reason: "not a date (use YYYY-MM-DD)")
            }
            return ms(date)
        }
        do {
            return try TimeExpression.parse(text, now: now, timeZone: timeZone)
        } catch {
            throw StoreError.invalidValue(
                name: "--since", value: text,
                reason: "use a duration ago (10m, -10m), a time (09:10), today, yesterday, a date (2026-03-02) or 2026-03-02T09:10")
        }
    }
}
