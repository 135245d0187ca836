import Foundation
import Testing
@testable import Store
import VitalsCore

@Suite struct TerminalQueryTests {
    func writer(_ db: VitalsDatabase, _ clock: TestClock, room: String = "r") -> ReadingWriter {
        ReadingWriter(database: db, configuration: WriterConfiguration(room: room), now: clock.function, onError: { _ in })
    }

    @Test func cursorPagesFilterAndNeverRepeat() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("t.sqlite"))
        let clock = TestClock()
        let t0 = clock.now
        let s = try db.startSession(SessionPlan(room: "r"), at: t0)
        let w = writer(db, clock)
        w.record(Sample.alert(.raised, at: t0 + 1000, occurrence: 1))
        w.record(Sample.alert(.raised, rule: "pi-low", at: t0 + 2000, occurrence: 2, priority: .low))
        w.record(Sample.alert(.acknowledged, at: t0 + 3000, occurrence: 1, by: "Ana"))
        w.record(Sample.alert(.cleared, at: t0 + 61_000, occurrence: 1))
        w.close()

        let all = try db.alertEvents(after: 0, filter: AlertEventFilter())
        #expect(all.events.map(\.event.event) == [.raised, .raised, .acknowledged, .cleared])
        #expect(all.events.allSatisfy { $0.sessionStartedAt == t0 && $0.room == "r" && $0.sessionID == s.id })
        #expect(all.events.last?.raisedAt == t0 + 1000)
        #expect(all.events.last?.event.occurrence == 1)
        #expect(all.cursor == all.events.last?.id)

        // Filtered out events still move the cursor.
        let high = try db.alertEvents(after: 0, filter: AlertEventFilter(minimumPriority: .medium))
        #expect(high.events.map(\.event.rule) == ["spo2-low", "spo2-low", "spo2-low"])
        #expect(high.cursor == all.cursor)
        #expect(try db.alertEvents(after: 0, filter: AlertEventFilter(room: "elsewhere")).events.isEmpty)
        #expect(try db.alertEvents(after: 0, filter: AlertEventFilter(sessionID: s.id + 1)).events.isEmpty)

        // Small pages cover everything exactly once.
        var cursor: Int64 = 0
        var seen: [Int64] = []
        while true {
            let page = try db.alertEvents(after: cursor, filter: AlertEventFilter(), limit: 1)
            if page.cursor == cursor { break }
            seen += page.events.map(\.id)
            cursor = page.cursor
        }
        #expect(seen == all.events.map(\.id))

        // Since: the events at or after a time.
        #expect(try db.alertEvents(since: t0 + 2500, filter: AlertEventFilter()).events.map(\.event.event) == [.acknowledged, .cleared])
        // Default backlog: only the still-active pi-low alert's events.
        let active = try db.activeAlertEvents(filter: AlertEventFilter())
        #expect(active.events.map(\.event.rule) == ["pi-low"])
        #expect(active.cursor == all.cursor)
        #expect(try db.activeAlerts(session: s.id).map(\.rule) == ["pi-low"])
        let firstAlert = try #require(try db.alert(id: all.events[0].alertID))
        #expect(firstAlert.acknowledgedBy == "Ana" && firstAlert.clearedAt == t0 + 61_000)
        #expect(try db.alert(id: 999) == nil)
    }

    @Test func endedSessionsHaveNoActiveBacklog() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("e.sqlite"))
        let clock = TestClock()
        let s = try db.startSession(SessionPlan(room: "r"), at: clock.now)
        let w = writer(db, clock)
        w.record(Sample.alert(.raised, at: clock.now + 1000))
        w.close()
        #expect(try db.activeAlertEvents(filter: AlertEventFilter()).events.count == 1)
        try db.endSession(s.id, at: clock.now + 5000, reason: "done")
        #expect(try db.activeAlertEvents(filter: AlertEventFilter()).events.isEmpty)
        #expect(try db.openSessions().isEmpty)
    }

    @Test func latestReadingsAndDeviceStates() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("l.sqlite"))
        let clock = TestClock()
        let t0 = clock.now
        // An earlier session in another room, so the range scan has neighbours to skip.
        let other = try db.startSession(SessionPlan(room: "x"), at: t0)
        let ow = writer(db, clock, room: "x")
        ow.append(Sample.observation(.spo2, 80, at: t0, device: "ox-x"))
        ow.close()
        let s = try db.startSession(SessionPlan(room: "r"), at: t0)
        let w = writer(db, clock)
        w.register(DeviceIdentity(profile: "nonin-df7", name: "ox"), at: t0)
        w.record(DeviceEvent(device: "ox", at: t0, kind: .connected))
        for i in 0..<50 {
            w.append(Sample.observation(.spo2, Double(90 + i % 10), at: t0 + Int64(i) * 1000, device: "ox"))
            w.append(Sample.observation(.pulse, Double(60 + i), at: t0 + Int64(i) * 1000, device: "ox"))
        }
        w.append(Sample.observation(.spo2, 77, at: t0 + 60_000, device: "ox", flags: .sensorOff))
        w.record(DeviceEvent(device: "ox", at: t0 + 60_000, kind: .sensorOff))
        w.record(DeviceEvent(device: "ox", at: t0 + 61_000, kind: .quiet))
        w.close()

        let latest = try db.latestReadings(session: s.id)
        #expect(latest.map(\.metric) == [.spo2, .pulse])
        #expect(latest[0].value == 77 && latest[0].flags == .sensorOff && latest[0].hostTime == t0 + 60_000)
        #expect(latest[1].value == 109)
        #expect(try db.latestReadings(session: other.id).map(\.value) == [80])

        let states = try db.deviceStates(session: s.id)
        #expect(states.count == 1)
        #expect(states.first?.profile == "nonin-df7")
        #expect(states.first?.connection == .quiet && states.first?.connectionAt == t0 + 61_000)
        #expect(states.first?.sensorOff == true)
        #expect(try db.openSessions().map(\.room) == ["r", "x"])
        #expect(try db.openSessions(room: "r").map(\.id) == [s.id])
    }

    @Test func changeMonitorSeesAnotherConnectionsCommit() throws {
        let dir = try TempDirectory()
        let path = dir.file("m.sqlite")
        let db = try VitalsDatabase(path: path)
        let monitor = try DatabaseChangeMonitor(path: path)
        #expect(try monitor.hasChanged())  // the first look
        #expect(try !monitor.hasChanged())
        try db.startSession(SessionPlan(room: "r"), at: 1)
        #expect(try monitor.hasChanged())
        #expect(try !monitor.hasChanged())
    }
}

