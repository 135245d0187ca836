import Foundation
import Testing
@testable import Store
import VitalsCore

@Suite struct ReadingWriterTests {
    func make(_ dir: TempDirectory, clock: TestClock, room: String = "room-1") throws -> (VitalsDatabase, ReadingWriter, Collector<WriterCommit>) {
        let db = try VitalsDatabase(path: dir.file("w.sqlite"))
        let commits = Collector<WriterCommit>()
        let writer = ReadingWriter(
            database: db, configuration: WriterConfiguration(room: room), now: clock.function,
            onCommit: { commits.append($0) }, onError: { _ in })
        return (db, writer, commits)
    }

    @Test func readingsWaitAtMost250msOnTheInjectedClock() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, commits) = try make(dir, clock: clock)
        for i in 0..<10 { writer.append(Sample.observation(.spo2, 97, at: clock.now + Int64(i))) }
        // Committed once the oldest has waited the interval less the commit margin (150 ms of 250).
        clock.advance(WriterConfiguration(room: "room-1").flushDueMilliseconds - 1)
        writer.flushIfDue()
        writer.drain()
        #expect(writer.statistics.committedReadings == 0)
        #expect(try db.count("readings") == 0)
        clock.advance(1)
        writer.flushIfDue()
        writer.drain()
        #expect(writer.statistics.committedReadings == 10)
        #expect(try db.count("readings") == 10)
        #expect(commits.all.count == 1)
        #expect(commits.all.first?.readingIDs == 1...10)
        #expect(writer.statistics.lastCommittedReadingID == 10)
    }

    @Test func anAppendAfterTheIntervalCommitsWithoutATimer() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, _) = try make(dir, clock: clock)
        writer.append(Sample.observation(.pulse, 70, at: clock.now))
        clock.advance(300)
        writer.append(Sample.observation(.pulse, 71, at: clock.now))
        writer.drain()
        #expect(try db.count("readings") == 2)
    }

    @Test func alertsAreCommittedAtOnceWithTheReadingsBeforeThem() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, commits) = try make(dir, clock: clock)
        writer.append(Sample.observation(.spo2, 87, at: clock.now))
        writer.record(Sample.alert(.raised, at: clock.now))
        writer.drain()
        #expect(try db.count("readings") == 1)
        #expect(try db.count("alert_events") == 1)
        #expect(commits.all.first?.alertEventIDs == [1])
        let events = try db.alertEvents(after: 0)
        #expect(events.count == 1)
        #expect(events.first?.room == "room-1")
        #expect(events.first?.event.rule == "spo2-low")
        #expect(events.first?.event.value == 87)
    }

    @Test func dataWithNoOpenSessionOpensAnAutomaticOneAndAClinicianSessionReplacesIt() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, _) = try make(dir, clock: clock)
        writer.append(Sample.observation(.spo2, 98, at: clock.now))
        #expect(writer.flush())
        let auto = try #require(try db.openSession(room: "room-1"))
        #expect(auto.autoOpened)
        #expect(try db.readings(session: auto.id).count == 1)

        clock.advance(1000)
        let s = try db.startSession(SessionPlan(room: "room-1", patientRef: "P-7"), at: clock.now)
        #expect(try db.session(id: auto.id).endedAt == clock.now)
        writer.append(Sample.observation(.spo2, 96, at: clock.now))
        writer.flush()
        #expect(try db.readings(session: s.id).map(\.value) == [96])
        #expect(try db.readings(session: auto.id).map(\.value) == [98])

        // After the clinician ends it, data keeps arriving: a new automatic session, nothing dropped.
        try db.endSession(s.id, at: clock.now + 10, reason: "discharged")
        writer.append(Sample.observation(.spo2, 95, at: clock.now + 20))
        writer.flush()
        let next = try #require(try db.openSession(room: "room-1"))
        #expect(next.autoOpened && next.id != s.id)
        #expect(try db.count("readings") == 3)
    }

    @Test func valuesFlagsAndTimesRoundTrip() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, _) = try make(dir, clock: clock)
        writer.register(DeviceIdentity(profile: "masimo-ascii", name: "rad", usbVendorID: 0x0403, usbProductID: 0x6001, serialNumber: "A1"), at: clock.now)
        let dt = DeviceTime(year: 2026, month: 3, day: 2, hour: 9, minute: 0, second: 1)
        writer.append(Sample.observation(.pi, 1.23, at: clock.now, device: "rad", flags: [.lowPerfusion, .artifact], deviceTime: dt))
        writer.append(Sample.observation(.nibpSystolic, 132, at: clock.now + 1, device: "rad"))
        writer.flush()
        let s = try #require(try db.openSession(room: "room-1"))
        let r = try db.readings(session: s.id)
        #expect(r.count == 2)
        #expect(r[0].value == 1.23 && r[0].flags == [.lowPerfusion, .artifact] && r[0].deviceTime == dt?.milliseconds)
        #expect(r[0].hostTime == clock.now && r[0].metric == .pi && r[0].device == "rad")
        #expect(r[1].deviceTime == nil && r[1].flags == [])
        let devices = try db.devices(session: s.id)
        #expect(devices.map(\.profile) == ["masimo-ascii"])
        #expect(devices.first?.usbVendorID == 0x0403 && devices.first?.serialNumber == "A1")
    }

    @Test func waveformIsStoredAsAboutASecondAChunk() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, _) = try make(dir, clock: clock)
        // 75 Hz in batches of 25: three batches make a chunk.
        for batch in 0..<7 {
            let samples = (0..<25).map { Int32(batch * 25 + $0) }
            writer.append(Waveform(sampleRate: 75, samples: samples), device: "ox", at: clock.now + Int64(batch) * 333)
        }
        writer.close()
        let s = try #require(try db.sessions().first)
        let chunks = try db.waveforms(session: s.id)
        #expect(chunks.map(\.waveform.samples.count) == [75, 75, 25])
        #expect(chunks.flatMap(\.waveform.samples) == (0..<175).map { Int32($0) })
        #expect(WaveformEncoding.decode(WaveformEncoding.encode([70000, -5]).blob, encoding: 2) == [70000, -5])
    }

    @Test func deviceAndSessionEventsAreCommittedAtOnce() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, _) = try make(dir, clock: clock)
        let s = try db.startSession(SessionPlan(room: "room-1", patientRef: "P"), at: clock.now)
        writer.append(Sample.observation(.spo2, 97, at: clock.now))
        writer.record(DeviceEvent(device: "oximeter-1", at: clock.now + 5, kind: .resync, count: 3, detail: "bad checksum"))
        writer.record(DeviceEvent(device: "oximeter-1", at: clock.now + 10, kind: .disconnected))
        writer.record(SessionEvent(at: clock.now + 20, kind: .dose, text: "56 mg"))
        writer.drain()
        let events = try db.deviceEvents(session: s.id)
        #expect(events.map(\.kind) == [.resync, .disconnected])
        #expect(events.first?.count == 3)
        #expect(try db.devices(session: s.id).first?.detachedAt == clock.now + 10)
        #expect(try db.session(id: s.id).doseAt == clock.now + 20)
        #expect(try db.events(session: s.id).map(\.kind) == [.dose])
    }

    @Test func alertLifeIsFoldedIntoOneAlertRow() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, _) = try make(dir, clock: clock)
        let t = clock.now
        writer.record(Sample.alert(.raised, at: t, priority: .medium))
        writer.record(Sample.alert(.escalated, at: t + 60_000, priority: .high))
        writer.record(Sample.alert(.acknowledged, at: t + 70_000, by: "nurse Ana"))
        writer.record(Sample.alert(.cleared, at: t + 90_000, value: 93))
        writer.record(Sample.alert(.raised, rule: "pulse-high", at: t + 100_000))
        writer.drain()
        let s = try #require(try db.openSession(room: "room-1"))
        let alerts = try db.alerts(session: s.id)
        #expect(alerts.count == 2)
        let a = alerts[0]
        #expect(a.rule == "spo2-low" && a.priority == .high && a.raisedAt == t && a.escalatedAt == t + 60_000)
        #expect(a.acknowledgedAt == t + 70_000 && a.acknowledgedBy == "nurse Ana" && a.clearedAt == t + 90_000)
        #expect(alerts[1].clearedAt == nil && alerts[1].acknowledgedAt == nil)
        let after2 = try db.alertEvents(after: 2)
        #expect(after2.map(\.event.event) == [.acknowledged, .cleared, .raised])
        #expect(try db.lastAlertEventID() == 5)
        #expect(try db.alertEvents(after: 0, room: "elsewhere").isEmpty)
    }

    @Test func dataAfterCloseIsCountedAsDropped() throws {
        let dir = try TempDirectory()
        let clock = TestClock()
        let (db, writer, _) = try make(dir, clock: clock)
        writer.append(Sample.observation(.spo2, 97, at: clock.now))
        #expect(writer.close().isComplete)
        writer.append(Sample.observation(.spo2, 97, at: clock.now))
        #expect(writer.statistics.droppedReadings == 1)
        #expect(try db.count("readings") == 1)
    }
}

