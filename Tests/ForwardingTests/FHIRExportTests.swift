import Foundation
import Testing
import VitalsTestSupport

/// `vitals export --format fhir` validated by fhir.resources (FHIR R4 4.0.1) and the
/// vital-signs rules of Tests/Peers/fhir_check.py.
@Suite struct FHIRExportTests {
    struct Report: Decodable {
        var errors: [String]
        var counts: [String: Int]
        var loinc: [String]
    }

    func check(_ path: String) throws -> Report {
        let peer = try PythonPeer("fhir_check.py", [path], waitForPort: false)
        let data = peer.output.fileHandleForReading.readDataToEndOfFile()
        peer.process.waitUntilExit()
        return try JSONDecoder().decode(Report.self, from: data)
    }

    @Test func aSessionExportsAsAValidR4TransactionBundle() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        let room = try RoomFixture(path: db, seconds: 75)
        let out = dir.file("bundle.json")
        let run = try VitalsChild.run(["export", "--db", db, "--session", String(room.sessionID), "--format", "fhir", "-o", out])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try check(out)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.counts["Patient"] == 1)
        #expect(report.counts["Device"] == 2)
        // 74 valid SpO2 (one sensor-off second left out), 75 pulse, the NIBP pulse, one BP panel.
        #expect(report.counts["Observation"] == 74 + 75 + 1 + 1)
        #expect(report.counts["DetectedIssue"] == 3)
        #expect(report.loinc == ["2708-6", "59408-5", "85354-9", "8867-4"])
        // The same session exports to the same bundle.
        let again = dir.file("again.json")
        _ = try VitalsChild.run(["export", "--db", db, "--session", String(room.sessionID), "--format", "fhir", "-o", again])
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: again)))
    }

    @Test func theValidatorRejectsABrokenBundle() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        let room = try RoomFixture(path: db, seconds: 6)
        let out = dir.file("bundle.json")
        _ = try VitalsChild.run(["export", "--db", db, "--session", String(room.sessionID), "--format", "fhir", "-o", out])
        var bundle = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        var entries = try #require(bundle["entry"] as? [[String: Any]])
        let i = try #require(entries.firstIndex { ($0["resource"] as? [String: Any])?["resourceType"] as? String == "Observation" })
        var resource = try #require(entries[i]["resource"] as? [String: Any])
        resource["status"] = "done"  // not an ObservationStatus... and no value:
        resource["valueQuantity"] = nil
        entries[i]["resource"] = resource
        bundle["entry"] = entries
        let broken = dir.file("broken.json")
        try JSONSerialization.data(withJSONObject: bundle).write(to: URL(fileURLWithPath: broken))
        #expect(try !check(broken).errors.isEmpty)
    }
}
