import VitalsCore

/// A simulated V7.0 Contec oximeter (CMS50D+ firmware 4.6+, CMS50E/F): silent until the host
/// sends `A1`, then 60 real-time packages a second (reference/protocols-multiparameter.md 3.6-3.7).
///
/// Answers (`receive`, 9-byte command packages in any chunking; other bytes are skipped):
/// `A1` starts the stream; `A2` stops it and `A7` is answered, each with free feedback `0C 80`;
/// `AA` gives device identifiers `04 ...` ("CMS50V7"); `AC` gives `0E 80 80` (PI valid); `AF`
/// (keep-alive) is silent; any other command gets command feedback `0B`, reason 0x05
/// ("non-support", [SPEC]). Without a keep-alive for `keepAliveTimeout` the stream stops, as
/// one CMS50D+ did after about 30 s (MarkMLl, [DEC]; reference C-2).
///
/// Values: SpO2, pulse and PI from the snapshot (0x7F, 0xFF and 0xFFFF when `nil`); the
/// snapshot's `sensorOff` flag sends the spec's finger-out package (probe error, searching,
/// pleth 0x40); `outOfTrack` sets searching pulse. Pleth from the snapshot (cycled to 60 samples)
/// or a made-up pulse shape.
public struct ContecV7Encoder: DeviceEncoder {
    /// One call covers one second.
    public var period: Duration { .seconds(1) }
    /// How long the stream runs without a keep-alive.
    public var keepAliveTimeout: Duration
    /// True while the device streams real-time data.
    public private(set) var streaming = false
    private var sinceKeepAlive: Duration = .zero
    private var hostBuffer: [UInt8] = []
    private var phase = 0

    /// A device at rest, waiting for the host.
    public init(keepAliveTimeout: Duration = .seconds(30)) {
        self.keepAliveTimeout = keepAliveTimeout
    }

    /// One second of real-time packages at offsets i x 1/60 s, or nothing when not streaming.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        guard streaming else { return [] }
        sinceKeepAlive += period
        if sinceKeepAlive > keepAliveTimeout {
            streaming = false
            return []
        }
        let off = snapshot.flags.contains(.sensorOff)
        let pi = snapshot.perfusionIndex.map { Int(($0 * 100).rounded()) }
        var out: [EncodedChunk] = []
        out.reserveCapacity(60)
        for i in 0..<60 {
            let pleth: UInt8
            if off {
                pleth = 0x40
            } else if !snapshot.pleth.isEmpty {
                pleth = UInt8(clamping: max(0, min(127, snapshot.pleth[i % snapshot.pleth.count])))
            } else {
                pleth = nextPleth(pulse: snapshot.pulse)
            }
            let frame = ContecV7RealTime(
                signalStrength: off ? 0 : 5, beep: false, probeError: off, pleth: pleth,
                searchingPulse: off || snapshot.flags.contains(.outOfTrack), bar: off ? 0 : 6,
                piInvalid: off || pi == nil,
                pulseRaw: off ? 0xFF : (snapshot.pulse ?? 0xFF), spo2Raw: off ? 0x7F : (snapshot.spo2 ?? 0x7F),
                piRaw: off ? 0xFFFF : (pi ?? 0xFFFF))
            out.append(EncodedChunk(offset: .milliseconds(i * 1000 / 60), bytes: frame.bytes))
        }
        return out
    }

    private mutating func nextPleth(pulse: Int?) -> UInt8 {
        guard let pulse, pulse > 0 else { return 0 }
        let beat = max(2, 60 * 60 / pulse)
        phase = (phase + 1) % beat
        let rise = max(1, beat / 5)
        let v = phase < rise ? phase * 100 / rise : 100 - (phase - rise) * 100 / max(1, beat - rise)
        return UInt8(max(0, min(127, v)))
    }

    /// The device's replies to every complete command package in `hostBytes`.
    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] {
        hostBuffer += hostBytes
        var out: [UInt8] = []
        while let first = hostBuffer.first {
            guard first == 0x7D || first == 0x04 else {
                hostBuffer.removeFirst()
                continue
            }
            guard hostBuffer.count >= 9 else { break }
            let pkg = Array(hostBuffer[0..<9])
            guard pkg[1...].allSatisfy({ $0 & 0x80 != 0 }) else {
                hostBuffer.removeFirst()
                continue
            }
            hostBuffer.removeFirst(9)
            guard first == 0x7D else { continue }
            let code = pkg.withUnsafeBufferPointer { ContecV7Packet.restored($0, 2) }
            out += answer(code)
        }
        return out
    }

    private mutating func answer(_ code: UInt8) -> [UInt8] {
        switch ContecV7Packet.Command(rawValue: code) {
        case .startRealTime:
            streaming = true
            sinceKeepAlive = .zero
            return []
        case .stopRealTime:
            streaming = false
            return ContecV7Packet.pack(type: 0x0C, [])
        case .stopStorage:
            return ContecV7Packet.pack(type: 0x0C, [])
        case .deviceIdentifiers:
            return ContecV7Packet.pack(type: 0x04, Array("CMS50V7".utf8))
        case .piSupport:
            return ContecV7Packet.pack(type: 0x0E, [0x00])
        case .keepAlive:
            sinceKeepAlive = .zero
            return []
        case nil:
            return ContecV7Packet.pack(type: 0x0B, [code, 0x05])
        }
    }
}