@Suite struct DeviceEventMappingTests {
    @Test func statusesAndConnectionStatesMapToDeviceEvents() {
        let off = DeviceEvent(status: DeviceStatus(.sensorOff, metric: .spo2, detail: "no finger"), device: "ox", at: 5)
        #expect(off.kind == .sensorOff && off.detail == "no finger" && off.metric == .spo2)
        let sync = DeviceEvent(status: DeviceStatus(.syncLost, byteOffset: 12), device: "ox", at: 6, badFrames: 4)
        #expect(sync.kind == .resync && sync.count == 4)
        let err = DeviceEvent(status: DeviceStatus(.measurementError, code: 3, detail: "blockage"), device: "cuff", at: 7)
        #expect(err.kind == .status && err.detail == "measurement-error: blockage" && err.code == 3)
        #expect(DeviceEvent(connection: .streaming, previous: .connecting, device: "ox", at: 1)?.kind == .connected)
        #expect(DeviceEvent(connection: .streaming, previous: .quiet, device: "ox", at: 1)?.kind == .streaming)
        #expect(DeviceEvent(connection: .disconnected, previous: .streaming, device: "ox", at: 1)?.kind == .disconnected)
        #expect(DeviceEvent(connection: .reconnecting, previous: .disconnected, device: "ox", at: 1) == nil)
    }
}

@Suite struct WriterTimerTests {
    /// With the real clock and the timer, a lone reading is committed without any further call.
    @Test func theTimerCommitsALoneReading() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("timer.sqlite"))
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), onError: { _ in })
        writer.startTimer()
        writer.append(Sample.observation(.spo2, 97, at: ReadingWriter.wallClock()))
        // Not a timing assertion: wait generously for the timer to do its job at all.
        var waited = 0
        while writer.statistics.committedReadings == 0, waited < 20_000 {
            usleep(10_000)
            waited += 10
        }
        #expect(writer.statistics.committedReadings == 1)
        #expect(try db.count("readings") == 1)
        writer.close()
    }
}
