import DeviceIO
import DeviceProtocols
import Foundation
import Glibc
import Store
import Synchronization
import Testing
import VitalsCore
import VitalsTestSupport

/// A monitor with a host dialogue played on the device side of a real pty: it answers what the
/// host (`vitals run`) writes with the profile's simulator (the monitor's side of the session per
/// reference/protocols-multiparameter.md), and sends a period of values every `tick` of real time
/// (one device second at the run's `--speed`). Every byte the host wrote is kept for the checks.
final class MonitorOnPty: Sendable {
    let pty: PseudoTerminal
    private struct State {
        var encoder: any DeviceEncoder
        var snapshot: VitalSnapshot
        var host: [UInt8] = []
        var stopped = false
    }
    private let state: Mutex<State>
    private let finished = DispatchSemaphore(value: 0)

    init(link: String, encoder: any DeviceEncoder, snapshot: VitalSnapshot, tick: Duration) throws {
        pty = try PseudoTerminal(linkPath: link)
        state = Mutex(State(encoder: encoder, snapshot: snapshot))
        let thread = Thread { [self] in
            var next = ContinuousClock.now + tick
            while !state.withLock({ $0.stopped }) {
                let wait = max(.zero, min(next - ContinuousClock.now, .milliseconds(20)))
                if let bytes = try? pty.read(timeout: wait), !bytes.isEmpty {
                    let reply = state.withLock { s in
                        s.host += bytes
                        return s.encoder.receive(bytes)
                    }
                    if !reply.isEmpty { try? pty.write(reply) }
                }
                if ContinuousClock.now >= next {
                    let chunks = state.withLock { s in s.encoder.encode(s.snapshot) }
                    for c in chunks { try? pty.write(c.bytes) }
                    next += tick
                }
            }
            finished.signal()
        }
        thread.start()
    }

    /// From now on the monitor shows `snapshot`.
    func show(_ snapshot: VitalSnapshot) { state.withLock { $0.snapshot = snapshot } }

    /// Every byte the host wrote so far.
    var hostBytes: [UInt8] { state.withLock { $0.host } }

    /// Stops answering and closes the pty (unplugs the monitor).
    func stop() {
        let wasRunning = state.withLock { s in
            defer { s.stopped = true }
            return !s.stopped
        }
        if wasRunning { finished.wait() }
        pty.close()
    }
}

/// `vitals run` end to end over a real pty with each multi-parameter profile's host dialogue
/// (issue 14): readings land in the database, a respiratory (or, for the oximeter, an SpO2)
/// alert is raised, and a monitor refusing the association is a technical alert.
@Suite(.serialized) struct RunMultiParameterMonitorTests {
    static let speed = 10.0
    static let tick = Duration.milliseconds(100)

    /// Hypoventilation as a capnograph shows it: EtCO2 60 mmHg (above the rule set's 50), breathing on.
    static let hypoventilating = VitalSnapshot(
        spo2: 96, pulse: 72, heartRate: 72, respirationRate: 14, airwayRespirationRate: 14, etco2: 60, temperature: 36.8)

    struct Room {
        let dir: TemporaryDirectory
        let monitor: MonitorOnPty
        let run: VitalsChild
        var database: String { dir.file("room.sqlite") }
    }

