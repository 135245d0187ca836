import VitalsCore

/// A simulated Contec CMS50D+ speaking the legacy live stream: 60 frames a second, sent in ten
/// chunks of six frames, 100 ms apart (USB-serial adapters deliver grouped bytes too).
///
/// Mapping from the snapshot: `spo2`/`pulse` as the SpO2 and pulse-rate fields, `nil` as the
/// markers the decoder reads as missing (SpO2 127, pulse 255, [INFERRED], see
/// `ContecLegacyFrame`); `pleth` samples clamped to 0-127 (the last one repeated when there are
/// fewer than 60, 0 when there are none), the bar graph following the pleth; `sensorOff` sets
/// the finger-out bit and signal strength 0, `outOfTrack` the searching-for-pulse bit. The pulse
/// beep bit is set on the frame where each beat falls, at the snapshot's pulse rate.
public struct ContecCMS50Encoder: DeviceEncoder {
    /// Frames in one chunk of the output.
    static let framesPerChunk = 6
    private var beatPhase = 0

    /// A simulated device at power-on.
    public init() {}

    /// One second.
    public var period: Duration { .seconds(1) }

    /// The 60 frames of one second showing `snapshot`.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        let rate = ContecLegacyFrame.frameRate
        let sensorOff = snapshot.flags.contains(.sensorOff)
        var chunks: [EncodedChunk] = []
        var bytes: [UInt8] = []
        for i in 0..<rate {
            let sample = snapshot.pleth.isEmpty ? 0 : snapshot.pleth[min(i, snapshot.pleth.count - 1)]
            let pleth = UInt8(clamping: min(max(sample, 0), 127))
            var beep = false
            if let pulse = snapshot.pulse, pulse > 0 {
                beatPhase += pulse
                if beatPhase >= 60 * rate { beatPhase %= 60 * rate; beep = true }
            }
            let frame = ContecLegacyFrame(
                beep: beep, fingerOut: sensorOff, signalStrength: sensorOff ? 0 : 5, pleth: pleth,
                searching: snapshot.flags.contains(.outOfTrack), bar: UInt8(Int(pleth) * 15 / 127),
                pulseRaw: snapshot.pulse.map { min(max($0, 0), 254) } ?? ContecLegacyFrame.pulseMissing,
                spo2Raw: snapshot.spo2.map { min(max($0, 0), 100) } ?? ContecLegacyFrame.spo2Missing)
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
