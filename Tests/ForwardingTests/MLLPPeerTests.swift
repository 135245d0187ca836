import Foundation
import Store
import Testing
import VitalsTestSupport

/// `vitals forward` against an HL7 receiver nobody here wrote the MLLP or parsing side of:
/// python-hl7's MLLP server, hl7apy's HL7 v2.6 validation plus the PCD rules of
/// Tests/Peers/hl7_receiver.py.
@Suite(.serialized) struct MLLPPeerTests {
    /// 75 s: 75 oximeter periods, one NIBP period; the alert raised at 5 s, acknowledged at 8 s,
    /// cleared at 70 s, so two periodic "continue" messages (35.1 s, 65.1 s).
    static let expectedObservations = 76
    static let expectedAlerts = 5

    func forward(_ db: String, port: Int, _ extra: [String] = []) throws -> VitalsChild {
        try VitalsChild(["forward", "--db", db, "--to", "mllp://127.0.0.1:\(port)", "--once"] + extra)
    }

    @Test func everyPeriodAndAlertEventArrivesValidAndInOrder() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        _ = try RoomFixture(path: db, seconds: 75)
        let log = dir.file("received.jsonl")
        let receiver = try PythonPeer("hl7_receiver.py", ["--log", log])
        let child = try forward(db, port: receiver.port)
        #expect(child.wait(timeout: .seconds(120)) == 0, "\(child.stderrLines)")
        let got = ReceivedMessage.read(log)
        #expect(got.allSatisfy { $0.errors.isEmpty }, "\(got.filter { !$0.errors.isEmpty }.map { ($0.control, $0.errors) })")
        #expect(got.filter { $0.type.hasPrefix("ORU^R01") }.count == Self.expectedObservations)
        #expect(got.filter { $0.type.hasPrefix("ORU^R40") }.count == Self.expectedAlerts)
        #expect(Set(got.map(\.control)).count == got.count)
        #expect(got.map(\.time) == got.map(\.time).sorted())
        #expect(got.allSatisfy { $0.patient == "MRN12345" })
        let phases = got.compactMap(\.phase)
        #expect(phases == ["start", "continue", "continue", "continue", "end"])
        #expect(got.compactMap(\.inactivation) == ["enabled", "alert-acknowledged", "alert-acknowledged", "alert-acknowledged", "alert-acknowledged"])
        #expect(Set(got.compactMap(\.alert)).count == 1)
        // NIBP carries its own measurement time, 40 s before the message.
        let nibp = try #require(got.first { $0.metrics?.contains { $0.code == 150021 } == true })
        let sys = try #require(nibp.metrics?.first { $0.code == 150021 })
        #expect(sys.value == "118")
        #expect(sys.time < nibp.time)
        // The sensor-off second is sent as invalid (X), without a value.
        #expect(got.contains { $0.metrics?.contains { $0.code == 150456 && $0.status == "X" && $0.value.isEmpty } == true })

