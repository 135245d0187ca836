import VitalsCore

/// Decodes the replies of a SunTech Advantage OEM NIBP module (reference/protocols-bp.md 2,
/// [DEC x2]).
///
/// Frames are `3E len data cks`; `len` counts every byte of the frame and must be one of the
/// five reply lengths (`SunTechReplyKind`), and the whole frame must sum to 0 mod 256. A frame
/// that fails either, or whose content is malformed (an unknown status character), is a bad
/// frame: the decoder slides one byte past its start and looks again, so a real frame hidden
/// behind a false start is still found. A false start whose length byte asks for more bytes than
/// have come is given up as soon as a complete valid frame ends inside it.
///
/// What comes out:
/// - a BP result (0x18) with error byte 0: readings `nibp.sys`, `nibp.dia`, `nibp.map`,
///   `nibp.pulse`, each range-checked (`plausible`, within `Metric.plausibleRange`); a value
///   outside its range becomes a `.valueImplausible` status instead, one discarded with it a
///   `.valueMissing` status. SYS and DIA stand or fall together (both plausible and
///   SYS > DIA); MAP must lie between them; MAP and pulse are discarded with a failed pair;
/// - a BP result with a non-zero error byte: no readings, one `.measurementError` status with
///   the code and its meaning (`SunTechErrorCode`);
/// - a status character: `.commandAccepted`, `.commandRejected` or `.progress`
///   (`SunTechStatusCharacter.statusKind`), `code` the character's byte;
/// - cuff pressure: `.progress` with the pressure in mmHg in `code` (`nil` for -1, no value);
/// - return code and return string: `.info`. The return code is frame byte 3, the reference's
///   "byte 3 of the data", read as a frame index: the frame has only 3 data bytes.
///
/// Statistics: a result whose SYS/DIA pair fails the range check counts as a bad frame, but its
/// framing passed, so it does not lose sync.
///
/// The decoder starts in sync. The first skipped byte or bad frame after a good stretch emits
/// `.syncLost` with the stream offset where the bad bytes begin; the next good frame emits one
/// `.syncAcquired` with the bytes skipped and bad frames since (`SyncTracker`). HR is read from byte 16 alone (DesktopFX calls byte 17 spare; Appciton reads
/// 16-17 as one uint16, which is the same value while byte 17 is 0).
public struct SunTechDecoder: DeviceDecoder {
    /// Plausibility limits, mmHg and /min. They are not the module's measuring range (which the
    /// reference does not give); they are wide enough for any adult, child or neonate and reject
    /// 0, 0xFFFF and other values no cuff measures.
    public static let plausible: [Metric: ClosedRange<Int>] = [
        .nibpSystolic: 30...300, .nibpDiastolic: 10...250, .nibpMean: 15...280, .nibpPulse: 25...250,
    ]

    /// Counts so far.
    /// `plausible`, read once for the per-result checks.
    static let plausibleRanges = NIBPPlausibleRanges(plausible)

    public private(set) var statistics = DecoderStatistics()
    /// Bytes of the frame being collected; `pending[0]` is `3E` whenever it is not empty.
    private var pending: [UInt8] = []
    /// Stream offset of `pending[0]`.
    private var pendingOffset = 0
    /// Sync as the statuses report it; the decoder starts in sync.
    private var sync = SyncTracker(inSync: true)

    /// A decoder at the start of a stream.
    public init() {
        pending.reserveCapacity(SunTechFrame.maximumLength)
    }

    /// Bytes of the frame being collected (never more than the longest reply): for tests of the bound.
    var bufferedBytes: Int { pending.count }

