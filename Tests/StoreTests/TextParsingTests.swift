import Foundation
import Testing
@testable import Store
import VitalsCore

@Suite struct TextParsingTests {
    let utc = TimeZone(identifier: "UTC")!
    let now = Timestamp.parseISO8601("2026-03-02T10:30:00Z")!

    @Test func durations() throws {
        #expect(try StoreError.duration("2h") == 7_200_000)
        #expect(try StoreError.duration("90m") == 5_400_000)
        #expect(try StoreError.duration("1h30m") == 5_400_000)
        #expect(try StoreError.duration("45s") == 45_000)
        #expect(try StoreError.duration("250ms") == 250)
        for bad in ["", "2", "2x", "h", "1h30"] {
            #expect(throws: StoreError.self, "\(bad)") { try StoreError.duration(bad) }
        }
        #expect(DurationText.readable(milliseconds: 7_500_000) == "2h 05m")
        #expect(DurationText.readable(milliseconds: 750_000) == "12m 30s")
    }

    @Test func times() throws {
        #expect(try TimeExpression.parse("now", now: now, timeZone: utc) == now)
        #expect(try TimeExpression.parse("-10m", now: now, timeZone: utc) == now - 600_000)
        #expect(try TimeExpression.parse("+1h", now: now, timeZone: utc) == now + 3_600_000)
        #expect(try TimeExpression.parse("09:10", now: now, timeZone: utc) == Timestamp.parseISO8601("2026-03-02T09:10:00Z"))
        #expect(try TimeExpression.parse("09:10:30", now: now, timeZone: utc) == Timestamp.parseISO8601("2026-03-02T09:10:30Z"))
        #expect(try TimeExpression.parse("2026-03-02T09:10:00Z", now: now, timeZone: utc) == Timestamp.parseISO8601("2026-03-02T09:10:00Z"))
        #expect(try TimeExpression.parse("2026-03-02T09:10:00+01:00", now: now, timeZone: utc) == Timestamp.parseISO8601("2026-03-02T08:10:00Z"))
        // No zone: local time.
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(try TimeExpression.parse("2026-03-02T09:10", now: now, timeZone: berlin) == Timestamp.parseISO8601("2026-03-02T08:10:00Z"))
        #expect(try TimeExpression.parse("09:10", now: now, timeZone: berlin) == Timestamp.parseISO8601("2026-03-02T08:10:00Z"))
        for bad in ["25:00", "9:7", "yesterday", "2026-13-01T00:00:00Z", "-10", "12:00:99"] {
            #expect(throws: StoreError.self, "\(bad)") { try TimeExpression.parse(bad, now: now, timeZone: utc) }
        }
    }
}
