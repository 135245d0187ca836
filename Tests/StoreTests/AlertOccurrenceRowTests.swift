import Foundation
import Testing
@testable import Store
import VitalsCore

/// Issue 11: one stored row per occurrence. A re-alarm (`raised` again with the same occurrence
/// after an acknowledgement) continues the row, which the clear then closes.
@Suite struct AlertOccurrenceRowTests {
    @Test func aReAlarmContinuesItsOccurrencesRow() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("t.sqlite"))
        let clock = TestClock()
        let t0 = clock.now
        let s = try db.startSession(SessionPlan(room: "r"), at: t0)
        let w = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: clock.function, onError: { _ in })
        w.record(Sample.alert(.raised, at: t0 + 1000, occurrence: 3))
        w.record(Sample.alert(.acknowledged, at: t0 + 2000, occurrence: 3, by: "Ana"))
        w.record(Sample.alert(.raised, at: t0 + 122_000, occurrence: 3))
        w.record(Sample.alert(.cleared, at: t0 + 200_000, occurrence: 3))
        w.close()
        let rows = try db.alerts(session: s.id)
        #expect(rows.count == 1)
        #expect(rows.first?.raisedAt == t0 + 1000)
        #expect(rows.first?.clearedAt == t0 + 200_000)
    }
}