@Suite struct ReAlarmTests {
    @Test func aReAlarmContinuesItsOccurrencesRow() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("ra.sqlite"))
        let clock = TestClock()
        let t0 = clock.now
        let s = try db.startSession(SessionPlan(room: "r"), at: t0)
        let w = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: clock.function, onError: { _ in })
        w.record(Sample.alert(.raised, at: t0 + 1000, occurrence: 5))
        w.record(Sample.alert(.acknowledged, at: t0 + 2000, occurrence: 5, by: "Ana"))
        // The condition persists: the engine raises the same occurrence again after its interval.
        w.record(Sample.alert(.raised, at: t0 + 120_000, occurrence: 5))
        w.close()
        let rows = try db.alerts(session: s.id)
        #expect(rows.count == 1, "one row per occurrence")
        let active = try db.activeAlerts(session: s.id)
        #expect(active.map(\.id) == [rows[0].id])
        #expect(active.first?.acknowledgedBy == nil, "the re-alarm ends the acknowledgement")
        #expect(active.first?.raisedAt == t0 + 1000)
        #expect(try db.supersedingAlert(of: rows[0].id) == nil)
        #expect(try db.alertEvents(session: s.id).map(\.event.event) == [.raised, .acknowledged, .raised])
        let backlog = try db.activeAlertEvents(filter: AlertEventFilter())
        #expect(backlog.events.allSatisfy { $0.alertID == rows[0].id })
    }
}
