import VitalsCore

/// Decodes what a Philips IntelliVue monitor sends on its MIB/RS-232 Data Export port
/// (reference/protocols-multiparameter.md section 1; every fact there rests on open-source
/// implementations, the Philips guide was not readable, P-1).
///
/// A frame counts when its header (`11 01`), length and FCS check and every list inside the
/// message fits in it; otherwise it is a bad frame: nothing of it is used, sync is lost once and
/// the next good frame regains it.
///
/// Events:
/// - association result `0E` -> `associated`; refuse `0C` -> `association-refused`; abort `19`
///   or a release request `09` from the monitor -> `association-dropped`; release result `0A` ->
///   `association-released`;
/// - a confirmed event report (the MDS create event report first) -> `info` whose detail the
///   dialogue reads to answer it (``IntelliVueEventReport``);
/// - ROER -> `command-rejected`, its error value as code;
/// - poll results (RORS, and linked ROLRS, each decoded on its own, P-5) of numerics: one
///   reading per known NuObsValue (the table in ``IntelliVueNumeric``), the physio id naming it
///   or, for NOM_METRIC_NOS, the object's label. MeasurementState: INVALID, UNAVAILABLE or
///   CALIBRATION_ONGOING, a FLOAT special (NaN, NRes, +-INF), an unexpected unit or a value
///   outside `Metric.plausibleRange` give `value-missing` instead; QUESTIONABLE flags the reading
///   `artifact` and `low-confidence`; DEMO_DATA or TEST_DATA flag it `demo` (never feeds a
///   physiological rule); MSMT_STATE_IN_ALARM flags it `device-alarm`. The device time is the
///   result's RelativeTime (1/8 ms counter).
/// - NBP (0x4A05/06/07 and its pulse 0xF0E5) by the reference's rule 1.15 ([INFERRED]): values
///   with MSMT_ONGOING are not used (one `progress` status when it starts); a result is new when
///   it differs from the previous one or MSMT_ONGOING fell; the first NBP seen after the decoder
///   starts is of unknown age and is reported flagged `held` (stored and shown, never fed to a
///   physiological rule — our choice), unless a whole (unlinked) numerics result without NBP came
///   before it (then it was measured since). With linked results only, the first NBP stays `held`.
/// - alert poll results: one `device-alarm` whenever the monitor's list of patient and
///   technical alarms changes (code: the highest al_type; detail: each alarm's kind, source and
///   code, and its text where the monitor sends one).
public struct IntelliVueDecoder: DeviceDecoder {
    /// Counts of what the decoder has seen so far.
    public private(set) var statistics = DecoderStatistics()
    private var deframer = IntelliVueDeframer()
    private var inSync = false
    private var everInSync = false
    private var lastNBP: [Metric: Double]?
    private var nbpOngoing = false
    /// A whole (unlinked) numerics result without NBP was seen: an NBP appearing later is new.
    private var sawNumericsWithoutNBP = false
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
            case .skipped: statistics.skippedBytes += 1
            case .bad(let start, let length): bad(start: start, length: length, into: &events)
            case .userData(let u, let start):
                var out: [DecoderEvent] = []
                var copy = self
                if copy.message(u, into: &out) {
                    self = copy
                    good(start: start, into: &events)
                    events += out
                } else {
                    bad(start: start, length: u.count + 6, into: &events)
                }
            }
        }
    }

    private mutating func good(start: Int, into events: inout [DecoderEvent]) {
        statistics.frames += 1
        guard !inSync else { return }
        if everInSync {
            statistics.resyncs += 1
            events.append(.status(DeviceStatus(.syncAcquired, byteOffset: start)))
        }
        inSync = true
        everInSync = true
    }

    private mutating func bad(start: Int, length: Int, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        statistics.skippedBytes += length
        guard inSync else { return }
        inSync = false
        events.append(.status(DeviceStatus(.syncLost, detail: "frame failed its length or FCS", byteOffset: start)))
    }

    /// One message; false when it is malformed (nothing of it used).
    private mutating func message(_ u: [UInt8], into events: inout [DecoderEvent]) -> Bool {
        guard let first = u.first else { return false }
        switch first {
        case 0x0E:
            events.append(.status(DeviceStatus(.associated, detail: "association accepted")))
        case 0x0C:
            let reason = u.count >= 5 && u[2] == 0x32 ? " (reason \(u[4]))" : ""
            events.append(.status(DeviceStatus(.associationRefused, code: u.count >= 5 ? UInt32(u[4]) : nil,
                                               detail: "the monitor refused the association" + reason)))
        case 0x19:
            events.append(.status(DeviceStatus(.associationDropped, detail: "the monitor aborted the association")))
        case 0x09:
            events.append(.status(DeviceStatus(.associationDropped, detail: "the monitor asked to release the association")))
        case 0x0A:
            events.append(.status(DeviceStatus(.associationReleased, detail: "association released")))
        case 0xE1:
            return dataExport(u, into: &events)
        default:
            break  // counted, not understood (e.g. LNhealth's unexplained `F7 01` wave export)
        }
        return true
    }

    private typealias M = IntelliVueMessage

    private mutating func dataExport(_ u: [UInt8], into events: inout [DecoderEvent]) -> Bool {
        guard u.count >= 14, u[1] == 0x00, Int(M.u16(u, 6)) == u.count - 8 else { return false }
        let ro = M.u16(u, 4)
        switch ro {
        case M.roivType:
            guard Int(M.u16(u, 12)) == u.count - 14 else { return false }
            let cmd = M.u16(u, 10)
            guard cmd == M.confirmedEventReport else { return true }
            guard u.count >= 28 else { return false }
            let report = IntelliVueEventReport(
                invoke: M.u16(u, 8), object: Array(u[14..<20]), time: M.u32(u, 20), eventType: M.u16(u, 24))
            events.append(.status(DeviceStatus(.info, code: UInt32(report.invoke), detail: report.detail)))
        case M.roerType:
            events.append(.status(DeviceStatus(.commandRejected, code: UInt32(M.u16(u, 10)),
                                               detail: "remote operation error \(M.u16(u, 10)) for invoke \(M.u16(u, 8))")))
        case M.rorsType, M.rolrsType:
            let h = ro == M.rolrsType ? 2 : 0
            guard u.count >= 14 + h, Int(M.u16(u, 12 + h)) == u.count - 14 - h else { return false }
            guard M.u16(u, 10 + h) == M.confirmedAction else { return true }
            guard u.count >= 24 + h, Int(M.u16(u, 22 + h)) == u.count - 24 - h else { return false }
            let action = M.u16(u, 20 + h)
            let base = 24 + h
            let extended: Bool
            switch action {
            case M.extendedPoll: extended = true
            case M.singlePoll: extended = false
            default: return true
            }
            let head = extended ? 22 : 20
            guard u.count >= base + head + 4 else { return false }
            let rel = M.u32(u, base + (extended ? 4 : 2))
            let objType = M.u16(u, base + (extended ? 18 : 16))
            return pollInfo(u, at: base + head, objType: objType, time: rel, linked: ro == M.rolrsType, into: &events)
        default:
            break
        }
        return true
    }

    /// One NuObsValue of an observation.
    private struct Value { var physio: UInt16; var state: UInt16; var unit: UInt16; var raw: UInt32; var label: UInt32? }

    private mutating func pollInfo(
        _ u: [UInt8], at p: Int, objType: UInt16, time: UInt32, linked: Bool, into events: inout [DecoderEvent]
    ) -> Bool {
        var values: [Value] = []
        var alarmTexts: [String] = []
        var highest: UInt16 = 0
        var sawAlarmList = false
        let count = Int(M.u16(u, p)), length = Int(M.u16(u, p + 2))
        var i = p + 4
        let end = i + length
        guard end <= u.count else { return false }
        for _ in 0..<count {
            guard i + 6 <= end else { return false }
            let obs = Int(M.u16(u, i + 2)), obsLength = Int(M.u16(u, i + 4))
            i += 6
            let obsEnd = i + obsLength
            guard obsEnd <= end else { return false }
            for _ in 0..<obs {
                guard i + 6 <= obsEnd else { return false }
                let avas = Int(M.u16(u, i + 2)), avaLength = Int(M.u16(u, i + 4))
                i += 6
                let listEnd = i + avaLength
                guard listEnd <= obsEnd else { return false }
                var label: UInt32?
                var here: [Value] = []
                for _ in 0..<avas {
                    guard i + 4 <= listEnd else { return false }
                    let id = M.u16(u, i), n = Int(M.u16(u, i + 2))
                    let v = i + 4
                    guard v + n <= listEnd else { return false }
                    switch id {
                    case 0x0924 where n == 4:
                        label = M.u32(u, v)
                    case 0x0950 where n == 10:
                        here.append(Value(physio: M.u16(u, v), state: M.u16(u, v + 2), unit: M.u16(u, v + 4), raw: M.u32(u, v + 6), label: nil))
                    case 0x094B:
                        guard n >= 4 else { return false }
                        let c = Int(M.u16(u, v))
                        guard 4 + 10 * c <= n else { return false }
                        for k in 0..<c {
                            let o = v + 4 + 10 * k
                            here.append(Value(physio: M.u16(u, o), state: M.u16(u, o + 2), unit: M.u16(u, o + 4), raw: M.u32(u, o + 6), label: nil))
                        }
                    case 0x0902, 0x0904:
                        sawAlarmList = true
                        guard let (texts, top) = Self.alarmList(u, at: v, length: n, technical: id == 0x0904) else { return false }
                        alarmTexts += texts
                        highest = max(highest, top)
                    default:
                        break  // skipped by its length
                    }
                    i = v + n
                }
                for var value in here {
                    value.label = label
                    values.append(value)
                }
                i = listEnd
            }
            i = obsEnd
        }
        if objType == M.numericObject { numerics(values, time: time, whole: !linked, into: &events) }
        if objType == M.alertObject, sawAlarmList, alarmTexts != alarms {
            alarms = alarmTexts
            events.append(.status(DeviceStatus(.deviceAlarm, code: UInt32(highest),
                                               detail: alarmTexts.isEmpty ? "no active alarm" : alarmTexts.joined(separator: "; "),
                                               deviceTime: Self.counter(time))))
        }
        return true
    }

    /// DevAlarmList entries as texts, and the highest al_type; `nil` when malformed.
    private static func alarmList(_ u: [UInt8], at v: Int, length n: Int, technical: Bool) -> ([String], UInt16)? {
        guard n >= 4 else { return nil }
        let c = Int(M.u16(u, v))
        var i = v + 4
        let end = v + n
        var texts: [String] = []
        var top: UInt16 = 0
        for _ in 0..<c {
            guard i + 20 <= end else { return nil }
            let source = M.u16(u, i), code = M.u16(u, i + 2), type = M.u16(u, i + 4)
            let infoID = M.u16(u, i + 16), infoLength = Int(M.u16(u, i + 18))
            let info = i + 20
            guard info + infoLength <= end else { return nil }
            var text = ""
            if infoID == 0x0204, infoLength >= 12 {
                let sl = Int(M.u16(u, info + 10))
                if info + 12 + sl <= info + infoLength {
                    var units: [UInt16] = []
                    var k = info + 12
                    while k + 1 < info + 12 + sl { units.append(M.u16(u, k)); k += 2 }
                    text = String(decoding: units.filter { $0 != 0 }, as: UTF16.self)
                }
            }
            let kind: String = switch type {
            case 0: "no alert"
            case 1: "T*"
            case 2: "T**"
            case 4: "T***"
            case 256: "P*"
            case 512: "P**"
            case 1024: "P***"
            default: technical ? "T(\(type))" : "P(\(type))"
            }
            let hex = { (v: UInt16) in String(v, radix: 16, uppercase: true) }
            texts.append("\(kind) source \(hex(source)) code \(code)" + (text.isEmpty ? "" : " \"\(text)\""))
            top = max(top, type)
            i = info + infoLength
        }
        return (texts, top)
    }

    private static func counter(_ rel: UInt32) -> DeviceTime { DeviceTime(milliseconds: Int64(rel) / 8, kind: .counter) }

    private static let nbpMetrics: Set<Metric> = [.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse]

    private mutating func numerics(_ values: [Value], time: UInt32, whole: Bool, into events: inout [DecoderEvent]) {
        let dt = Self.counter(time)
        var nbp: [Metric: (Double, QualityFlags)] = [:]
        var ongoing = false
        for v in values {
            let byLabel = v.label.map { UInt16($0 & 0xFFFF) }
            guard let metric = IntelliVueNumeric.metric(physio: v.physio)
                    ?? (v.physio == 0xEFFF ? byLabel.flatMap(IntelliVueNumeric.metric(physio:)) : nil) else { continue }
            let isNBP = Self.nbpMetrics.contains(metric)
            if isNBP, v.state & IntelliVueNumeric.measurementOngoing != 0 {
                ongoing = true
                continue
            }
            let missing: String?
            var value: Double?
            if v.state & IntelliVueNumeric.invalid != 0 {
                missing = "measurement state INVALID"
            } else if v.state & IntelliVueNumeric.unavailable != 0 {
                missing = "measurement state UNAVAILABLE"
            } else if v.state & IntelliVueNumeric.calibrationOngoing != 0 {
                missing = "calibration ongoing"
            } else if let f = IntelliVueNumeric.float(v.raw) {
                if let c = IntelliVueNumeric.convert(f, unit: v.unit, to: metric) {
                    if metric.plausibleRange.contains(c) {
                        value = c
                        missing = nil
                    } else {
                        missing = "value \(c) outside the plausible range"
                    }
                } else {
                    missing = "unit code 0x\(String(v.unit, radix: 16, uppercase: true)) not expected"
                }
            } else {
                missing = "FLOAT special value 0x\(String(v.raw, radix: 16, uppercase: true))"
            }
            if let missing {
                if !isNBP || lastNBP != nil {
                    events.append(.status(DeviceStatus(.valueMissing, metric: metric, code: UInt32(v.state), detail: missing, deviceTime: dt)))
                }
                continue
            }
            guard let value else { continue }
            var flags: QualityFlags = []
            if v.state & IntelliVueNumeric.questionable != 0 { flags.formUnion([.artifact, .lowConfidence]) }
            if v.state & (IntelliVueNumeric.demoData | IntelliVueNumeric.testData) != 0 { flags.insert(.demo) }
            if v.state & IntelliVueNumeric.inAlarm != 0 { flags.insert(.deviceAlarm) }
            if isNBP {
                nbp[metric] = (value, flags)
            } else {
                events.append(.reading(Reading(metric: metric, value: value, flags: flags, deviceTime: dt)))
            }
        }
        if ongoing {
            if !nbpOngoing {
                events.append(.status(DeviceStatus(.progress, metric: .nibpSystolic, detail: "NBP measurement ongoing", deviceTime: dt)))
            }
            nbpOngoing = true
            return
        }
        guard !nbp.isEmpty else {
            if whole, !values.isEmpty { sawNumericsWithoutNBP = true }
            return
        }
        let key = nbp.mapValues(\.0)
        let first = lastNBP == nil && !sawNumericsWithoutNBP
        let isNew = first || nbpOngoing || key != lastNBP
        lastNBP = key
        nbpOngoing = false
        guard isNew else { return }
        for m in [Metric.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse] {
            guard let (v, f) = nbp[m] else { continue }
            events.append(.reading(Reading(metric: m, value: v, flags: first ? f.union(.held) : f, deviceTime: dt)))
        }
    }
}

