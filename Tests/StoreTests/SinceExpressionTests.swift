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
}
