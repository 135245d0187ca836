import Foundation

/// Formats stored times (ms since 1970 UTC) in a time zone for people: `2026-03-02 09:10:04`.
public struct LocalTimeFormatter: Sendable {
    let calendar: Calendar

    /// A formatter for `timeZone` (the machine's own by default).
    public init(timeZone: TimeZone = .current) {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        calendar = c
    }

    private func parts(_ ms: Int64) -> DateComponents {
        calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// `2026-03-02 09:10:04`.
    public func dateTime(_ ms: Int64) -> String {
        let p = parts(ms)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0, p.second ?? 0)
    }

    /// `09:10:04`.
    public func time(_ ms: Int64) -> String {
        let p = parts(ms)
        return String(format: "%02d:%02d:%02d", p.hour ?? 0, p.minute ?? 0, p.second ?? 0)
    }
}
