import Foundation
import Reports
import Store
import VitalsCore

/// A session written into a real SQLite file through the store's own writer: dose at 10 min
/// (nasal devices 1 and 2), SpO2 and pulse every 10 s, BP at chosen minutes, ended at a chosen minute.
struct ScenarioSession {
    static let t0: Int64 = 1_780_000_000_000
    static let minute: Int64 = 60_000
    static let rulesPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Rules/ketamine.yaml").path

    let db: VitalsDatabase
    let sessionID: Int64
    let path: String

    /// `bp` is (minute from the start, systolic, diastolic); `spo2At` overrides SpO2 by minute.
    init(
        directory: String, bp: [(Int64, Double, Double)], endMinute: Int64?, dose: String = "56 mg",
        spo2At: (Int64) -> Double = { _ in 97 }, pulseAt: (Int64) -> Double = { _ in 72 }, intervalSeconds: Int64 = 10,
        concomitant: ConcomitantMedications = ConcomitantMedications(benzodiazepine: false, sedativeHypnotic: false, psychostimulant: true, maoi: nil)
    ) throws {
        path = directory + "/scenario.sqlite"
        db = try VitalsDatabase(path: path)
        let t0 = Self.t0, minute = Self.minute
        let s = try db.startSession(
            SessionPlan(room: "room-2", patientRef: "P-0042", clinician: "Dr Osei", medication: "esketamine", dose: dose,
                        route: "intranasal", observeMilliseconds: 120 * minute, lot: "LOT-7781", concomitant: concomitant),
            at: t0)
        sessionID = s.id
        try db.recordDoseDevice(session: s.id, number: 1, at: t0 + 10 * minute, by: "RN Park")
        try db.recordDoseDevice(session: s.id, number: 2, at: t0 + 15 * minute, by: "RN Park")
        let clock = ManualClock(t0)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "room-2"), now: clock.function, onError: { _ in })
        let last = (endMinute ?? 150) * 60
        var second: Int64 = 0
        while second <= last {
            let t = t0 + second * 1000
            writer.append(Self.observation(.spo2, spo2At(second / 60), at: t, device: "oximeter"))
            writer.append(Self.observation(.pulse, pulseAt(second / 60), at: t + 1, device: "oximeter"))
            second += intervalSeconds
        }
        for (m, sys, dia) in bp {
            let t = t0 + m * minute
            writer.append(Self.observation(.nibpSystolic, sys, at: t, device: "cuff"))
            writer.append(Self.observation(.nibpDiastolic, dia, at: t + 1, device: "cuff"))
            writer.append(Self.observation(.nibpMean, ((sys + 2 * dia) / 3).rounded(), at: t + 2, device: "cuff"))
        }
        _ = writer.close()
        if let endMinute { try db.endSession(s.id, at: t0 + endMinute * minute, reason: "discharged home", by: "Dr Osei") }
    }

    static func observation(_ metric: Metric, _ value: Double, at: Int64, device: String) -> Observation {
        Observation(reading: Reading(metric: metric, value: value, flags: []), device: device, time: RunTime(milliseconds: 0), hostTime: at)
    }

    func model(now: Int64 = t0 + 300 * minute) throws -> ReportModel {
        let plan = try db.session(id: sessionID).plan
        return try ReportModel.load(database: db, session: sessionID, now: now, limits: try SessionLimits.load(rulesPath: Self.rulesPath, plan: plan))
    }
}

/// The writer's injected clock.
final class ManualClock: Sendable {
    let start: Int64
    init(_ start: Int64) { self.start = start }
    var function: @Sendable () -> Int64 { { [start] in start } }
}

/// A temporary directory removed when the value is dropped.
final class TempDir: Sendable {
    let path: String

    init() throws {
        var bytes = Array((NSTemporaryDirectory() + "/vitals-reports-XXXXXX").utf8CString)
        guard let p = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: p)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
