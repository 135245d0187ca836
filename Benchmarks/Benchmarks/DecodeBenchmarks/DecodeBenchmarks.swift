import Benchmark
import Bridge
import DeviceProtocols
import VitalsCore

/// About a megabyte of a profile's real device bytes: a stable patient through its encoder
/// (NIBP profiles: their result frames, repeated).
func deviceBytes(_ profile: any DeviceProfile.Type, target: Int = 1 << 20) -> [UInt8] {
    var device = SimulatedDevice(profile: profile, scenario: .stable, dose: nil)
    device.nibpInterval = .zero
    var bytes: [UInt8] = []
    var periods = 0
    while bytes.count < target, periods < 2_000_000 {
        bytes += device.nextPeriod().chunks.flatMap(\.bytes)
        periods += 1
    }
    return bytes
}

/// A plain byte-sum loop over the same buffer: the limit each decoder is measured against.
@inline(never)
func byteSum(_ bytes: [UInt8]) -> UInt64 {
    var sum: UInt64 = 0
    for b in bytes { sum &+= UInt64(b) }
    return sum
}

nonisolated(unsafe) let benchmarks = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(2), maxIterations: 2_000)

    for profile in ProfileCatalog.all {
        let bytes = deviceBytes(profile)
        guard !bytes.isEmpty else { continue }
        let tag = "\(profile.id) [\(bytes.count) B, line \(Int(profile.serial.bytesPerSecond)) B/s]"
        Benchmark("decode \(tag)") { benchmark in
            for _ in benchmark.scaledIterations {
                var decoder = profile.makeDecoder()
                var events: [DecoderEvent] = []
                events.reserveCapacity(bytes.count / 4)
                bytes.withUnsafeBytes { decoder.decode($0, into: &events) }
                blackHole(events.count)
            }
        }
        Benchmark("bytesum \(tag)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(byteSum(bytes))
            }
        }
    }
}
