import VitalsCore

/// Decodes what a GE S/5 / CARESCAPE monitor sends on its computer interface
/// (reference/protocols-multiparameter.md section 2, [SPEC]).
///
/// A frame counts when its record length (`r_len`) equals the unescaped record, its checksum
/// matches, and every subrecord it lists lies inside it; anything else is a bad frame (no value
/// from it), loses sync once, and the next good frame regains it.
///
/// Displayed-values subrecords (type 1) of the basic class give, when valid (above -32001 and
/// inside `Metric.plausibleRange`):
/// - `hr`: `ecg.hr` when the ECG status says the HR source is ECG (1 or 9), else
///   `ecg_extra.hr_ecg` (the monitor's `ecg.hr` follows its selected source, which may be the
///   pleth or a pressure line);
/// - `resp`: `ecg.imp_rr`; `awrr`: `co2.rr` when the CO2 label's RR source is CO2, or the sender's
///   DRI level is 8 or more ("from level 8 rr is always measured from CO2", [SPEC]);
/// - `etco2` in mmHg = et (1/100 %) x amb_press (1/10 mmHg) x 1e-5 ([CALC], VSCapture [DEC]),
///   rounded to 0.1; no value without a valid ambient pressure;
/// - `temp` from T1 (1/100 degC); `spo2` (1/100 %) and `pulse` (the pleth PR);
/// - `nibp.sys/dia/map/pulse` only for a new result, by the reference's procedure 2.7
///   ([INFERRED]): values are ignored while the label's "measuring" bit 5 is set; a result is new
///   when the aux subrecord's `nibp_time` changed, else when "measuring" fell with valid values,
///   else when the triple changed while bit 8 ("older than 60 s") is clear. The reading's device
///   time is `nibp_time` when known, else the subrecord's time.
/// A special value in a group whose module exists gives `value-missing` naming it.
///
/// CO2 group status: measurement not active or the sampling line occluded (bit 5) give
/// `sensor-off` for `etco2` (and `sensor-on` when it measures again); the CO2 apnea bit (2)
/// rising gives a `device-alarm` for `awrr`. Alarm records (main type 4, subrecord 1) give one
/// `device-alarm` whenever the displayed alarm list changes, its code the highest colour
/// (0 none, 1 white, 2 yellow, 3 red), its detail the texts (language-dependent, not parsed).
public struct GES5Decoder: DeviceDecoder {
    /// Counts of what the decoder has seen so far.
    public private(set) var statistics = DecoderStatistics()
    private var deframer = GES5Deframer()
    private var inSync = false
    private var everInSync = false
    private var nibpTime: UInt32?
    private var lastNIBPTime: UInt32?
    private var lastNIBP: [Int16]?
    private var nibpWasMeasuring = false
    private var capnoOff: Bool?
    private var apnea = false
    private var alarms: [String]?

    /// A decoder at the start of a stream.
    public init() {}

