import Foundation
import Testing
@testable import Store
import VitalsCore

@Suite struct CompactnessTests {
    /// At most 40 bytes a reading on disk: 100,000 realistic readings (host and device time,
    /// values with fractions) and the whole file, schema included, divided by their number.
    @Test func atMost40BytesAReading() throws {
        let dir = try TempDirectory()
        let path = dir.file("size.sqlite")
        let db = try VitalsDatabase(path: path)
        let clock = TestClock()
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: clock.function, onError: { _ in })
        try db.startSession(SessionPlan(room: "r", patientRef: "P"), at: clock.now)
        let n = 100_000
        var batch: [Observation] = []
        for i in 0..<n {
            let t = clock.now + Int64(i) * 111
            let (metric, value): (Metric, Double) =
                switch i % 4 {
                case 0: (.spo2, Double(94 + i % 6))
                case 1: (.pulse, Double(58 + i % 60))
                case 2: (.pi, Double(i % 1000) / 100)
                default: ([Metric.nibpSystolic, .nibpDiastolic, .nibpMean][i % 3], Double(70 + i % 90))
                }
            batch.append(Sample.observation(
                metric, value, at: t, flags: i % 50 == 0 ? [.artifact] : [],
                deviceTime: DeviceTime(milliseconds: t - 3_600_000, kind: .clock)))
            if batch.count == 1000 {
                writer.append(contentsOf: batch)
                batch = []
                writer.flush()
            }
        }
        writer.close()
        try db.checkpoint()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let perReading = Double(size) / Double(n)
        print("bytes a reading on disk: \(perReading) (file \(size) bytes for \(n) readings)")
        #expect(try db.count("readings") == n)
        #expect(perReading <= 40)
        // Values with fractions come back to 0.01.
        let s = try #require(try db.sessions().first)
        let pis = try db.readings(session: s.id, metric: .pi).prefix(5).map(\.value)
        #expect(pis == [0.02, 0.06, 0.1, 0.14, 0.18])
    }
}
