import DeviceProtocols
import Foundation
import Glibc
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// `vitals run` under the umockdev preload: an oximeter and a SunTech module on FTDI adapters
/// in an emulated sysfs and /dev, found through udev, unplugged and replugged with uevents.
/// Needs `umockdev-wrapper swift test --skip-build` (what `make test` runs).
@Suite(.serialized, .enabled(if: UmockdevTestbed.preloadActive, Comment(rawValue: UmockdevTestbed.skipReason)))
struct RunUnderUmockdevTests {
    static let oxi = (tty: "ttyUSB0", port: "1-1", serial: "OXI0001")
    static let nibp = (tty: "ttyUSB1", port: "1-2", serial: "NIBP0001")

    @Test func monitorsOnGenericAdaptersAreAttachedAlertedUnpluggedAndReplugged() throws {
        let dir = try TemporaryDirectory()
        let testbed = UmockdevTestbed()
        try testbed.add(UmockdevTestbed.ftdiWithProperties(tty: Self.oxi.tty, serial: Self.oxi.serial, usbPort: Self.oxi.port))
        try testbed.add(UmockdevTestbed.ftdiWithProperties(tty: Self.nibp.tty, serial: Self.nibp.serial, usbPort: Self.nibp.port))
        try """
            devices:
              - serial: \(Self.oxi.serial)
                profile: nonin-df7
                label: oximeter
              - serial: \(Self.nibp.serial)
                profile: suntech-advantage
                label: nibp
            """.write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let cuff = SunTechModule(fd: testbed.deviceFileDescriptor("/dev/\(Self.nibp.tty)"))
        defer { cuff.stop() }

        let speed = 5.0
        let environment = getenv("UMOCKDEV_DIR").map { ["UMOCKDEV_DIR": String(cString: $0)] } ?? [:]
        let run = try VitalsChild([
            "run", "--db", dir.file("room.sqlite"), "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--format", "jsonl", "--readings", "--speed", "\(speed)", "--room", "bay-2",
        ], environment: environment)
        defer { run.send(SIGKILL) }
        #expect(run.waitForLine(onStderr: true) { $0.contains("ready:") } != nil, "\(run.stderrLines)")
        #expect(run.stderrLines.contains { $0.contains("/dev/\(Self.oxi.tty): nonin-df7 as oximeter") }, "\(run.stderrLines)")

        // The bridge drives the cuff: version on connect, then a baseline measurement, and it asks
        // for the result when the module reports completion.
        let start = SunTechAdvantage.bytes(for: .startMeasurement)!
        let result = SunTechAdvantage.bytes(for: .requestResult)!
        let version = SunTechAdvantage.bytes(for: .requestVersion)!
        #expect(waitUntil { cuff.written.contains(subsequence: result) }, "host wrote \(cuff.written)")
        #expect(cuff.written.contains(subsequence: version) && cuff.written.contains(subsequence: start))
        #expect(run.waitForLine(onStderr: true) { $0.contains("nibp: connecting -> streaming") } != nil)

        // A desaturation on the oximeter's emulated port becomes an alert line.
        var feed = OximeterFeed(fd: testbed.deviceFileDescriptor("/dev/\(Self.oxi.tty)"), speed: speed)
        feed.send(spo2: 97, seconds: 15)
        feed.send(spo2: 82, seconds: 20)
        #expect(run.waitForLine { $0.contains("\"rule\":\"spo2-severe\"") && $0.contains("\"raised\"") } != nil,
                "stdout \(run.stdoutLines) stderr \(run.stderrLines.suffix(6))")

        // Unplug: the remove uevent (umockdev keeps the pty open, so no EOF) raises the
        // technical alarm.
        testbed.uevent(UmockdevTestbed.ttySyspath(tty: Self.oxi.tty, usbPort: Self.oxi.port), "remove")
        let alarm = try #require(run.waitForLine { $0.contains("\"rule\":\"oximeter-disconnected\"") && $0.contains("\"raised\"") },
                                 "stderr \(run.stderrLines.suffix(6))")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(alarm.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "technical")
        // Within 2 s of the unplug, on the run's clock (the rule's hold is what delays it).
        let unplug = try #require(run.stdoutLines.first { $0.contains("\"type\":\"device\"") && $0.contains("\"device\":\"oximeter\"") && $0.contains("\"event\":\"disconnected\"") })
        let goneObject = try #require(try JSONSerialization.jsonObject(with: Data(unplug.utf8)) as? [String: Any])
        let delay = try #require(object["t"] as? Double) - (try #require(goneObject["t"] as? Double))
        #expect(delay >= 0 && delay <= 2, "alarm \(delay) s after the unplug")

        // Replug under the next name, as the kernel often does: same serial, same device, same session.
        testbed.remove(UmockdevTestbed.ttySyspath(tty: Self.oxi.tty, usbPort: Self.oxi.port))
        testbed.remove("/sys/devices/pci0000:00/usb1/\(Self.oxi.port)")
        try testbed.add(UmockdevTestbed.ftdiWithProperties(tty: "ttyUSB2", serial: Self.oxi.serial, usbPort: "1-3"))
        #expect(run.waitForLine(onStderr: true) { $0.contains("/dev/ttyUSB2: nonin-df7 as oximeter") } != nil,
                "\(run.stderrLines.suffix(6))")
        var again = OximeterFeed(fd: testbed.deviceFileDescriptor("/dev/ttyUSB2"), speed: speed)
        again.send(spo2: 95, seconds: 10)
        #expect(run.waitForLine { $0.contains("\"rule\":\"oximeter-disconnected\"") && $0.contains("\"cleared\"") } != nil)

        run.send(SIGTERM)
        #expect(run.wait() == 0)
        let db = try VitalsDatabase(path: dir.file("room.sqlite"))
        let sessions = try db.sessions()
        #expect(sessions.count == 1)
        let session = try #require(sessions.first)
        #expect(try db.readings(session: session.id, metric: .spo2).contains { $0.value == 95 }, "readings continue after the replug")
        #expect(try db.readings(session: session.id, metric: .nibpSystolic).contains { $0.value == 128 })
        let events = try db.deviceEvents(session: session.id).filter { $0.device == "oximeter" }.map(\.kind)
        let gone = try #require(events.firstIndex(of: .disconnected), "\(events)")
        #expect(events[gone...].contains { $0 == .connected || $0 == .streaming }, "the gap is recorded: \(events)")
        let all = try db.deviceEvents(session: session.id)
        #expect(all.contains { $0.kind == .commandSent && $0.detail.contains("start-measurement") }, "\(all.map { "\($0.device) \($0.kind) \($0.detail)" })")
    }

    func waitUntil(timeout: Duration = .seconds(20), _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard !subsequence.isEmpty, count >= subsequence.count else { return false }
        for i in 0...(count - subsequence.count) where Array(self[i..<(i + subsequence.count)]) == subsequence {
            return true
        }
        return false
    }
}