    /// Feeds `bytes` and appends whatever they complete to `events`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        for byte in bytes {
            let offset = statistics.bytes
            statistics.bytes += 1
            switch deframer.feed(byte, at: offset) {
            case nil: break
            case .skipped(let n): statistics.skippedBytes += n
            case .bad(let start, let length): bad(start: start, length: length, into: &events)
            case .frame(let f, let start):
                if !record(f, start: start, into: &events) { bad(start: start, length: f.count, into: &events) }
            }
        }
    }

    private mutating func bad(start: Int, length: Int, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        statistics.skippedBytes += length
        guard inSync else { return }
        inSync = false
        events.append(.status(DeviceStatus(.syncLost, detail: "record failed its length or checksum", byteOffset: start)))
    }

    /// Checks and reads one unescaped frame; false when it is bad (nothing emitted).
    private mutating func record(_ f: [UInt8], start: Int, into events: inout [DecoderEvent]) -> Bool {
        guard f.count >= GES5Frame.headerSize + 1 else { return false }
        let record = f.dropLast()
        guard GES5Frame.checksum(record) == f[f.count - 1] else { return false }
        let r = Array(record)
        guard Int(GES5Frame.u16(r, 0)) == r.count else { return false }
        var subs: [(offset: Int, type: UInt8)] = []
        for i in 0..<8 {
            let type = r[18 + 3 * i]
            if type == GES5Frame.endOfList { break }
            subs.append((GES5Frame.headerSize + Int(GES5Frame.u16(r, 16 + 3 * i)), type))
        }
        let main = GES5Frame.u16(r, 14)
        let driLevel = r[3]
        // Check every subrecord's bounds before any event.
        for s in subs {
            let size: Int
            switch (main, s.type) {
            case (GES5Frame.mainPhysiological, 1...3): size = GES5Basic.size
            case (GES5Frame.mainPhysiological, GES5Frame.subAux): size = 114
            case (GES5Frame.mainAlarm, 1): size = 510
            default: size = 0
            }
            guard s.offset + size <= r.count else { return false }
        }
        statistics.frames += 1
        if !inSync {
            if everInSync {
                statistics.resyncs += 1
                events.append(.status(DeviceStatus(.syncAcquired, byteOffset: start)))
            }
            inSync = true
            everInSync = true
        }
        switch main {
        case GES5Frame.mainPhysiological:
            // The aux subrecord first: it dates the NIBP values of the same record.
            for s in subs where s.type == GES5Frame.subAux {
                let t = GES5Frame.u32(r, s.offset)
                nibpTime = t == 0 ? nil : t
            }
            for s in subs where s.type == GES5Frame.subDisplayed {
                let b = GES5Basic(r, at: s.offset)
                if b.physClass == 0 { basic(b, driLevel: driLevel, into: &events) }
            }
        case GES5Frame.mainAlarm:
            for s in subs where s.type == 1 { alarm(r, at: s.offset, into: &events) }
        default:
            break
        }
        return true
    }

    private static func clock(_ unix: UInt32) -> DeviceTime { DeviceTime(milliseconds: Int64(unix) * 1000, kind: .clock) }

    /// A value of `metric` from a raw i16 in 1/`per` units, or a `value-missing` status when the
    /// module exists and the value is special or implausible.
    private func value(_ raw: Int16, _ metric: Metric, per: Double, exists: Bool, time: DeviceTime,
                       into events: inout [DecoderEvent]) {
        if GES5Basic.isSpecial(raw) {
            if exists {
                events.append(.status(DeviceStatus(.valueMissing, metric: metric, detail: GES5Basic.specialName(raw), deviceTime: time)))
            }
            return
        }
        let v = Double(raw) / per
        guard metric.plausibleRange.contains(v) else {
            events.append(.status(DeviceStatus(.valueMissing, metric: metric, code: UInt32(UInt16(bitPattern: raw)),
                                               detail: "value \(raw) outside the plausible range", deviceTime: time)))
            return
        }
        events.append(.reading(Reading(metric: metric, value: v, deviceTime: time)))
    }

    private mutating func basic(_ b: GES5Basic, driLevel: UInt8, into events: inout [DecoderEvent]) {
        let time = Self.clock(b.time)
        let ecg = b.ecgStatus & GES5Basic.exists != 0
        value(b.hrSourceIsECG ? b.hr : b.hrECG, .hr, per: 1, exists: ecg, time: time, into: &events)
        value(b.impRR, .resp, per: 1, exists: ecg, time: time, into: &events)
        let spo2 = b.spo2Status & GES5Basic.exists != 0
        value(b.spo2, .spo2, per: 100, exists: spo2, time: time, into: &events)
        value(b.spo2PR, .pulse, per: 1, exists: spo2, time: time, into: &events)
        value(b.t1, .temp, per: 100, exists: b.t1Status & GES5Basic.exists != 0, time: time, into: &events)

        let co2 = b.co2Status & GES5Basic.exists != 0
        if b.co2RRSource == 1 || (driLevel >= 8 && co2) {
            value(b.co2RR, .awrr, per: 1, exists: co2, time: time, into: &events)
        }
        if GES5Basic.isSpecial(b.co2Et) || GES5Basic.isSpecial(b.ambPress) {
            if co2 {
                let which = GES5Basic.isSpecial(b.co2Et) ? "EtCO2 \(GES5Basic.specialName(b.co2Et))"
                    : "ambient pressure \(GES5Basic.specialName(b.ambPress))"
                events.append(.status(DeviceStatus(.valueMissing, metric: .etco2, detail: which, deviceTime: time)))
            }
        } else {
            let mmHg = (Double(b.co2Et) * Double(b.ambPress) / 10_000).rounded() / 10
            if Metric.etco2.plausibleRange.contains(mmHg), b.ambPress > 0 {
                events.append(.reading(Reading(metric: .etco2, value: mmHg, deviceTime: time)))
            } else {
                events.append(.status(DeviceStatus(.valueMissing, metric: .etco2,
                                                   detail: "EtCO2 \(b.co2Et) at \(b.ambPress) outside the plausible range", deviceTime: time)))
            }
        }
        if co2 || capnoOff != nil {
            let off = !co2 || b.co2Status & GES5Basic.active == 0 || b.co2Occlusion
            if off != capnoOff {
                if off {
                    let why = b.co2Occlusion ? "CO2 sampling line occluded" : "capnography not measuring"
                    events.append(.status(DeviceStatus(.sensorOff, metric: .etco2, code: b.co2Status, detail: why, deviceTime: time)))
                } else if capnoOff != nil {
                    events.append(.status(DeviceStatus(.sensorOn, metric: .etco2, code: b.co2Status, detail: "capnography measuring", deviceTime: time)))
                }
                capnoOff = off
            }
        }
        if b.co2Apnea != apnea {
            apnea = b.co2Apnea
            if apnea {
                events.append(.status(DeviceStatus(.deviceAlarm, metric: .awrr, code: b.co2Status, detail: "apnea (CO2)", deviceTime: time)))
            }
        }
        nibp(b, into: &events)
    }

    private mutating func nibp(_ b: GES5Basic, into events: inout [DecoderEvent]) {
        let measuring = b.nibpMeasuring
        defer { nibpWasMeasuring = measuring }
        guard !measuring, b.nibpStatus & GES5Basic.exists != 0 else { return }
        let triple = [b.nibpSys, b.nibpDia, b.nibpMean]
        guard !triple.contains(where: GES5Basic.isSpecial) else { return }
        let isNew: Bool
        if let t = nibpTime {
            isNew = t != lastNIBPTime
        } else if nibpWasMeasuring {
            isNew = true
        } else {
            isNew = triple != lastNIBP && !b.nibpOld
        }
        lastNIBP = triple
        lastNIBPTime = nibpTime
        guard isNew else { return }
        let time = Self.clock(nibpTime ?? b.time)
        let values = [(b.nibpSys, Metric.nibpSystolic), (b.nibpDia, .nibpDiastolic), (b.nibpMean, .nibpMean)]
        guard values.allSatisfy({ $1.plausibleRange.contains(Double($0) / 100) }) else {
            events.append(.status(DeviceStatus(.valueMissing, metric: .nibpSystolic,
                                               detail: "NIBP \(b.nibpSys)/\(b.nibpDia) (\(b.nibpMean)) outside the plausible range", deviceTime: time)))
            return
        }
        for (raw, m) in values { events.append(.reading(Reading(metric: m, value: Double(raw) / 100, deviceTime: time))) }
        if !GES5Basic.isSpecial(b.nibpHR), Metric.nibpPulse.plausibleRange.contains(Double(b.nibpHR)) {
            events.append(.reading(Reading(metric: .nibpPulse, value: Double(b.nibpHR), deviceTime: time)))
        }
    }

    private mutating func alarm(_ r: [UInt8], at s: Int, into events: inout [DecoderEvent]) {
        var texts: [String] = []
        var highest: UInt16 = 0
        for k in 0..<5 {
            let e = s + 10 + 98 * k
            let color = GES5Frame.u16(r, e + 82)
            guard color >= 1 else { continue }
            let raw = r[e..<(e + 80)].prefix { $0 != 0 }
            let text = String(decoding: raw.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
            let name = ["none", "white", "yellow", "red"][Int(min(color, 3))]
            texts.append("\(name): \(text)")
            highest = max(highest, min(color, 3))
        }
        guard texts != alarms else { return }
        alarms = texts
        events.append(.status(DeviceStatus(.deviceAlarm, code: UInt32(highest),
                                           detail: texts.isEmpty ? "no active alarm" : texts.joined(separator: "; "))))
    }
}
