import VitalsCore

/// A simulated BerryMed oximeter speaking BCI: 100 frames a second, sent in ten chunks of ten
/// frames, 100 ms apart.
///
/// Mapping from the snapshot: `spo2`/`pulse` as the SpO2 and pulse-rate fields, `nil` as the
/// spec's invalid markers (SpO2 127, pulse 255); `pleth` samples clamped to 0-100 (the last one
/// repeated when there are fewer than 100, 0 when there are none), the bar graph following the
/// pleth; `sensorOff` sets the no-finger bit and signal strength 0, `outOfTrack` the pulse-search
/// bit. The pulse beep bit is set on the frame where each beat falls.
public struct BerryMedEncoder: DeviceEncoder {
    /// Frames in one chunk of the output.
    static let framesPerChunk = 10
    private var beatPhase = 0

    /// A simulated device at power-on.
    public init() {}

    /// One second.
    public var period: Duration { .seconds(1) }

    /// The 100 frames of one second showing `snapshot`.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        let rate = BerryMedFrame.frameRate
        let sensorOff = snapshot.flags.contains(.sensorOff)
        var chunks: [EncodedChunk] = []
        var bytes: [UInt8] = []
        for i in 0..<rate {
            let sample = snapshot.pleth.isEmpty ? 0 : snapshot.pleth[min(i, snapshot.pleth.count - 1)]
            let pleth = UInt8(clamping: min(max(sample, 0), 100))
            var beep = false
            if let pulse = snapshot.pulse, pulse > 0 {
                beatPhase += pulse
                if beatPhase >= 60 * rate { beatPhase %= 60 * rate; beep = true }
            }
            let frame = BerryMedFrame(
                beep: beep, signalStrength: sensorOff ? 0 : 5, pleth: pleth,
                pulseSearch: snapshot.flags.contains(.outOfTrack), noFinger: sensorOff,
                bar: UInt8(Int(pleth) * 15 / 100),
                pulseRaw: snapshot.pulse.map { min(max($0, 0), 254) } ?? BerryMedFrame.pulseMissing,
                spo2Raw: snapshot.spo2.map { min(max($0, 0), 100) } ?? BerryMedFrame.spo2Missing)
            bytes += frame.bytes
            if (i + 1) % Self.framesPerChunk == 0 {
                let k = i / Self.framesPerChunk
                chunks.append(EncodedChunk(offset: .milliseconds(k * 1000 * Self.framesPerChunk / rate), bytes: bytes))
                bytes.removeAll(keepingCapacity: true)
            }
        }
        return chunks
    }
}
