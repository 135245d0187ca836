import ArgumentParser
import Foundation
import Store
import VitalsCore

/// `vitals-test-writer`: a test helper, built beside `vitals` but never installed (it is no
/// product of the package and `make install` copies only `vitals`). Writes synthetic readings through the real
/// `ReadingWriter` as fast as it can and prints `committed FIRST LAST TOTAL` on stdout after
/// every commit (unbuffered), so a test can SIGKILL it and check every reported reading is on disk.
@main
struct WriteReadings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vitals-test-writer",
        abstract: "Test helper: write synthetic readings as fast as possible (the store's crash and kill tests)."
    )

    @Option(help: "The database file.")
    var db: String

    @Option(help: "The room.")
    var room: String = "crash-test"

    @Option(help: "Stop after this many readings (default: run until killed).")
    var count: Int?

    @Option(help: "Paced mode: append 10 readings stamped with the wall clock every millisecond and, every this many ms, raise an alert through commitAlert, printing `alert N stored ID` or `alert N pending`.")
    var alertEveryMs: Int?

    @Option(help: "Clinic-year mode (the backtest benchmark): write this many complete sessions (SpO2, pulse, EtCO2, awRR at 1 Hz, NIBP every 5 min) and exit.")
    var clinicSessions: Int?

    @Option(help: "Clinic-year mode: hours a session.")
    var sessionHours: Int = 2

    func run() throws {
        if let clinicSessions {
            return try ClinicYear.write(path: db, room: room, sessions: clinicSessions, hours: sessionHours)
        }
        let db = try VitalsDatabase(path: self.db)
        let out = FileHandle.standardOutput
        let writer = ReadingWriter(
            database: db, configuration: WriterConfiguration(room: room, maxBatchReadings: 2000),
            onCommit: { c in
                guard let ids = c.readingIDs else { return }
                out.write(Data("committed \(ids.lowerBound) \(ids.upperBound) \(c.totalCommittedReadings)\n".utf8))
            })
        writer.register(DeviceIdentity(profile: "nonin-df7", name: "crash-oximeter", serialNumber: "SN-1"), at: Self.now())
        writer.startTimer()
        if let alertEveryMs {
            paced(writer, alertEvery: Int64(max(1, alertEveryMs)), out: out)
            return
        }
        let metrics: [Metric] = [.spo2, .pulse, .pi]
        var i = 0
        while count.map({ i < $0 }) ?? true {
            let t = Self.now()
            var block: [Observation] = []
            for _ in 0..<200 {
                let m = metrics[i % 3]
                let v = m == .spo2 ? Double(90 + i % 10) : m == .pulse ? Double(60 + i % 40) : Double(i % 500) / 100
                block.append(Observation(
                    reading: Reading(metric: m, value: v, deviceTime: DeviceTime(milliseconds: Int64(i) * 333, kind: .counter)),
                    device: "crash-oximeter", time: RunTime(milliseconds: Int64(i)), hostTime: t))
                i += 1
            }
            writer.append(contentsOf: block)
            // Back-pressure: do not outrun the disk by more than a few batches.
            while writer.statistics.pendingReadings > 8000 { usleep(500) }
        }
        writer.close()
    }

    /// Now, ms since 1970 UTC.
    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Readings at a steady rate, each stamped with the wall clock when appended, so a test that
    /// kills the process can tell how old the newest stored reading was; alerts through the
    /// daemon's path (store before show).
    func paced(_ writer: ReadingWriter, alertEvery: Int64, out: FileHandle) {
        var i = 0
        var occurrence = 0
        var lastAlert = Self.now()
        while count.map({ i < $0 }) ?? true {
            let t = Self.now()
            var block: [Observation] = []
            for _ in 0..<10 {
                block.append(Observation(
                    reading: Reading(metric: .spo2, value: Double(90 + i % 10)), device: "crash-oximeter",
                    time: RunTime(milliseconds: Int64(i)), hostTime: t))
                i += 1
            }
            writer.append(contentsOf: block)
            if t - lastAlert >= alertEvery {
                lastAlert = t
                occurrence += 1
                let alert = AlertEvent(
                    time: RunTime(milliseconds: Int64(i)), hostTime: t, rule: "crash-alert", priority: .high,
                    kind: .physiological, event: .raised, metric: .spo2, value: 85, message: "SpO2 85% below 88%",
                    device: "crash-oximeter", occurrence: occurrence)
                switch writer.commitAlert(alert) {
                case let .stored(id): out.write(Data("alert \(occurrence) stored \(id)\n".utf8))
                case let .pending(why): out.write(Data("alert \(occurrence) pending \(why)\n".utf8))
                }
            }
            usleep(1000)
        }
        FileHandle.standardError.write(Data("vitals: \(writer.close())\n".utf8))
    }
}
