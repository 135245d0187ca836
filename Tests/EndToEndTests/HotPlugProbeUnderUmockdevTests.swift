import DeviceProtocols
import Foundation
import Glibc
import Store
import Synchronization
import Testing
import VitalsCore
import VitalsTestSupport

/// Issue 13.6: the hot-plug flow under umockdev with `vitals run --probe`: an oximeter on a
/// generic FTDI adapter is probed, its desaturation alarmed; it is unplugged (the disconnect
/// alarm), replugged under the next name with the same USB serial number (attached at once by
/// its kept identity, no second probe, the same device id, the alarm cleared), and a restart
/// attaches it at once too. Needs `umockdev-wrapper swift test --skip-build`.
@Suite(.serialized, .enabled(if: UmockdevTestbed.preloadActive, Comment(rawValue: UmockdevTestbed.skipReason)))
struct HotPlugProbeUnderUmockdevTests {
    static let serial = "HOTPLUG1"

    /// An oximeter that streams DF7 all along into whichever emulated port it is plugged into.
    final class Oximeter: @unchecked Sendable {
        let fd = Atomic<Int32>(-1)
        let spo2 = Atomic<Int>(97)
        let running = Atomic<Bool>(true)
        let stopped = DispatchSemaphore(value: 0)

        init(speed: Double) {
            Thread { [self] in
                var encoder = NoninDF7.makeEncoder()
                while running.load(ordering: .relaxed) {
                    let bytes = encoder.encodeBytes(VitalSnapshot(
                        spo2: spo2.load(ordering: .relaxed), pulse: 72, pleth: Array(repeating: 120, count: 25)))
                    let fd = self.fd.load(ordering: .relaxed)
                    if fd >= 0 { _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } }
                    usleep(useconds_t(333_333 / speed))
                }
                stopped.signal()
            }.start()
        }

