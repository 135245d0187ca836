import VitalsCore

/// Gathers the 25 frames of a Nonin DF2/DF7 packet and turns a complete packet into events:
/// the shared half of both decoders (reference protocols-spo2.md 1.6, 1.7).
///
/// What it publishes, and why: SpO2 from frame 3 and pulse from frames 1-2, the 4-beat
/// *recording* values. The spec says recording values update every 1/3 s and switch to the
/// missing value at once when the finger comes out or during sustained artifact, so a published
/// reading is always a current measurement. The *display* values (SpO2-D, HR-D, E-SpO2-D,
/// E-HR-D) update only every 1.5 s, ride through artifact and keep the last reading for 10 s after
/// finger-out (with SNSA set): a monitor showing them would present a stale number as live.
/// They are not published at all, so a held display value can never reach the store or the
/// rules; the 8-beat E-values are skipped for their extra lag. (Pufferfish publishes the 8-beat
/// display values; that suits a ventilator's display, not an alarm feed.)
///
/// Every frame's status byte adds to the packet's flags (the union over its 25 frames: ARTF,
/// OOT, SNSA/SNSD, yellow/red perfusion); STAT2 LOW BAT adds `.lowBattery`. The perfusion bits
/// mark 12 frames (160 ms) per detected pulse, so only packets that hold a pulse mark carry a
/// perfusion flag: at 60/min one or two packets in three. The decoder does not stretch a mark
/// over later packets (the spec gives no hold time, and a packet's flags stay a function of its
/// own bytes); a rule that wants a steady perfusion state should look over a window. A reading
/// with SNSA or SNSD set carries `.sensorOff`. The missing values (SpO2 127, HR 511) give
/// `.status(.valueMissing)`; a value outside `Metric.plausibleRange` (SpO2 101-126, HR under 20
/// or over 300) gives `.status(.valueImplausible)`, never a reading. `.sensorOff`,
/// `.sensorOn` and `.lowBattery` statuses mark transitions only.
///
/// Device time: the 14-bit TMR (frames 6-7, 1/3-s ticks) as `DeviceTime(.counter)`, unwrapped
/// across its 91-minute wrap. The reference marks the TMR encoding [INFERRED] ("7 bits each").
public struct NoninPacketAssembler: Sendable, Hashable {
    private var floats = [UInt8](repeating: 0, count: NoninFloatMap.framesPerPacket)
    private var pleth: [Int32] = []
    private var packetFlags: QualityFlags = []
    private var snsd = false
    private var count = 0
    private var sensorOff = false
    private var lowBattery = false
    private var lastTimer: Int?
    private var timerWraps = 0

    /// An assembler waiting for frame 1 of a packet.
    public init() {
        pleth.reserveCapacity(NoninFloatMap.framesPerPacket)
    }

    /// Frames of the current packet gathered so far; the next frame's 0-based slot.
    public var framesInPacket: Int { count }

    /// Drops the partial packet (float data, pleth, flags) after a lost frame: an HR MSB/LSB pair
    /// or a TMR pair may straddle the loss.
    public mutating func discardPacket() {
        count = 0
        pleth.removeAll(keepingCapacity: true)
        packetFlags = []
        snsd = false
    }

    /// Adds the next frame (the decoder has checked its place: SYNC only on slot 0, defined float
    /// slots below 128); a 25th frame completes the packet and appends its events.
    public mutating func add(_ frame: NoninFrame, into events: inout [DecoderEvent]) {
        floats[count] = frame.float
        pleth.append(frame.pleth)
        packetFlags.formUnion(frame.status.flags)
        if frame.status.sensorDisconnected { snsd = true }
        count += 1
        if count == NoninFloatMap.framesPerPacket {
            finishPacket(into: &events)
            discardPacket()
        }
    }

    private mutating func finishPacket(into events: inout [DecoderEvent]) {
        let timer = NoninFloatMap.timer(msb: floats[NoninFloatMap.timerMSB], lsb: floats[NoninFloatMap.timerLSB])
        if let lastTimer, timer < lastTimer, lastTimer - timer > 8192 { timerWraps += 1 }
        lastTimer = timer
        let ticks = Int64(timerWraps) * 16384 + Int64(timer)
        let time = DeviceTime(milliseconds: ticks * 1000 / 3, kind: .counter)

        var flags = packetFlags
        if floats[NoninFloatMap.status2] & NoninFloatMap.lowBatteryBit != 0 { flags.insert(.lowBattery) }

        let off = flags.contains(.sensorOff)
        if off != sensorOff {
            sensorOff = off
            let detail = off
                ? (snsd ? "SNSD: sensor disconnected or inoperable" : "SNSA: sensor alarm, no usable data (finger out?)")
                : "SNSA/SNSD clear: sensor reports usable data"
            events.append(.status(DeviceStatus(off ? .sensorOff : .sensorOn, detail: detail, deviceTime: time)))
        }
        let battery = flags.contains(.lowBattery)
        if battery, !lowBattery {
            events.append(.status(DeviceStatus(.lowBattery, detail: "STAT2 LOW BAT", deviceTime: time)))
        }
        lowBattery = battery

        events.append(.waveform(Waveform(sampleRate: Double(NoninFloatMap.framesPerSecond), samples: pleth, flags: flags)))

        let spo2 = Int(floats[NoninFloatMap.spo2] & 0x7F)
        if spo2 == NoninFloatMap.missingSpO2 {
            events.append(.status(DeviceStatus(.valueMissing, metric: .spo2, detail: "SpO2 127: no data", deviceTime: time)))
        } else {
            events.append(Metric.spo2.checkedReading(Double(spo2), flags: flags, deviceTime: time, raw: "SpO2 \(spo2)"))
        }

        let hr = NoninFloatMap.heartRate(msb: floats[NoninFloatMap.hrMSB], lsb: floats[NoninFloatMap.hrLSB])
        if hr == NoninFloatMap.missingHR {
            events.append(.status(DeviceStatus(.valueMissing, metric: .pulse, detail: "HR 511: no data", deviceTime: time)))
        } else {
            events.append(Metric.pulse.checkedReading(Double(hr), flags: flags, deviceTime: time, raw: "HR \(hr)"))
        }
    }
}
