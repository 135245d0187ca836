import Foundation
import Testing
@testable import Store
import VitalsCore

/// The session commands and export, run as the real `vitals` executable.
@Suite struct CommandLineTests {
    @Test func sessionLifecycle() throws {
        let dir = try TempDirectory()
        let path = dir.file("cli.sqlite")
        let db = ["--db", path]

        var r = try VitalsProcess.run(["session", "start", "--patient", "PT-0042", "--clinician", "Dr Ng", "--medication", "esketamine",
                                        "--dose", "56 mg", "--route", "intranasal", "--room", "room-3", "--limit", "spo2_low=92",
                                        "--observe", "2h", "--at", "-3h"] + db)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Session 1 started in room room-3"))
        #expect(fileMode(path) == 0o600)

        r = try VitalsProcess.run(["session", "start", "--patient", "other", "--room", "room-3"] + db)
        #expect(r.status != 0)
        #expect(r.stderr.contains("session 1 is already open in room \"room-3\""))

        r = try VitalsProcess.run(["session", "start", "--patient", "x", "--room", "room-9", "--at", "25:99"] + db)
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad time \"25:99\""))

        r = try VitalsProcess.run(["session", "dose", "--room", "room-3", "--at", "-170m"] + db)
        #expect(r.status == 0, "\(r.stderr)")
        r = try VitalsProcess.run(["session", "note", "patient drowsy; \"ok\"\n二行目", "--room", "room-3", "--by", "RN"] + db)
        #expect(r.status == 0, "\(r.stderr)")

        // A BP reading below... and an SpO2 below the patient's limit, written as the daemon would.
        let store = try VitalsDatabase(path: path)
        let clock = TestClock(Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        let writer = ReadingWriter(database: store, configuration: WriterConfiguration(room: "room-3"), now: clock.function, onError: { _ in })
        writer.append(Sample.observation(.spo2, 90, at: clock.now))
        writer.record(Sample.alert(.raised, at: clock.now))
        writer.record(Sample.alert(.acknowledged, at: clock.now + 5000, by: "RN"))
        writer.close()

        r = try VitalsProcess.run(["session", "end", "--room", "room-3", "--reason", "home"] + db)
        #expect(r.status != 0)
        #expect(r.stderr.contains("outside the session's limit spo2_low=92"))
        #expect(r.stderr.contains("--force"))
        #expect(try store.session(id: 1).isOpen)

        r = try VitalsProcess.run(["session", "end", "--room", "room-3", "--reason", "home", "--force"] + db)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try store.session(id: 1).endReason == "home")

        r = try VitalsProcess.run(["session", "end", "--session", "1"] + db)
        #expect(r.status != 0 && r.stderr.contains("already ended"))

        r = try VitalsProcess.run(["session", "list"] + db)
        #expect(r.status == 0 && r.stdout.contains("PT-0042") && r.stdout.contains("ended"))

        r = try VitalsProcess.run(["session", "show", "1"] + db)
        #expect(r.status == 0, "\(r.stderr)")
        for part in ["PT-0042", "esketamine 56 mg intranasal", "Duration", "spo2", "REMS blood pressure checkpoints",
                     "MISSING", "spo2-low", "acknowledged", "by RN", "patient drowsy; \"ok\"\\n二行目"] {
            #expect(r.stdout.contains(part), "show lacks \(part)")
        }

        r = try VitalsProcess.run(["session", "show", "77"] + db)
        #expect(r.status != 0 && r.stderr.contains("unknown session 77"))

        r = try VitalsProcess.run(["export", "--session", "1", "--format", "csv"] + db)
        #expect(r.status == 0)
        #expect(r.stdout.split(separator: "\n").count == 2)
        r = try VitalsProcess.run(["export", "--session", "1", "--format", "jsonl"] + db)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.contains("\"type\":\"session\"") == true)
        #expect(lines.contains { $0.contains("\"type\":\"alert\"") && $0.contains("\"event\":\"acknowledged\"") })
        let out = dir.file("out.csv")
        r = try VitalsProcess.run(["export", "--session", "1", "--format", "csv", "-o", out] + db)
        #expect(r.status == 0 && fileMode(out) == 0o600)
        r = try VitalsProcess.run(["export", "--session", "1", "--format", "xml"] + db)
        #expect(r.status != 0)
    }

    @Test func endRefusesBeforeTheObservationIsOver() throws {
        let dir = try TempDirectory()
        let db = ["--db", dir.file("obs.sqlite")]
        var r = try VitalsProcess.run(["session", "start", "--patient", "P"] + db)
        #expect(r.status == 0)
        r = try VitalsProcess.run(["session", "dose", "--at", "-5m"] + db)
        #expect(r.status == 0)
        r = try VitalsProcess.run(["session", "end"] + db)
        #expect(r.status != 0)
        #expect(r.stderr.contains("the planned observation is not over"))
        r = try VitalsProcess.run(["session", "end", "--force"] + db)
        #expect(r.status == 0)
    }

    @Test func commandsWithoutAnOpenSessionNameTheProblem() throws {
        let dir = try TempDirectory()
        let env = ["VITALS_DB": dir.file("env.sqlite")]
        // No database yet: exit 66 naming the path and that VITALS_DB chose it, and nothing created.
        var r = try VitalsProcess.run(["session", "note", "hello", "--room", "empty"], environment: env)
        #expect(r.status == 66)
        #expect(r.stderr.contains("no database at \(dir.file("env.sqlite")) (from $VITALS_DB)"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("env.sqlite")))
        // session start creates it; a room without an open session is then "no such session".
        r = try VitalsProcess.run(["session", "start", "--patient", "P", "--room", "other"], environment: env)
        #expect(r.status == 0)
        r = try VitalsProcess.run(["session", "note", "hello", "--room", "empty"], environment: env)
        #expect(r.status == 66)
        #expect(r.stderr.contains("no session is open in room \"empty\""))
    }

    /// Issue 12: typos in times are refused at the option (exit 2, naming it), never read as
    /// another time, and nothing is recorded.
    @Test func badTimesAreRefusedNamingTheOption() throws {
        let dir = try TempDirectory()
        let db = ["--db", dir.file("t.sqlite")]
        var r = try VitalsProcess.run(["session", "start", "--patient", "P", "--at", "2026-01-01T09:00:00+99:99"] + db)
        #expect(r.status == 2 && r.stderr.contains("+99:99") && r.stderr.contains("UTC offset"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("t.sqlite")))
        r = try VitalsProcess.run(["session", "start", "--patient", "P"] + db)
        #expect(r.status == 0, "\(r.stderr)")
        r = try VitalsProcess.run(["tail", "--no-follow", "--since", "10m10m"] + db)
        #expect(r.status == 2 && r.stderr.contains("10m10m") && r.stderr.contains("twice"), "\(r.stderr)")
        r = try VitalsProcess.run(["tail", "--no-follow", "--since=-10m"] + db)
        #expect(r.status == 0, "\(r.stderr)")
        r = try VitalsProcess.run(["session", "dose", "--at", "-10m10m"] + db)
        #expect(r.status == 2 && r.stderr.contains("twice"), "\(r.stderr)")
    }
}
