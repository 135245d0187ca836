import Foundation
import Testing
@testable import Store

/// `--since` as clinicians type it (issue 19).
@Suite struct SinceExpressionTests {
    let utc = TimeZone(identifier: "UTC")!
    let now: Int64 = 1_780_000_000_000  // 2026-05-28T20:26:40Z

    @Test func durationsAgoWithOrWithoutMinus() throws {
        #expect(try SinceExpression.parse("10m", now: now, timeZone: utc) == now - 600_000)
        #expect(try SinceExpression.parse("-10m", now: now, timeZone: utc) == now - 600_000)
        #expect(try SinceExpression.parse("1h30m", now: now, timeZone: utc) == now - 5_400_000)
    }

    @Test func todayYesterdayAndDatesAreLocalMidnight() throws {
        let midnight: Int64 = 1_779_926_400_000  // 2026-05-28T00:00:00Z
        #expect(try SinceExpression.parse("today", now: now, timeZone: utc) == midnight)
        #expect(try SinceExpression.parse("Yesterday", now: now, timeZone: utc) == midnight - 86_400_000)
        #expect(try SinceExpression.parse("2026-05-28", now: now, timeZone: utc) == midnight)
        let paris = TimeZone(identifier: "Europe/Paris")!
        #expect(try SinceExpression.parse("2026-05-28", now: now, timeZone: paris) == midnight - 7_200_000)
        #expect(try SinceExpression.parse("2026-05-28T09:10", now: now, timeZone: utc) == midnight + 33_000_000)
    }

    @Test func nonsenseIsRefusedWithTheForms() {
        for bad in ["2026-02-30", "10x", "tomorrowish", "2026-13-01"] {
            let e = #expect(throws: StoreError.self) { try SinceExpression.parse(bad, now: now, timeZone: utc) }
            #expect(e?.description.contains("--since") == true, "\(bad)")
        }
    }

    /// Issue 12: a repeated or misordered unit is a typo, and so is an offset no zone has; each
    /// is refused naming what is wrong instead of being read as some other time.
    @Test func repeatedUnitsAndImpossibleOffsetsAreRefused() throws {
        for bad in ["10m10m", "30m1h", "1h1h", "-10m10m"] {
            let e = #expect(throws: StoreError.self) { try SinceExpression.parse(bad, now: now, timeZone: utc) }
            #expect(e?.description.contains(bad) == true, "\(bad): \(e.map { "\($0)" } ?? "")")
        }
        #expect(throws: StoreError.self) { try StoreError.duration("10m10m") }
        #expect((try? StoreError.duration("1h30m")) == 5_400_000)
        for bad in ["2026-01-01T09:00:00+99:99", "2026-01-01T09:00:00-12:60", "2026-01-01T09:00:00+15:00"] {
            let e = #expect(throws: StoreError.self) { try TimeExpression.parse(bad, now: now, timeZone: utc) }
            #expect(e?.description.contains("UTC offset") == true, "\(bad): \(e.map { "\($0)" } ?? "")")
        }
        // The real extremes are zones.
        #expect(try TimeExpression.parse("2026-01-01T09:00:00+14:00", now: now, timeZone: utc) == 1_767_207_600_000)
        #expect(try TimeExpression.parse("2026-01-01T09:00:00-12:00", now: now, timeZone: utc) == 1_767_301_200_000)
    }
}
