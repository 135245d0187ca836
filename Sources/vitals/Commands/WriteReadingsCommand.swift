import ArgumentParser
import Foundation
import Store
import VitalsCore

/// `vitals _write-readings`: a hidden test helper. Writes synthetic readings through the real
/// `ReadingWriter` as fast as it can and prints `committed FIRST LAST TOTAL` on stdout after
/// every commit (unbuffered), so a test can SIGKILL it and check every reported reading is on disk.
struct WriteReadingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_write-readings",
        abstract: "Test helper: write synthetic readings as fast as possible.",
        shouldDisplay: false
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "The room.")
    var room: String = "crash-test"

    @Option(help: "Stop after this many readings (default: run until killed).")
    var count: Int?

    func run() throws {
        let db = try database.openOrCreate()
        let out = FileHandle.standardOutput
        let writer = ReadingWriter(
            database: db, configuration: WriterConfiguration(room: room, maxBatchReadings: 2000),
            onCommit: { c in
                guard let ids = c.readingIDs else { return }
                out.write(Data("committed \(ids.lowerBound) \(ids.upperBound) \(c.totalCommittedReadings)\n".utf8))
            })
        writer.register(DeviceIdentity(profile: "nonin-df7", name: "crash-oximeter", serialNumber: "SN-1"), at: SessionClock.now())
        writer.startTimer()
        let metrics: [Metric] = [.spo2, .pulse, .pi]
        var i = 0
        while count.map({ i < $0 }) ?? true {
            let t = SessionClock.now()
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
}
