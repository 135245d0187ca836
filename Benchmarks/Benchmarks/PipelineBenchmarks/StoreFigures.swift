import Foundation
import Store
import Synchronization
import VitalsCore

/// Figure 3: readings a second through the room's `ReadingWriter` (batching, WAL,
/// `synchronous=FULL`) beside raw prepared inserts of the same rows in one transaction, and
/// bytes a reading on disk after a checkpoint.
///
/// Each round writes the same readings twice, into fresh files made by `VitalsDatabase` (same
/// schema, WAL, FULL): once raw, once through the writer (appended one at a time as the
/// pipeline does, on the real clock, so batches commit every 250 ms or 10,000 readings; timed
/// until `close()` has committed them all). The figure is the median round.
enum StoreFigures {
    static func measure(readings count: Int, rounds: Int) throws -> [Figure] {
        let seconds = count / 3 + 1
        let observations = Array(SessionObservations.make(seconds: seconds).prefix(count))
        let devices = [SessionObservations.oximeter: Int64(1), SessionObservations.cuff: Int64(2)]
        let rows = observations.map { o in
            ReadingRow(
                session: 1, device: devices[o.device] ?? 0, metric: Int64(o.metric.storageCode), t: o.hostTime,
                deviceT: o.reading.deviceTime?.milliseconds, value: Int64((o.value * 100).rounded()),
                flags: Int64(o.flags.rawValue))
        }
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("vitals-bench-store-\(getpid())").path
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }

        // The file with the schema and nothing else, checkpointed: what a reading adds is measured from it.
        let emptyPath = "\(root)/empty.sqlite"
        _ = try VitalsDatabase(path: emptyPath)
        let emptyBytes = try checkpointedSize(emptyPath)

        var writerRates: [Double] = []
        var rawRates: [Double] = []
        var bytesPerReading: [Double] = []
        var commits = 0
        for round in 0..<rounds {
            let rawPath = "\(root)/raw-\(round).sqlite"
            _ = try VitalsDatabase(path: rawPath)
            do {
                let raw = try RawSQLite(path: rawPath)
                try raw.execute("PRAGMA synchronous = FULL")
                rawRates.append(Double(count) / (try Stopwatch.seconds { try raw.insertReadings(rows) }))
                guard try raw.integer("SELECT count(*) FROM readings") == Int64(count) else {
                    throw RawSQLite.Failure(description: "the raw file lacks readings")
                }
            }

            let path = "\(root)/writer-\(round).sqlite"
            let (rate, batches) = try writerRate(path: path, observations: observations)
            writerRates.append(rate)
            commits = batches
            let raw = try RawSQLite(path: path)
            guard try raw.integer("SELECT count(*) FROM readings") == Int64(count) else {
                throw RawSQLite.Failure(description: "the writer's file lacks readings")
            }
            bytesPerReading.append(Double(try checkpointedSize(path) - emptyBytes) / Double(count))
        }
        let writer = Stopwatch.median(writerRates)
        let raw = Stopwatch.median(rawRates)
        let bytes = Stopwatch.median(bytesPerReading)
        return [
            Figure(
                id: "3.store.append", section: 3, figure: "Store append (ReadingWriter, WAL, synchronous=FULL, batched)",
                measured: Quantity(value: writer, unit: "readings/s"),
                baseline: Baseline(name: "raw sqlite3 prepared inserts, one transaction", value: raw, unit: "readings/s"),
                checks: [
                    Check(goal: ">= 200,000 readings/s", quantity: "readings/s", value: writer, atLeast: 200_000),
                    Check(goal: ">= 50% of raw inserts", quantity: "% of raw", value: 100 * writer / raw, atLeast: 50),
                ],
                note: "\(count) readings appended one at a time, timed to close(); \(commits) commits; median of \(rounds) rounds"),
            Figure(
                id: "3.store.bytes", section: 3, figure: "Bytes a reading on disk (after a checkpoint)",
                measured: Quantity(value: bytes, unit: "bytes/reading"),
                baseline: nil,
                checks: [Check(goal: "<= 40 bytes a reading", quantity: "bytes/reading", value: bytes, atMost: 40)],
                note: "(file size after wal_checkpoint(TRUNCATE) - empty file) / \(count) readings"),
        ]
    }

    /// Readings a second through a fresh writer, and how many commits it made.
    static func writerRate(path: String, observations: [Observation]) throws -> (Double, Int) {
        let database = try VitalsDatabase(path: path)
        let commits = Commits()
        let writer = ReadingWriter(
            database: database, configuration: WriterConfiguration(room: "bench"),
            onCommit: { _ in commits.add() })
        let seconds = Stopwatch.seconds {
            for o in observations { writer.append(o) }
            writer.close()
        }
        let stats = writer.statistics
        guard stats.committedReadings == Int64(observations.count) else {
            throw RawSQLite.Failure(description: "the writer committed \(stats.committedReadings) of \(observations.count)")
        }
        return (Double(observations.count) / seconds, commits.count)
    }

    /// The main file's size after a truncating checkpoint (no other connection open).
    static func checkpointedSize(_ path: String) throws -> Int {
        let raw = try RawSQLite(path: path)
        try raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let pages = try raw.integer("PRAGMA page_count")
        let pageSize = try raw.integer("PRAGMA page_size")
        return Int(pages * pageSize)
    }
}

/// Counts the writer's commits (called on its queue).
final class Commits: Sendable {
    private let n = Mutex(0)
    func add() { n.withLock { $0 += 1 } }
    var count: Int { n.withLock { $0 } }
}