    func start(profile: String, encoder: any DeviceEncoder, snapshot: VitalSnapshot) throws -> Room {
        let dir = try TemporaryDirectory()
        let link = dir.file("monitor")
        let monitor = try MonitorOnPty(link: link, encoder: encoder, snapshot: snapshot, tick: Self.tick)
        try "devices:\n  - port: \(link)\n    profile: \(profile)\n    label: monitor\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let run = try VitalsChild([
            "run", "--db", dir.file("room.sqlite"), "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--no-udev", "--format", "jsonl", "--speed", "\(Self.speed)", "--room", "bay-1",
        ])
        return Room(dir: dir, monitor: monitor, run: run)
    }

    func raised(_ rule: String) -> (String) -> Bool {
        { $0.contains("\"rule\":\"\(rule)\"") && $0.contains("\"event\":\"raised\"") }
    }

    /// Stops the daemon with SIGTERM (exit 0), then the monitor; returns the stored metrics.
    func stop(_ room: Room) throws -> Set<Metric> {
        room.run.send(SIGTERM)
        #expect(room.run.wait() == 0, "\(room.run.stderrLines.suffix(5))")
        // The host's last words (a release) reach the monitor before it is unplugged.
        usleep(200_000)
        room.monitor.stop()
        let db = try VitalsDatabase(path: room.database)
        guard let session = try db.sessions().first else { return [] }
        #expect(session.room == "bay-1")
        return Set(try db.readings(session: session.id).map(\.metric))
    }

    /// The user data of every MIB/RS-232 frame in `bytes` (BOF C0, transparency 7D x^20, EOF C1;
    /// the 4-byte header and the 2-byte FCS removed), decoded here independently of the bridge.
    static func intelliVueUserData(_ bytes: [UInt8]) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var current: [UInt8]?
        var escape = false
        for b in bytes {
            switch b {
            case 0xC0: current = []; escape = false
            case 0xC1:
                if let f = current, f.count >= 6 { frames.append(Array(f[4..<(f.count - 2)])) }
                current = nil
            case 0x7D: escape = true
            default:
                current?.append(escape ? b ^ 0x20 : b)
                escape = false
            }
        }
        return frames
    }

    /// Example P1 of the reference (§1.18): the association request on the wire, 247 bytes.
    static let associationRequestP1: [UInt8] = """
        C0 11 01 00 EE 0D EC 05 08 13 01 00 16 01 02 80 00 14 02 00 02 7D E1 DC 31 80 A0 80 80 01 01 00
        00 A2 80 A0 03 00 00 01 A4 80 30 80 02 01 01 06 04 52 01 00 01 30 80 06 02 51 01 00 00 00 00 30
        80 02 01 02 06 0C 2A 86 48 CE 14 02 01 00 00 00 01 01 30 80 06 0C 2A 86 48 CE 14 02 01 00 00 00
        02 01 00 00 00 00 00 00 61 80 30 80 02 01 01 A0 80 60 80 A1 80 06 0C 2A 86 48 CE 14 02 01 00 00
        00 03 01 00 00 BE 80 28 80 06 0C 2A 86 48 CE 14 02 01 00 00 00 01 01 02 01 02 81 48 80 00 00 00
        40 00 00 00 00 00 00 00 80 00 00 00 20 00 00 00 00 00 00 00 00 01 00 2C 00 01 00 28 80 00 00 00
        00 00 09 C4 00 00 09 C4 00 00 03 E8 FF FF FF FF 60 00 00 00 00 01 00 0C F0 01 00 08 8C 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 E8 B4 C1
        """.split(whereSeparator: \.isWhitespace).map { UInt8($0, radix: 16)! }

    @Test func philipsIntelliVueAssociatesPollsRaisesEtCO2HighAndReleasesOnSigterm() throws {
        let room = try start(profile: "philips-intellivue", encoder: IntelliVueEncoder(), snapshot: Self.hypoventilating)
        defer { room.monitor.stop() }
        let alert = room.run.waitForLine(timeout: .seconds(60), raised("etco2-high"))
        #expect(alert != nil, "stdout: \(room.run.stdoutLines.suffix(5)) stderr: \(room.run.stderrLines.suffix(8))")
        let host = room.monitor.hostBytes
        #expect(Array(host.prefix(Self.associationRequestP1.count)) == Self.associationRequestP1, "the host's first frame is example P1")
        let sent = Self.intelliVueUserData(host)
        // After the association: the MDS create event report answered (RORS) and polls (ROIV action).
        #expect(sent.contains { $0.count > 24 && $0[0] == 0xE1 && $0[4...5] == [0x00, 0x02] }, "MDS create result sent")
        #expect(sent.contains { $0.count > 28 && $0[0] == 0xE1 && $0[4...5] == [0x00, 0x01] && $0[10...11] == [0x00, 0x07] }, "a poll sent")
        let metrics = try stop(room)
        #expect(metrics.isSuperset(of: [.spo2, .hr, .etco2, .awrr]), "\(metrics)")
        // Release on SIGTERM: the last frame the host sent is a release request (0x09).
        let after = Self.intelliVueUserData(room.monitor.hostBytes)
        #expect(after.last?.first == 0x09, "last frame: \(after.last.map { $0.prefix(4).map { String(format: "%02X", $0) } } ?? [])")
    }

    @Test func aMonitorRefusingTheAssociationIsATechnicalAlert() throws {
        let room = try start(
            profile: "philips-intellivue", encoder: IntelliVueEncoder(refuseAssociation: true), snapshot: Self.hypoventilating)
        defer { room.monitor.stop() }
        let line = room.run.waitForLine(timeout: .seconds(60), raised("monitor-association-lost"))
        let object = try #require(
            line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] },
            "stdout: \(room.run.stdoutLines.suffix(5)) stderr: \(room.run.stderrLines.suffix(8))")
        #expect(object["kind"] as? String == "technical")
        #expect((object["message"] as? String)?.contains("refused") == true, "\(object)")
        // Refused: no physiological value arrived, so no physiological alert either.
        #expect(!room.run.stdoutLines.contains { $0.contains("\"kind\":\"physiological\"") })
        let metrics = try stop(room)
        #expect(metrics.isEmpty, "\(metrics)")
        let db = try VitalsDatabase(path: room.database)
        let session = try #require(try db.sessions().first)
        #expect(try db.alerts(session: session.id).contains { $0.rule == "monitor-association-lost" })
    }

    @Test func geS5AnswersTheDisplayedValuesRequestAndRaisesEtCO2High() throws {
        let room = try start(profile: "ge-s5", encoder: GES5Encoder(), snapshot: Self.hypoventilating)
        defer { room.monitor.stop() }
        let alert = room.run.waitForLine(timeout: .seconds(60), raised("etco2-high"))
        #expect(alert != nil, "stdout: \(room.run.stdoutLines.suffix(5)) stderr: \(room.run.stderrLines.suffix(8))")
        // The host asked with a framed request (7E ... 7E).
        #expect(room.monitor.hostBytes.first == 0x7E && room.monitor.hostBytes.count >= 2)
        let metrics = try stop(room)
        #expect(metrics.isSuperset(of: [.spo2, .hr, .etco2, .awrr, .resp]), "\(metrics)")
    }

    @Test func contecV7StartsTheStreamKeepsItAliveAndRaisesSpO2Severe() throws {
        let room = try start(profile: "contec-cms50-v7", encoder: ContecV7Encoder(), snapshot: VitalSnapshot(spo2: 97, pulse: 130))
        defer { room.monitor.stop() }
        #expect(room.run.waitForLine(onStderr: true, timeout: .seconds(30)) { $0.contains("ready:") } != nil, "\(room.run.stderrLines)")
        usleep(2_000_000)  // 20 s of device time at 97 % (the pre-desaturation baseline)
        room.monitor.show(VitalSnapshot(spo2: 82, pulse: 130))
        let alert = room.run.waitForLine(timeout: .seconds(60), raised("spo2-severe"))
        #expect(alert != nil, "stdout: \(room.run.stdoutLines.suffix(5)) stderr: \(room.run.stderrLines.suffix(8))")
        // Commands are 9-byte packages whose first byte is the command: A1 starts the stream,
        // AF keeps it alive (every 5 s of device time).
        let host = room.monitor.hostBytes
        #expect(host.contains(0xA1), "start command sent")
        #expect(host.contains(0xAF), "keep-alive sent")
        let metrics = try stop(room)
        #expect(metrics.isSuperset(of: [.spo2, .pulse]), "\(metrics)")
        let db = try VitalsDatabase(path: room.database)
        let session = try #require(try db.sessions().first)
        // The pulse rate keeps its high bit: 130 is stored as 130.
        #expect(try db.readings(session: session.id, metric: .pulse).contains { $0.value == 130 })
    }
}
