import Foundation
import GRDB
import Testing
@testable import Store
import VitalsCore

/// Every SQL example in docs/SCHEMA.md (the room database's, not the central PostgreSQL's) runs
/// against a real database written the way the daemon writes it, and the blood-pressure example
/// prints "141/92" (issue 19: it printed `bp = 1`, `/` and `||` having the same precedence).
@Suite struct SchemaDocumentationTests {
    static let document: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/docs/SCHEMA.md"
    }()

    /// The ```` ```sql ```` blocks of `text` outside the sections on the central database.
    static func roomExamples(_ text: String) -> [String] {
        var out: [String] = []
        var current: [Substring]?
        var central = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { central = line.contains("central database") }
            if let c = current {
                if line.hasPrefix("```") { out.append(c.joined(separator: "\n")); current = nil } else { current = c + [line] }
            } else if line == "```sql", !central {
                current = []
            }
        }
        return out
    }

    @Test func everyExampleRunsAndTheBloodPressuresRead() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("doc.sqlite"))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let t0 = now - 3_600_000
        // The examples name session 12 in room-3: eleven earlier sessions come first.
        for i in 1...11 {
            let s = try db.startSession(SessionPlan(room: "old-\(i)"), at: t0 - 86_400_000)
            try db.endSession(s.id, at: t0 - 80_000_000, reason: "test")
        }
        let session = try db.startSession(SessionPlan(room: "room-3", patientRef: "P-12"), at: t0)
        try #require(session.id == 12)
        try db.recordDose(session: 12, at: t0 + 600_000, text: "56 mg")
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "room-3"), onError: { _ in })
        writer.register(DeviceIdentity(profile: "suntech-advantage", name: "cuff-1"), at: t0)
        for i in 0..<20 { writer.append(Sample.observation(.spo2, 97, at: t0 + Int64(i) * 1000)) }
        writer.append(Sample.observation(.nibpSystolic, 141, at: t0 + 3_000_000, device: "cuff-1"))
        writer.append(Sample.observation(.nibpDiastolic, 92, at: t0 + 3_000_000, device: "cuff-1"))
        writer.record(Sample.alert(.raised, at: t0 + 30_000))
        writer.record(Sample.alert(.acknowledged, at: t0 + 40_000, by: "RN"))
        writer.close()
        let alert = try #require(try db.alerts(session: 12).first)
        _ = try db.enqueueCommand(.acknowledge(alert, room: "room-3", by: "RN", note: "seen", at: now))
        try db.addEvent(SessionEvent(sessionID: 12, at: t0 + 60_000, kind: .note, text: "drowsy", by: "RN"))
        try db.writeHeartbeat(room: "room-3", at: now)

        let text = try String(contentsOfFile: Self.document, encoding: .utf8)
        let examples = Self.roomExamples(text)
        #expect(examples.count >= 12, "found \(examples.count) examples")
        var bloodPressures: [String] = []
        for sql in examples {
            do {
                try db.pool.read { d in
                    let statements = try d.allStatements(sql: sql)
                    while let statement = try statements.next() {
                        let rows = try Row.fetchAll(statement)
                        if statement.columnNames.contains("bp") { bloodPressures += rows.compactMap { $0["bp"] as String? } }
                    }
                }
            } catch {
                Issue.record("docs/SCHEMA.md example fails: \(error)\n\(sql)")
            }
        }
        #expect(bloodPressures == ["141/92"])
    }
}