/// A confirmed event report from the monitor, as the decoder passes it to the dialogue in an
/// `info` status: `"confirmed event report: invoke 0001 object 0021 0000 0000 time 00A3A000 event 0D06"`
/// (MDS create for event 0D06). The dialogue needs the invoke id, managed object and event time to
/// answer it; a status is the only channel from decoder to dialogue.
struct IntelliVueEventReport: Sendable, Hashable {
    var invoke: UInt16
    var object: [UInt8]
    var time: UInt32
    var eventType: UInt16

    static let prefix = "confirmed event report: "

    var detail: String {
        func h(_ v: UInt32, _ w: Int) -> String {
            let s = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        let o = stride(from: 0, to: 6, by: 2).map { h(UInt32(object[$0]) << 8 | UInt32(object[$0 + 1]), 4) }.joined(separator: " ")
        let name = eventType == IntelliVueMessage.mdsCreate ? " (MDS create)" : ""
        return Self.prefix + "invoke \(h(UInt32(invoke), 4)) object \(o) time \(h(time, 8)) event \(h(UInt32(eventType), 4))" + name
    }

    init(invoke: UInt16, object: [UInt8], time: UInt32, eventType: UInt16) {
        self.invoke = invoke
        self.object = object
        self.time = time
        self.eventType = eventType
    }

    /// Reads a status detail written by `detail`; `nil` for any other text.
    init?(detail: String) {
        guard detail.hasPrefix(Self.prefix) else { return nil }
        let words = detail.dropFirst(Self.prefix.count).split(separator: " ")
        guard words.count >= 10, words[0] == "invoke", words[2] == "object", words[6] == "time", words[8] == "event",
              let invoke = UInt16(words[1], radix: 16), let time = UInt32(words[7], radix: 16),
              let event = UInt16(words[9], radix: 16) else { return nil }
        var object: [UInt8] = []
        for w in words[3...5] {
            guard let v = UInt16(w, radix: 16) else { return nil }
            object += [UInt8(v >> 8), UInt8(v & 0xFF)]
        }
        self.init(invoke: invoke, object: object, time: time, eventType: event)
    }
}