        // Everything was confirmed: a second run sends nothing.
        let again = try forward(db, port: receiver.port)
        #expect(again.wait(timeout: .seconds(60)) == 0)
        #expect(ReceivedMessage.read(log).count == got.count)
    }

    @Test func aReceiverKilledMidStreamGetsEverythingAfterItsRestartWithStableControlIDs() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        _ = try RoomFixture(path: db, seconds: 75)
        let log = dir.file("received.jsonl")
        let first = try PythonPeer("hl7_receiver.py", ["--log", log, "--die-after", "20"])
        let port = first.port
        let child = try forward(db, port: port)
        try #require(eventually { !first.process.isRunning }, "the receiver never got its 20 messages")
        #expect(ReceivedMessage.read(log).count == 20)
        let second = try PythonPeer("hl7_receiver.py", ["--log", log, "--port", String(port)])
        #expect(child.wait(timeout: .seconds(120)) == 0, "\(child.stderrLines)")
        let got = ReceivedMessage.read(log)
        let unique = Self.firstAppearances(got)
        #expect(unique.count == Self.expectedObservations + Self.expectedAlerts)
        #expect(unique.map(\.time) == unique.map(\.time).sorted())
        // The message the dead receiver never acknowledged came again, with the same control id.
        #expect(got.count > unique.count)
        #expect(got[19].control == got[20].control)
        #expect(got.allSatisfy { $0.errors.isEmpty })
        second.kill()
    }

    @Test func aForwarderKilledMidSendResendsWithTheSameControlIDs() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        _ = try RoomFixture(path: db, seconds: 75)
        let log = dir.file("received.jsonl")
        let receiver = try PythonPeer("hl7_receiver.py", ["--log", log, "--delay", "0.02"])
        let child = try forward(db, port: receiver.port)
        #expect(eventually { ReceivedMessage.read(log).count >= 15 })
        child.send(SIGKILL)
        _ = child.wait(timeout: .seconds(30))
        // A message written just before the kill may still be on its way into the log.
        var before = ReceivedMessage.read(log)
        while true {
            usleep(300_000)
            let now = ReceivedMessage.read(log)
            if now.count == before.count { break }
            before = now
        }
        let rerun = try forward(db, port: receiver.port)
        #expect(rerun.wait(timeout: .seconds(120)) == 0, "\(rerun.stderrLines)")
        let got = ReceivedMessage.read(log)
        let unique = Self.firstAppearances(got)
        #expect(unique.count == Self.expectedObservations + Self.expectedAlerts)
        // What arrived before the kill arrived again, identical in identity and order.
        let resent = Array(got[before.count...].prefix(before.count)).map(\.control)
        #expect(resent == before.map(\.control))
        #expect(got.allSatisfy { $0.errors.isEmpty })
    }

    @Test func applicationErrorsAreRetriedUntilAccepted() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        _ = try RoomFixture(path: db, seconds: 12)
        let log = dir.file("received.jsonl")
        let receiver = try PythonPeer("hl7_receiver.py", ["--log", log, "--answer", "AE:3"])
        let child = try forward(db, port: receiver.port)
        #expect(child.wait(timeout: .seconds(120)) == 0, "\(child.stderrLines)")
        let got = ReceivedMessage.read(log)
        #expect(got.prefix(4).map(\.control) == Array(repeating: got[0].control, count: 4))
        #expect(child.stderrLines.contains { $0.contains("AE") && $0.contains("refused by the test receiver") })
        #expect(Self.firstAppearances(got).count == 13 + 2)
    }

    @Test func aRejectedMessageIsParkedAfterItsTriesAndNeverBlocksTheRest() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        let room = try RoomFixture(path: db, seconds: 12)
        let log = dir.file("received.jsonl")
        // The alert's "raised" event is alert_events row 1.
        let receiver = try PythonPeer("hl7_receiver.py", ["--log", log, "--reject", ".A1"])
        let child = try forward(db, port: receiver.port, ["--max-rejects", "2"])
        #expect(child.wait(timeout: .seconds(120)) == 0, "\(child.stderrLines)")
        let got = ReceivedMessage.read(log)
        #expect(got.filter { $0.control.hasSuffix(".A1") }.count == 2)
        #expect(Self.firstAppearances(got).count == 13 + 2)
        let parked = try room.database.deadLetters()
        #expect(parked.map(\.messageID).allSatisfy { $0.hasSuffix(".A1") })
        #expect(parked.count == 1)
        #expect(parked.first?.reason.contains("refused by the test receiver") == true)
        #expect(parked.first?.message.hasPrefix("MSH|") == true)
        #expect(child.stderrLines.contains { $0.contains("dead-letter") })
        #expect(child.stderrLines.contains { $0.contains("1 message(s) were refused for good") })
    }

    @Test func aReceiverThatNeverAnswersTimesOutAndTheCursorStays() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        let room = try RoomFixture(path: db, seconds: 3)
        let log = dir.file("received.jsonl")
        let receiver = try PythonPeer("hl7_receiver.py", ["--log", log, "--silent"])
        let child = try forward(db, port: receiver.port, ["--ack-timeout", "500ms", "--give-up-after", "2s"])
        #expect(child.wait(timeout: .seconds(60)) == 1)
        #expect(child.stderrLines.contains { $0.contains("no acknowledgement within") })
        // Each try reconnected and resent the same first message.
        let got = ReceivedMessage.read(log)
        #expect(got.count >= 2)
        #expect(Set(got.map(\.control)).count == 1)
        #expect(try room.database.forwardCursor(destination: "mllp://127.0.0.1:\(receiver.port)").readingID == 0)
    }

    static func firstAppearances(_ got: [ReceivedMessage]) -> [ReceivedMessage] {
        var seen = Set<String>()
        return got.filter { seen.insert($0.control).inserted }
    }
}

