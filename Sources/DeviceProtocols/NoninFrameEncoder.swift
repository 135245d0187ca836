import VitalsCore

/// A simulated Nonin device sending DF2 or DF7: one 25-frame packet a call (1/3 s), frames
/// 1/75 s apart (reference protocols-spo2.md 1.4-1.7).
///
/// Float values: the recording values (HR, E-HR, SpO2, E-SpO2, SpO2 Fast, SpO2 B-B) carry the
/// snapshot's values, or the missing values (SpO2 127, HR 511) when a value is `nil` or the
/// sensor is off. The display values (HR-D, E-HR-D, SpO2-D, E-SpO2-D) carry the snapshot's values
/// too, and during the 10-s hold after finger-out (`flags` has `.held`) they keep them while the
/// recording values go missing, as the spec describes. `.sensorOff` without `.held` is the state
/// after the hold: everything missing.
///
/// Status bytes: bit 7, SYNC on frame 1, SNSA for `.sensorOff` or `.held`, ARTF, OOT on every
/// frame; the perfusion indication (red for `.lowPerfusion`, else yellow for
/// `.marginalPerfusion`, else green while a pulse is shown) on frames 1-12, the 160 ms a device
/// marks per pulse; SNSD (OEM III only, reserved on the 9560) stays 0. STAT2 LOW BAT for
/// `.lowBattery`. TMR runs one tick a packet from 0 (or from a `.counter` `deviceTime`, in 1/3 s
/// ticks), wrapping at 14 bits. SREV reads 0x30, as in the Pufferfish test vector. Reserved slots
/// send 0. Pleth samples: `snapshot.pleth`, the last one repeated or extras dropped to make 25.
public struct NoninFrameEncoder: DeviceEncoder {
    /// The frame layout this device sends.
    public let format: NoninFrameFormat
    /// One packet: 1/3 s.
    public var period: Duration { .seconds(1) / 3 }

    private var ticks = 0
    private var packets = 0

    /// The firmware revision byte the simulated device reports.
    public static let firmwareRevision: UInt8 = 0x30

    /// A simulated device sending `format`, its timer at 0.
    public init(format: NoninFrameFormat) {
        self.format = format
    }

    /// The 25 float bytes of one packet showing `snapshot` with timer value `timer`.
    public static func floats(for snapshot: VitalSnapshot, timer: Int) -> [UInt8] {
        let flags = snapshot.flags
        let off = !flags.isDisjoint(with: [.sensorOff, .held])
        let recordingSpO2 = off ? nil : snapshot.spo2
        let recordingHR = off ? nil : snapshot.pulse
        let showDisplay = !flags.contains(.sensorOff) || flags.contains(.held)
        let displaySpO2 = showDisplay ? snapshot.spo2 : nil
        let displayHR = showDisplay ? snapshot.pulse : nil

        func spo2Byte(_ v: Int?) -> UInt8 { UInt8(min(max(v ?? NoninFloatMap.missingSpO2, 0), 127)) }
        func hrBytes(_ v: Int?) -> (msb: UInt8, lsb: UInt8) { NoninFloatMap.heartRateBytes(v ?? NoninFloatMap.missingHR) }

        var f = [UInt8](repeating: 0, count: NoninFloatMap.framesPerPacket)
        let hr = hrBytes(recordingHR), hrD = hrBytes(displayHR)
        f[NoninFloatMap.hrMSB] = hr.msb
        f[NoninFloatMap.hrLSB] = hr.lsb
        f[NoninFloatMap.spo2] = spo2Byte(recordingSpO2)
        f[NoninFloatMap.firmwareRevision] = firmwareRevision
        let t = timer & 0x3FFF
        f[NoninFloatMap.timerMSB] = UInt8(t >> 7)
        f[NoninFloatMap.timerLSB] = UInt8(t & 0x7F)
        f[NoninFloatMap.status2] = flags.contains(.lowBattery) ? NoninFloatMap.lowBatteryBit : 0
        f[NoninFloatMap.spo2Display] = spo2Byte(displaySpO2)
        f[NoninFloatMap.spo2Fast] = spo2Byte(recordingSpO2)
        f[NoninFloatMap.spo2BeatToBeat] = spo2Byte(recordingSpO2)
        f[NoninFloatMap.extendedHRMSB] = hr.msb
        f[NoninFloatMap.extendedHRLSB] = hr.lsb
        f[NoninFloatMap.extendedSpO2] = spo2Byte(recordingSpO2)
        f[NoninFloatMap.extendedSpO2Display] = spo2Byte(displaySpO2)
        f[NoninFloatMap.hrDisplayMSB] = hrD.msb
        f[NoninFloatMap.hrDisplayLSB] = hrD.lsb
        f[NoninFloatMap.extendedHRDisplayMSB] = hrD.msb
        f[NoninFloatMap.extendedHRDisplayLSB] = hrD.lsb
        return f
    }

    /// The perfusion indication frames 1-12 carry for `snapshot`.
    public static func perfusion(for snapshot: VitalSnapshot) -> NoninPerfusion {
        let flags = snapshot.flags
        if flags.contains(.lowPerfusion) { return .red }
        if flags.contains(.marginalPerfusion) { return .yellow }
        if snapshot.pulse != nil, flags.isDisjoint(with: [.sensorOff, .held]) { return .green }
        return .none
    }

    /// One packet, frame by frame.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        if let dt = snapshot.deviceTime, dt.kind == .counter {
            ticks = Int((dt.milliseconds * 3 + 500) / 1000)
        }
        let floats = Self.floats(for: snapshot, timer: ticks)
        let perfusion = Self.perfusion(for: snapshot)
        let last = snapshot.pleth.last ?? 0
        var chunks: [EncodedChunk] = []
        chunks.reserveCapacity(NoninFloatMap.framesPerPacket)
        for k in 0..<NoninFloatMap.framesPerPacket {
            let status = NoninStatusByte(sync: k == 0, flags: snapshot.flags, perfusion: k < 12 ? perfusion : .none)
            let sample = k < snapshot.pleth.count ? snapshot.pleth[k] : last
            let frame = NoninFrame(status: status, pleth: Int32(clamping: sample), float: floats[k])
            chunks.append(EncodedChunk(offset: .seconds(k) / NoninFloatMap.framesPerSecond, bytes: format.bytes(of: frame)))
        }
        ticks = (ticks + 1) & 0x3FFF
        packets += 1
        return chunks
    }

    /// Answers the select-format command `02 70 02 02 ZZ 03` during the first 5 s (15 packets):
    /// `06` when ZZ is this device's format, `15` otherwise (a real 9560 would switch formats;
    /// this simulator keeps its own). After 5 s the command is ignored, as the spec allows it
    /// only in the first 5 s after connection.
    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] {
        NoninSelectFormat.replies(to: hostBytes, accepting: format.formatCode, open: packets < 15)
    }
}
