import Foundation
import Testing
@testable import Store
import VitalsCore

/// `vitals session end` judges the last vitals against the rule set's limits with the patient's
/// overrides, not the overrides alone.
@Suite struct SessionEndLimitsTests {
    func session(limits: [String]) throws -> (TempDirectory, [String], VitalsDatabase) {
        let dir = try TempDirectory()
        let db = ["--db", dir.file("e.sqlite")]
        let r = try VitalsProcess.run(["session", "start", "--patient", "P", "--observe", "1m", "--at", "-1h"]
            + limits.flatMap { ["--limit", $0] } + db)
        #expect(r.status == 0, "\(r.stderr)")
        let store = try VitalsDatabase(path: dir.file("e.sqlite"))
        let clock = TestClock(Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        let writer = ReadingWriter(database: store, configuration: WriterConfiguration(room: "default"), now: clock.function, onError: { _ in })
        // SpO2 89: below the rule default 90, above a patient's own 88.
        writer.append(Sample.observation(.spo2, 89, at: clock.now))
        writer.close()
        return (dir, db, store)
    }

    @Test func theRuleDefaultCountsWithoutAnOverride() throws {
        let (dir, db, store) = try session(limits: [])
        let r = try VitalsProcess.run(["session", "end"] + db)
        #expect(r.status != 0)
        #expect(r.stderr.contains("spo2_low=90"), "\(r.stderr)")
        #expect(try store.sessions().first?.isOpen == true)
        withExtendedLifetime(dir) {}
    }

    @Test func thePatientsOverrideReplacesTheDefault() throws {
        let (dir, db, store) = try session(limits: ["spo2_low=88"])
        let r = try VitalsProcess.run(["session", "end"] + db)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try store.sessions().first?.isOpen == false)
        withExtendedLifetime(dir) {}
    }
}
