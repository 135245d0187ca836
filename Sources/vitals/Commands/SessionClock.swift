import Foundation
import Store

/// The wall clock and `--at` parsing the session commands share.
enum SessionClock {
    /// Now, ms since 1970 UTC.
    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// `--at TEXT` as ms since 1970 UTC, or now.
    static func time(_ text: String?) throws -> Int64 {
        let n = now()
        guard let text else { return n }
        return try TimeExpression.parse(text, now: n)
    }

    /// `09:10:04` in local time.
    static func clock(_ ms: Int64) -> String { LocalTimeFormatter().time(ms) }
}