        func stop() {
            running.store(false, ordering: .relaxed)
            stopped.wait()
        }
    }

    @Test func aProbedOximeterIsKeptAcrossAnUnplugAReplugUnderTheNextNameAndARestart() throws {
        let dir = try TemporaryDirectory()
        let testbed = UmockdevTestbed()
        try testbed.add(UmockdevTestbed.ftdiWithProperties(tty: "ttyUSB0", serial: Self.serial, usbPort: "1-1"))
        try "devices: []\n".write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let speed = 5.0
        let oximeter = Oximeter(speed: speed)
        defer { oximeter.stop() }
        oximeter.fd.store(testbed.deviceFileDescriptor("/dev/ttyUSB0"), ordering: .relaxed)

        let environment = getenv("UMOCKDEV_DIR").map { ["UMOCKDEV_DIR": String(cString: $0)] } ?? [:]
        let arguments = [
            "run", "--db", dir.file("room.sqlite"), "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--format", "jsonl", "--readings", "--speed", "\(speed)", "--room", "bay-3",
        ]
        let run = try VitalsChild(arguments + ["--probe"], environment: environment)
        defer { run.send(SIGKILL) }

        // Probe: passive, identified by its stream alone.
        let attached = try #require(
            run.waitForLine(onStderr: true, timeout: .seconds(30)) { $0.contains("/dev/ttyUSB0: nonin-df7 as \(Self.serial)") },
            "\(run.stderrLines)")
        #expect(attached.contains("probed: only nonin-df7 at 9600 8N1"), "\(attached)")
        print("hot-plug probe: \(attached.components(separatedBy: "decoded cleanly").last ?? attached)")

        // Desaturation: alarmed.
        oximeter.spo2.store(82, ordering: .relaxed)
        #expect(run.waitForLine(timeout: .seconds(30)) { $0.contains("\"rule\":\"spo2-severe\"") && $0.contains("\"raised\"") } != nil,
                "\(run.stderrLines.suffix(6))")
        oximeter.spo2.store(97, ordering: .relaxed)

        // Unplug: the disconnect alarm.
        testbed.uevent(UmockdevTestbed.ttySyspath(tty: "ttyUSB0", usbPort: "1-1"), "remove")
        #expect(run.waitForLine { $0.contains("\"rule\":\"oximeter-disconnected\"") && $0.contains("\"raised\"") } != nil,
                "\(run.stderrLines.suffix(6))")
        oximeter.fd.store(-1, ordering: .relaxed)
        testbed.remove(UmockdevTestbed.ttySyspath(tty: "ttyUSB0", usbPort: "1-1"))
        testbed.remove("/sys/devices/pci0000:00/usb1/1-1")

        // Replug under the next name, same serial: attached at once by its kept identity.
        try testbed.add(UmockdevTestbed.ftdiWithProperties(tty: "ttyUSB1", serial: Self.serial, usbPort: "1-3"))
        oximeter.fd.store(testbed.deviceFileDescriptor("/dev/ttyUSB1"), ordering: .relaxed)
        let again = try #require(
            run.waitForLine(onStderr: true) { $0.contains("/dev/ttyUSB1: nonin-df7 as \(Self.serial)") }, "\(run.stderrLines.suffix(6))")
        #expect(again.contains("kept identity usb:0403:6001:\(Self.serial)"), "\(again)")
        #expect(run.waitForLine { $0.contains("\"rule\":\"oximeter-disconnected\"") && $0.contains("\"cleared\"") } != nil,
                "\(run.stderrLines.suffix(6))")
        #expect(run.stderrLines.filter { $0.contains(": probing ") }.count == 1, "probed again: \(run.stderrLines)")
        // Replug to streaming, on the run's clock (speed x real time).
        #expect(run.waitForLine {
            $0.contains("\"type\":\"device\"") && $0.contains("\"event\":\"streaming\"") && $0.contains("\"t\":")
                && (run.stdoutLines.lastIndex { $0.contains("\"event\":\"disconnected\"") } ?? Int.max)
                    < (run.stdoutLines.lastIndex { $0.contains("\"event\":\"streaming\"") } ?? -1)
        } != nil, "\(run.stdoutLines.suffix(6))")
        let events = run.stdoutLines.compactMap { line -> [String: Any]? in
            guard line.contains("\"type\":\"device\""), line.contains("\"device\":\"\(Self.serial)\"") else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        let gone = try #require(events.lastIndex { $0["event"] as? String == "disconnected" }, "\(events)")
        let goneAt = try #require(events[gone]["t"] as? Double)
        let streaming = try #require(events[gone...].first { $0["event"] as? String == "streaming" }, "\(events)")
        let streamingAt = try #require(streaming["t"] as? Double)
        // The first reading after the replug (the first valid frame) and the streaming event.
        let firstFrame = try #require(run.stdoutLines.compactMap { line -> Double? in
            guard line.contains("\"type\":\"reading\""), line.contains("\"metric\":\"spo2\""),
                  let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let t = o["t"] as? Double, t > goneAt else { return nil }
            return t
        }.first)
        #expect(streamingAt - firstFrame <= 1 * speed, "streaming \(streamingAt - firstFrame) run-s after the first valid frame")
        print("hot-plug replug: streaming \((streamingAt - firstFrame) / speed) s after the first valid frame, "
            + "first frame \((firstFrame - goneAt) / speed) s after the unplug (real time)")

        run.send(SIGTERM)
        #expect(run.wait() == 0)
        let db = try VitalsDatabase(path: dir.file("room.sqlite"))
        let kept = try db.knownDevices()
        #expect(kept.map(\.key) == ["usb:0403:6001:\(Self.serial)"])
        #expect(kept.first?.profile == "nonin-df7" && kept.first?.source == "probe")
        let session = try #require(try db.sessions().first)
        #expect(try db.sessions().count == 1)
        let readings = try db.readings(session: session.id, metric: .spo2)
        #expect(readings.contains { $0.value == 82 })
        #expect(try db.deviceEvents(session: session.id).allSatisfy { $0.device == Self.serial }, "one device id across the replug")

        // A restart without --probe: attached at once by the kept identity.
        let restart = try VitalsChild(arguments, environment: environment)
        defer { restart.send(SIGKILL) }
        let reattached = try #require(
            restart.waitForLine(onStderr: true) { $0.contains("/dev/ttyUSB1: nonin-df7 as \(Self.serial)") }, "\(restart.stderrLines)")
        #expect(reattached.contains("kept identity"))
        #expect(restart.waitForLine { $0.contains("\"metric\":\"spo2\"") && $0.contains("\"value\":97") } != nil)
        restart.send(SIGTERM)
        #expect(restart.wait() == 0)

        // `vitals devices` decides through the room core: the kept identity, with its evidence.
        let list = try VitalsChild(["devices", "--db", dir.file("room.sqlite"), "--devices", dir.file("devices.yaml")], environment: environment)
        #expect(list.wait() == 0)
        let output = list.stdoutLines.joined(separator: "\n")
        #expect(output.contains("Kept identities: 1"), "\(output)")
        #expect(output.contains("/dev/ttyUSB1  USB 0403:6001"), "\(output)")
        #expect(output.contains("profile: nonin-df7 (9600 8N1) as \"\(Self.serial)\""), "\(output)")
        #expect(output.contains("why:     kept identity usb:0403:6001:\(Self.serial) (probe: only nonin-df7 at 9600 8N1"), "\(output)")
    }
}