    /// Feeds `bytes`, one at a time, so any chunking gives the same events.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        for b in bytes {
            if pending.isEmpty { pendingOffset = statistics.bytes }
            statistics.bytes += 1
            pending.append(b)
            scan(into: &events)
        }
    }

    /// Takes every complete frame off the front of `pending`, sliding past bad starts.
    private mutating func scan(into events: inout [DecoderEvent]) {
        while let first = pending.first {
            guard first == SunTechFrame.moduleStart else {
                slide(badFrame: false, into: &events)
                continue
            }
            guard pending.count >= 2 else { return }
            guard let kind = SunTechReplyKind(rawValue: pending[1]) else {
                slide(badFrame: true, into: &events)
                continue
            }
            guard pending.count >= kind.length else {
                // A false start must not hold back a complete frame behind it (a `K` the host
                // waits for, with nothing more coming until the host acts).
                guard let inner = innerFrameStart() else { return }
                dropFalseStart(count: inner, into: &events)
                continue
            }
            let frame = Array(pending[0..<kind.length])
            guard SunTechFrame.sumsToZero(frame), Self.isWellFormed(frame, kind: kind) else {
                slide(badFrame: true, into: &events)
                continue
            }
            sync.acquire(at: pendingOffset, statistics: &statistics, into: &events)
            // Straight into `events`: an array a frame cost an allocation and a copy of each event.
            if Self.interpret(frame, kind: kind, into: &events) { statistics.badFrames += 1 } else { statistics.frames += 1 }
            pending.removeFirst(kind.length)
            pendingOffset += kind.length
        }
    }

    /// The index of a complete, valid frame that starts inside the pending candidate and ends at
    /// the last byte received, or `nil`. Checked after every byte, so any such frame is found the
    /// moment it completes, whatever the chunking.
    private func innerFrameStart() -> Int? {
        var i = 1
        while i + 1 < pending.count {
            if pending[i] == SunTechFrame.moduleStart, let kind = SunTechReplyKind(rawValue: pending[i + 1]),
               i + kind.length == pending.count {
                let frame = Array(pending[i...])
                if SunTechFrame.sumsToZero(frame), Self.isWellFormed(frame, kind: kind) { return i }
            }
            i += 1
        }
        return nil
    }

    /// Drops a false start and the bytes up to the frame found inside it.
    private mutating func dropFalseStart(count: Int, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        statistics.skippedBytes += count
        sync.lose(at: pendingOffset, "bad frame", statistics: statistics, into: &events)
        pending.removeFirst(count)
        pendingOffset += count
    }

    /// Drops the first pending byte: garbage between frames, or the start of a bad frame.
    private mutating func slide(badFrame: Bool, into events: inout [DecoderEvent]) {
        if badFrame { statistics.badFrames += 1 }
        statistics.skippedBytes += 1
        sync.lose(at: pendingOffset, badFrame ? "bad frame" : "byte outside a frame", statistics: statistics, into: &events)
        pending.removeFirst()
        pendingOffset += 1
    }

    /// Whether a frame whose checksum passed has content `interpret` accepts (a status frame
    /// must carry a known status character; the other kinds always do).
    static func isWellFormed(_ f: [UInt8], kind: SunTechReplyKind) -> Bool {
        kind != .status || SunTechStatusCharacter(rawValue: f[2]) != nil
    }

    /// Appends the events of a well-formed frame (`isWellFormed`) and returns whether its values
    /// were rejected.
    static func interpret(_ f: [UInt8], kind: SunTechReplyKind, into events: inout [DecoderEvent]) -> Bool {
        switch kind {
        case .status:
            guard let c = SunTechStatusCharacter(rawValue: f[2]) else { return false }
            events.append(.status(DeviceStatus(c.statusKind, code: UInt32(c.rawValue), detail: c.detail)))
            return false
        case .cuffPressure:
            let p = Int(Int16(bitPattern: UInt16(f[2]) | UInt16(f[3]) << 8))
            let status = p == -1
                ? DeviceStatus(.progress, detail: "cuff pressure: no value")
                : DeviceStatus(.progress, code: p >= 0 ? UInt32(p) : nil, detail: "cuff pressure \(p) mmHg")
            events.append(.status(status))
            return false
        case .returnCode:
            let code = f[3]
            let detail = "return code \(code)" + (code == 0 ? " (pass)" : " (not pass)")
            events.append(.status(DeviceStatus(.info, code: UInt32(code), detail: detail)))
            return false
        case .returnString:
            events.append(.status(DeviceStatus(.info, detail: returnStringDetail(f[2..<(f.count - 1)]))))
            return false
        case .bloodPressure:
            return bloodPressure(f, into: &events)
        }
    }

    /// A BP result frame (reference 2.3): SYS 2-3, DIA 4-5, HR 16, MAP 18-19, error 20. Appends
    /// its events and returns whether the values were rejected.
    static func bloodPressure(_ f: [UInt8], into events: inout [DecoderEvent]) -> Bool {
        let error = f[20]
        guard error == 0 else {
            let status = DeviceStatus(.measurementError, code: UInt32(error), detail: SunTechErrorCode.detail(for: error))
            events.append(.status(status))
            return false
        }
        let sys = Int(f[2]) | Int(f[3]) << 8
        let dia = Int(f[4]) | Int(f[5]) << 8
        let hr = Int(f[16])
        let map = Int(f[18]) | Int(f[19]) << 8
        return plausibilityChecked(sys: sys, dia: dia, map: map, pulse: hr, ranges: plausibleRanges, into: &events)
    }

    /// Readings for the values that pass, `.valueMissing` statuses for those that fail; rejected
    /// when the SYS/DIA pair fails: the result as a whole is then unusable, so MAP and pulse are
    /// discarded with it. Appends to `events`; returns whether the pair was rejected. (`AndUA767Decoder`
    /// applies the same rule with its own limits.)
    static func plausibilityChecked(
        sys: Int, dia: Int, map: Int, pulse: Int, ranges: NIBPPlausibleRanges, into events: inout [DecoderEvent]
    ) -> Bool {
        func range(_ m: Metric) -> ClosedRange<Int> { ranges.range(m) }
        func missing(_ m: Metric, _ why: String) {
            events.append(.status(DeviceStatus(.valueMissing, metric: m, detail: why)))
        }
        func outside(_ label: String, _ v: Int, _ m: Metric) -> String {
            let r = range(m)
            return "\(label) \(v) \(m.displayUnit) is outside \(r.lowerBound)-\(r.upperBound): not a reading"
        }
        func implausible(_ m: Metric, _ why: String) {
            events.append(.status(DeviceStatus(.valueImplausible, metric: m, detail: why)))
        }
        let sysOK = range(.nibpSystolic).contains(sys)
        let diaOK = range(.nibpDiastolic).contains(dia)
        let pairOK = sysOK && diaOK && sys > dia
        if pairOK {
            events.append(.reading(Reading(metric: .nibpSystolic, value: Double(sys))))
            events.append(.reading(Reading(metric: .nibpDiastolic, value: Double(dia))))
        } else if sysOK && diaOK {
            let why = "SYS \(sys) mmHg is not above DIA \(dia) mmHg: not a reading"
            implausible(.nibpSystolic, why)
            implausible(.nibpDiastolic, why)
        } else {
            if sysOK { missing(.nibpSystolic, "SYS discarded with its DIA") } else { implausible(.nibpSystolic, outside("SYS", sys, .nibpSystolic)) }
            if diaOK { missing(.nibpDiastolic, "DIA discarded with its SYS") } else { implausible(.nibpDiastolic, outside("DIA", dia, .nibpDiastolic)) }
        }
        if !range(.nibpMean).contains(map) {
            implausible(.nibpMean, outside("MAP", map, .nibpMean))
        } else if !pairOK {
            missing(.nibpMean, "MAP discarded with SYS/DIA")
        } else if !(dia...sys).contains(map) {
            implausible(.nibpMean, "MAP \(map) mmHg is not between DIA and SYS: not a reading")
        } else {
            events.append(.reading(Reading(metric: .nibpMean, value: Double(map))))
        }
        if !range(.nibpPulse).contains(pulse) {
            implausible(.nibpPulse, outside("pulse", pulse, .nibpPulse))
        } else if !pairOK {
            missing(.nibpPulse, "pulse discarded with SYS/DIA")
        } else {
            events.append(.reading(Reading(metric: .nibpPulse, value: Double(pulse))))
        }
        return !pairOK
    }

    /// `return string "LX..." (Advantage)`: printable ASCII, trailing NULs and spaces dropped.
    static func returnStringDetail(_ data: ArraySlice<UInt8>) -> String {
        var text = String(data.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : " " })
        while text.last == " " { text.removeLast() }
        let model = text.hasPrefix("LX") ? " (Advantage)" : text.hasPrefix("SB") ? " (Advantage+)" : ""
        return "return string \"\(text)\"" + model
    }
}
