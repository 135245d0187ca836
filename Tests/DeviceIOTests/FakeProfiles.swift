import DeviceProtocols
import VitalsCore

/// A made-up framing for the prober's tests (no real device speaks it): `A5 value ~value`.
struct FakeFrameDecoder: DeviceDecoder {
    let header: UInt8
    var statistics = DecoderStatistics()
    private var pending: [UInt8] = []

    init(header: UInt8) { self.header = header }

    mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        statistics.bytes += bytes.count
        pending.append(contentsOf: bytes)
        while !pending.isEmpty {
            guard pending[0] == header else {
                pending.removeFirst()
                statistics.skippedBytes += 1
                continue
            }
            guard pending.count >= 3 else { return }
            if pending[2] == ~pending[1] {
                statistics.frames += 1
                events.append(.reading(Reading(metric: .spo2, value: Double(pending[1]))))
                pending.removeFirst(3)
            } else {
                statistics.badFrames += 1
                pending.removeFirst()
            }
        }
    }
}

/// Encodes nothing: the prober's tests never simulate.
struct SilentEncoder: DeviceEncoder {
    var period: Duration { .seconds(1) }
    mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] { [] }
}

/// A fake oximeter whose frames start with 0xA5.
enum FakeA5: DeviceProfile {
    static let id = "fake-a5"
    static let summary = "test framing A5 v ~v"
    static let category = DeviceCategory.pulseOximeter
    static let serial = SerialSettings(baudRate: 9600)
    static let metrics: [Metric] = [.spo2]
    static let expectedGap: Duration = .seconds(2)
    static func makeDecoder() -> any DeviceDecoder { FakeFrameDecoder(header: 0xA5) }
    static func makeEncoder() -> any DeviceEncoder { SilentEncoder() }

    /// `count` frames with values 90, 91, ….
    static func frames(_ count: Int) -> [UInt8] {
        (0..<count).flatMap { i -> [UInt8] in
            let value = UInt8(90 + i % 10)
            return [0xA5, value, ~value]
        }
    }
}

/// The same framing with 0x5A, at another speed: a different device for the prober.
enum Fake5A: DeviceProfile {
    static let id = "fake-5a"
    static let summary = "test framing 5A v ~v"
    static let category = DeviceCategory.pulseOximeter
    static let serial = SerialSettings(baudRate: 19200, parity: .odd)
    static let metrics: [Metric] = [.spo2]
    static let expectedGap: Duration = .seconds(2)
    static func makeDecoder() -> any DeviceDecoder { FakeFrameDecoder(header: 0x5A) }
    static func makeEncoder() -> any DeviceEncoder { SilentEncoder() }
}

/// Decodes exactly like ``FakeA5`` under another name: the prober cannot tell them apart.
enum FakeA5Twin: DeviceProfile {
    static let id = "fake-a5-twin"
    static let summary = "same framing as fake-a5"
    static let category = DeviceCategory.pulseOximeter
    static let serial = SerialSettings(baudRate: 9600)
    static let metrics: [Metric] = [.spo2]
    static let expectedGap: Duration = .seconds(2)
    static func makeDecoder() -> any DeviceDecoder { FakeFrameDecoder(header: 0xA5) }
    static func makeEncoder() -> any DeviceEncoder { SilentEncoder() }
}

/// A fake monitor that announces itself by USB strings on a generic FTDI adapter.
enum FakeFTDIMonitor: DeviceProfile {
    static let id = "fake-ftdi-monitor"
    static let summary = "test profile matched by strings on FTDI ids"
    static let category = DeviceCategory.pulseOximeter
    static let serial = SerialSettings(baudRate: 9600)
    static let usbMatches = [USBMatch(vendorID: 0x0403, productID: 0x6001, product: "Fake Oximeter", source: "test")]
    static let metrics: [Metric] = [.spo2]
    static let expectedGap: Duration = .seconds(2)
    static func makeDecoder() -> any DeviceDecoder { FakeFrameDecoder(header: 0xA5) }
    static func makeEncoder() -> any DeviceEncoder { SilentEncoder() }
}

/// A fake device with its own (made-up) vendor id: matched on ids alone.
enum FakeOwnVendor: DeviceProfile {
    static let id = "fake-own-vendor"
    static let summary = "test profile with its own USB ids"
    static let category = DeviceCategory.bloodPressure
    static let serial = SerialSettings(baudRate: 9600)
    static let usbMatches = [USBMatch(vendorID: 0xFFF0, productID: 0x0001, source: "test ids")]
    static let metrics: [Metric] = [.nibpSystolic]
    static let expectedGap: Duration = .seconds(600)
    static func makeDecoder() -> any DeviceDecoder { FakeFrameDecoder(header: 0x11) }
    static func makeEncoder() -> any DeviceEncoder { SilentEncoder() }
}
