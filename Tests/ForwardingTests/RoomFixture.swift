import Foundation
import Synchronization
import Store
import VitalsCore

/// A room database filled through the real writer: one session for patient MRN12345, an
/// oximeter (SpO2, pulse each second), a cuff (one NIBP measurement with its own older time)
/// and an SpO2 alert raised, acknowledged and cleared.
struct RoomFixture {
    static let start: Int64 = 1_780_000_000_000
    let database: VitalsDatabase
    let sessionID: Int64

    /// `seconds` seconds of oximeter readings; the alert is raised at 5 s, acknowledged at 8 s
    /// and cleared at 70 s when `seconds` reaches that far.
    init(path: String, seconds: Int = 12, room: String = "WARD3-BED07") throws {
        database = try VitalsDatabase(path: path)
        let clock = FixtureClock(Self.start)
        let writer = ReadingWriter(
            database: database, configuration: WriterConfiguration(room: room), now: clock.function, onError: { _ in })
        let session = try database.startSession(SessionPlan(room: room, patientRef: "MRN12345", clinician: "dr-a"), at: Self.start)
        sessionID = session.id
        writer.register(DeviceIdentity(profile: "nonin-ascii", name: "oximeter-1"), at: Self.start)
        writer.register(DeviceIdentity(profile: "suntech-advantage", name: "cuff-1"), at: Self.start)
        for s in 0..<seconds {
            let t = Self.start + Int64(s) * 1000 + 100
            clock.set(t)
            let spo2: Double = (5...9).contains(s) ? 86 : 97
            writer.append(Self.observation(.spo2, spo2, at: t, device: "oximeter-1", flags: s == 3 ? [.sensorOff] : []))
            writer.append(Self.observation(.pulse, 72, at: t, device: "oximeter-1"))
            if s == 4 {
                let measured = DeviceTime(milliseconds: t - 40_000, kind: .clock)
                writer.append(Self.observation(.nibpSystolic, 118, at: t, device: "cuff-1", deviceTime: measured))
                writer.append(Self.observation(.nibpDiastolic, 76, at: t, device: "cuff-1", deviceTime: measured))
                writer.append(Self.observation(.nibpMean, 90, at: t, device: "cuff-1", deviceTime: measured))
                writer.append(Self.observation(.nibpPulse, 70, at: t, device: "cuff-1", deviceTime: measured))
            }
            if s == 5 { writer.record(Self.alert(.raised, at: t)) }
            if s == 8 { writer.record(Self.alert(.acknowledged, at: t, by: "nurse-b")) }
            if s == 70 { writer.record(Self.alert(.cleared, at: t)) }
            _ = writer.flush()
        }
        _ = writer.close()
    }

    static func observation(
        _ metric: Metric, _ value: Double, at: Int64, device: String, flags: QualityFlags = [], deviceTime: DeviceTime? = nil
    ) -> Observation {
        Observation(
            reading: Reading(metric: metric, value: value, flags: flags, deviceTime: deviceTime), device: device,
            time: RunTime(milliseconds: at - start), hostTime: at)
    }

    static func alert(_ event: AlertEventKind, at: Int64, by: String? = nil) -> AlertEvent {
        AlertEvent(
            time: RunTime(milliseconds: at - start), hostTime: at, rule: "spo2-low", priority: .high, kind: .physiological,
            event: event, metric: .spo2, value: 86, message: "SpO2 86% below 88%", device: "oximeter-1", by: by, occurrence: 1)
    }
}

/// The writer's injected clock.
final class FixtureClock: Sendable {
    private let value: Mutex<Int64>
    init(_ start: Int64) { value = Mutex(start) }
    func set(_ t: Int64) { value.withLock { $0 = t } }
    var function: @Sendable () -> Int64 { { [self] in self.value.withLock { $0 } } }
}
