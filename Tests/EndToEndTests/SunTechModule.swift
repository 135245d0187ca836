import DeviceProtocols
import Foundation
import Glibc
import Synchronization

/// A simulated SunTech Advantage module on a device-side descriptor: it answers the host's
/// frames with the profile's own device model and records every byte the host wrote.
final class SunTechModule: Sendable {
    private let fd: Int32
    private let state = Mutex<(encoder: any DeviceEncoder, written: [UInt8])>((SunTechAdvantage.makeEncoder(), []))
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(fd: Int32, systolic: Int = 128, diastolic: Int = 82) {
        self.fd = fd
        let result = BloodPressureResult(systolic: systolic, diastolic: diastolic, mean: 97, pulse: 70)
        Thread { [self] in
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while !stopped.load(ordering: .relaxed) {
                var out: [UInt8] = []
                if poll(&pfd, 1, 50) > 0 {
                    var buffer = [UInt8](repeating: 0, count: 256)
                    let n = read(fd, &buffer, buffer.count)
                    if n > 0 {
                        let bytes = Array(buffer[0..<n])
                        out += state.withLock { s in
                            s.written += bytes
                            return s.encoder.receive(bytes)
                        }
                    }
                }
                // Time passes for the module: a measurement in progress completes.
                out += state.withLock { s in s.encoder.encode(VitalSnapshot(bloodPressure: result)).flatMap(\.bytes) }
                if !out.isEmpty { _ = out.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } }
            }
            done.signal()
        }.start()
    }

    /// Every byte the host wrote so far.
    var written: [UInt8] { state.withLock { $0.written } }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        done.wait()
    }
}
