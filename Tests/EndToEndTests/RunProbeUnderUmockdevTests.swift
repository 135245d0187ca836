import DeviceProtocols
import Foundation
import Glibc
import Synchronization
import Testing
import VitalsCore
import VitalsTestSupport

/// A generic FTDI adapter with no devices-file entry is not guessed from its USB ids; with
/// `--probe` the daemon listens to it and attaches the one profile that decodes it cleanly.
@Suite(.serialized, .enabled(if: UmockdevTestbed.preloadActive, Comment(rawValue: UmockdevTestbed.skipReason)))
struct RunProbeUnderUmockdevTests {
    @Test func aGenericAdapterIsNotGuessedButProbed() throws {
        let dir = try TemporaryDirectory()
        let testbed = UmockdevTestbed()
        try testbed.add(UmockdevTestbed.ftdiWithProperties(tty: "ttyUSB0", serial: "UNKNOWN1"))
        try "devices: []\n".write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let fd = testbed.deviceFileDescriptor("/dev/ttyUSB0")
        let streaming = Atomic<Bool>(true)
        let stopped = DispatchSemaphore(value: 0)
        // The oximeter streams DF7 all along, as a real one does.
        Thread {
            var encoder = NoninDF7.makeEncoder()
            while streaming.load(ordering: .relaxed) {
                let bytes = encoder.encodeBytes(VitalSnapshot(spo2: 97, pulse: 70, pleth: Array(repeating: 100, count: 25)))
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
                usleep(333_333)
            }
            stopped.signal()
        }.start()
        defer {
            streaming.store(false, ordering: .relaxed)
            stopped.wait()
        }

        let plain = try VitalsChild(["run", "--db", dir.file("a.sqlite"), "--no-rules", "--devices", dir.file("devices.yaml")])
        #expect(plain.waitForLine(onStderr: true) { $0.contains("ready:") } != nil)
        let refused = plain.waitForLine(onStderr: true) { $0.contains("/dev/ttyUSB0: not attached") }
        #expect(refused?.contains("0403:6001") == true, "\(plain.stderrLines)")
        #expect(plain.stderrLines.contains { $0.contains("ready:") && $0.contains("devices: none yet") })
        plain.send(SIGTERM)
        #expect(plain.wait() == 0)

        let probing = try VitalsChild([
            "run", "--db", dir.file("b.sqlite"), "--no-rules", "--devices", dir.file("devices.yaml"), "--probe",
            "--format", "jsonl", "--readings",
        ])
        let attached = probing.waitForLine(onStderr: true, timeout: .seconds(60)) { $0.contains("/dev/ttyUSB0: nonin-df7") }
        #expect(attached?.contains("probed") == true, "\(probing.stderrLines)")
        #expect(probing.waitForLine { $0.contains("\"metric\":\"spo2\"") && $0.contains("\"value\":97") } != nil)
        probing.send(SIGTERM)
        #expect(probing.wait() == 0)
    }
}
