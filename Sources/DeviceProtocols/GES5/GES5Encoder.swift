import VitalsCore

/// A simulated GE S/5 / CARESCAPE monitor on its computer interface: silent until asked, then
/// displayed-values records (basic class, one 278-byte subrecord, r_len 318 as in the reference's
/// example G1) at the requested interval (reference/protocols-multiparameter.md 2.5-2.9).
///
/// Answers (`receive`, framed requests in any chunking; a request whose checksum or length fails
/// is ignored, as the spec gives no error reply): displayed values with interval -1 (one record
/// now), 0 (stop), >= 5 (every that many seconds; 1...4 are ignored, [SPEC] minimum 5); alarm
/// commands 0 (status once), 2 (enter differential mode: status now, then at each change), 3 (exit).
///
/// Values from the snapshot: ECG heart rate and impedance respiration, SpO2 and pleth pulse,
/// NIBP (label AUTO; bit 8 "older than 60 s" once the result is 60 s old), T1 (axillary),
/// capnography (EtCO2 in % at an ambient pressure of 760.0 mmHg, RR from CO2). A missing value is
/// DATA_INVALID; an absent module is status 0 ([INFERRED], reference G-4). The snapshot's
/// `deviceCode`, when set, is shown as one alarm whose colour is the code's low two bits.
public struct GES5Encoder: DeviceEncoder {
    /// One call covers one second.
    public var period: Duration { .seconds(1) }
    /// r_time of the first second (2025-01-15 10:30:00 UTC, the reference's example G1).
    public var clockStart: UInt32
    /// Ambient pressure the simulated CO2 module reports, 1/10 mmHg.
    public var ambientPressure: Int16 = 7600
    /// The interval asked for, seconds, or `nil` when not sending.
    public private(set) var interval: Int?
    private var seconds: UInt32 = 0
    private var sinceSent = 0
    private var number: UInt8 = 0
    private var latest = VitalSnapshot()
    private var bp: BloodPressureResult?
    private var bpAt: UInt32 = 0
    private var diffMode = false
    private var shownCode: UInt32?
    private var deframer = GES5Deframer()
    private var hostOffset = 0

    /// A monitor waiting for requests.
    public init(clockStart: UInt32 = 1_736_937_000) {
        self.clockStart = clockStart
    }

    /// The displayed-values record due this second, and an alarm record when the shown alarm
    /// changed in differential mode.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        seconds += 1
        latest = snapshot
        if let r = snapshot.bloodPressure, r.errorCode == 0, r != bp {
            bp = r
            bpAt = seconds
        }
        var out: [EncodedChunk] = []
        if let interval {
            sinceSent += 1
            if sinceSent >= interval {
                sinceSent = 0
                out.append(EncodedChunk(offset: .zero, bytes: displayedRecord()))
            }
        }
        if diffMode, snapshot.deviceCode != shownCode {
            out.append(EncodedChunk(offset: .milliseconds(100), bytes: alarmRecord()))
        }
        return out
    }

    /// Replies to every complete request in `hostBytes`.
    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in hostBytes {
            hostOffset += 1
            guard case .frame(let f, _) = deframer.feed(b, at: hostOffset) else { continue }
            guard f.count >= 41, GES5Frame.checksum(f.dropLast()) == f[f.count - 1] else { continue }
            let r = Array(f.dropLast())
            guard Int(GES5Frame.u16(r, 0)) == r.count else { continue }
            switch GES5Frame.u16(r, 14) {
            case GES5Frame.mainPhysiological where r.count >= 49 && r[40] == 1:
                let ival = Int(GES5Frame.i16(r, 41))
                if ival == -1 {
                    out += displayedRecord()
                } else if ival == 0 {
                    interval = nil
                } else if ival >= 5 {
                    interval = ival
                    sinceSent = 0
                }
            case GES5Frame.mainAlarm where r.count >= 42:
                switch GES5Frame.u16(r, 40) {
                case 0: out += alarmRecord()
                case 2: diffMode = true; out += alarmRecord()
                case 3: diffMode = false
                default: break
                }
            default:
                break
            }
        }
        return out
    }

    private mutating func displayedRecord() -> [UInt8] {
        let s = latest
        let now = clockStart &+ seconds
        var label: UInt16 = 0x0008
        var nibp: (Int16, Int16, Int16, Int16)?
        if let bp {
            nibp = (Int16(clamping: bp.systolic * 100), Int16(clamping: bp.diastolic * 100),
                    Int16(clamping: (bp.mean ?? (bp.systolic + 2 * bp.diastolic) / 3) * 100), Int16(clamping: bp.pulse ?? -32767))
            if seconds - bpAt > 60 { label |= 1 << 8 }
        }
        let co2: (Int16, Int16, Int16)? = s.etco2.map { mmHg in
            // et in 1/100 % such that et x amb x 1e-5 gives mmHg back.
            (Int16(clamping: Int((mmHg * 100_000 / Double(ambientPressure)).rounded())),
             Int16(clamping: s.airwayRespirationRate ?? -32767), ambientPressure)
        }
        let sub = GES5Basic.subrecord(
            time: now, hr: s.heartRate.map { Int16(clamping: $0) }, impRR: s.respirationRate.map { Int16(clamping: $0) },
            nibp: nibp.map { (sys: $0.0, dia: $0.1, mean: $0.2, hr: $0.3) }, nibpLabel: label,
            t1: s.temperature.map { Int16(clamping: Int(($0 * 100).rounded())) },
            spo2: s.spo2.map { Int16(clamping: $0 * 100) }, spo2PR: s.pulse.map { Int16(clamping: $0) },
            irAmp: s.spo2 == nil ? nil : 250, co2: co2.map { (et: $0.0, rr: $0.1, amb: $0.2) }, co2Status: 0)
        number &+= 1
        return GES5Frame.frame(GES5Frame.record(number: number, driLevel: 10, time: now, mainType: GES5Frame.mainPhysiological,
                                                subrecords: [(0, GES5Frame.subDisplayed)], data: sub))
    }

    private mutating func alarmRecord() -> [UInt8] {
        shownCode = latest.deviceCode
        var body = [UInt8](repeating: 0, count: 510)
        body[2] = 1  // sound on
        if let code = latest.deviceCode, code & 3 != 0 {
            let text = Array("SIMULATED ALARM \(code)".utf8)
            body.replaceSubrange(10..<(10 + text.count), with: text)
            body[10 + 82] = UInt8(code & 3)
            body[10 + 84] = 1
        }
        number &+= 1
        return GES5Frame.frame(GES5Frame.record(number: number, driLevel: 10, time: clockStart &+ seconds,
                                                mainType: GES5Frame.mainAlarm, subrecords: [(0, 1)], data: body))
    }
}