extension MLLPPeerTests {
    /// Without `--once` the forwarder follows the room: rows written later go out too.
    @Test func followingTheRoomSendsNewRows() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("room.sqlite")
        _ = try RoomFixture(path: db, seconds: 3)
        let log = dir.file("received.jsonl")
        let receiver = try PythonPeer("hl7_receiver.py", ["--log", log])
        let child = try VitalsChild(["forward", "--db", db, "--to", "mllp://127.0.0.1:\(receiver.port)"])
        defer { child.stop() }
        #expect(eventually { ReceivedMessage.read(log).count >= 3 })
        // More readings, an hour later, from another process's writer.
        let database = try VitalsDatabase(path: db)
        let writer = ReadingWriter(database: database, configuration: WriterConfiguration(room: "WARD3-BED07"), onError: { _ in })
        let t = RoomFixture.start + 3_600_000
        writer.append(RoomFixture.observation(.spo2, 95, at: t, device: "oximeter-1"))
        writer.append(RoomFixture.observation(.spo2, 94, at: t + 1000, device: "oximeter-1"))
        _ = writer.close()
        // Both new periods: the older at once, the newer once it has settled (a period later in
        // wall-clock terms, since the fixture's times are in the past).
        #expect(eventually { ReceivedMessage.read(log).count >= 5 })
        let got = ReceivedMessage.read(log)
        #expect(got.allSatisfy { $0.errors.isEmpty })
        #expect(Set(got.map(\.control)).count == got.count)
    }
}

extension MLLPPeerTests {
    /// `mllps://`: TLS through swift-nio-ssl to the receiver wrapped in Python's ssl, with a
    /// private CA (`?ca=`); a forwarder that does not trust the certificate sends nothing.
    @Test func mllpsDeliversOverTLSAndRefusesAnUntrustedCertificate() throws {
        let dir = try TemporaryDirectory()
        let cert = dir.file("cert.pem"), key = dir.file("key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert,
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        let db = dir.file("room.sqlite")
        _ = try RoomFixture(path: db, seconds: 3)
        let log = dir.file("received.jsonl")
        let receiver = try PythonPeer("hl7_receiver.py", ["--log", log, "--tls-cert", cert, "--tls-key", key])
        let untrusted = try VitalsChild([
            "forward", "--db", db, "--to", "mllps://localhost:\(receiver.port)", "--once", "--give-up-after", "1s",
        ])
        #expect(untrusted.wait(timeout: .seconds(60)) == 1)
        #expect(ReceivedMessage.read(log).isEmpty)
        let trusted = try VitalsChild(["forward", "--db", db, "--to", "mllps://localhost:\(receiver.port)?ca=\(cert)", "--once"])
        #expect(trusted.wait(timeout: .seconds(60)) == 0, "\(trusted.stderrLines)")
        let got = ReceivedMessage.read(log)
        #expect(got.count == 3)
        #expect(got.allSatisfy { $0.errors.isEmpty })
    }
}
