import DeviceProtocols
import Foundation
import Glibc
import VitalsCore

/// Writes a Nonin DF7 stream with chosen SpO2 values into a device-side descriptor (a pty
/// master or a umockdev device fd), packet by packet at `speed` times the device's pace.
struct OximeterFeed {
    var encoder = NoninDF7.makeEncoder()
    let fd: Int32
    let speed: Double

    /// Sends `seconds` of device time showing `spo2`.
    mutating func send(spo2: Int?, pulse: Int? = 72, seconds: Double, flags: QualityFlags = []) {
        let packets = Int(seconds * 3)
        for _ in 0..<packets {
            let snapshot = VitalSnapshot(spo2: spo2, pulse: pulse, pleth: Array(repeating: 120, count: 25), flags: flags)
            let bytes = encoder.encodeBytes(snapshot)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n <= 0 { break }
                offset += n
            }
            usleep(useconds_t(333_333 / speed))
        }
    }
}
