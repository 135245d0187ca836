import VitalsCore

/// Decodes what an A&D UA-767PC sends on its PC cable (reference/protocols-bp.md 1.1, [DEC]).
///
/// Two things arrive: replies to the host's control frames (`01 37 30 50 43 06` ACK,
/// `... 15` NAK) and result records of exactly 10 printable hex characters.
///
/// Framing assumptions, because the terminators are not known [GAP]:
/// - a record is a run of hex digits ended by the first byte that is not one: CR or LF (taken as
///   the usual terminators and otherwise ignored), the SOH of a reply, or any other byte (which
///   is then garbage). So a record is accepted with CR/LF, with LF alone, or followed directly by
///   a reply frame;
/// - a run of any length other than 10 is a bad frame, never a reading. The price: a record with
///   no terminator is decoded only when the next byte arrives, since an 11th hex character would
///   make it not a record;
/// - both cases of hex digits are accepted (the helper's sample is uppercase).
///
/// A record with code `80` gives `nibp.sys` (= (SYS - DIA) + DIA), `nibp.dia`, `nibp.map` and
/// `nibp.pulse`, range-checked as `SunTechDecoder` does (`plausible`); `81`-`83` give one
/// `.measurementError` status and no readings; any other code is a bad frame. Sync is reported as
/// in `SunTechDecoder`: `.syncLost` once per loss (at the offset of the bad bytes), one
/// `.syncAcquired` with the bytes skipped and bad frames since at the next good record or reply.
public struct AndUA767Decoder: DeviceDecoder {
    /// Plausibility limits, mmHg and /min: not the monitor's measuring range (not in the
    /// reference) but wide enough for any adult and narrow enough to reject 0 and the sums of
    /// corrupted fields.
    public static let plausible: [Metric: ClosedRange<Int>] = [
        .nibpSystolic: 30...300, .nibpDiastolic: 10...250, .nibpMean: 15...280, .nibpPulse: 25...250,
    ]

    /// Counts so far.
    /// `plausible`, read once for the per-result checks.
    static let plausibleRanges = NIBPPlausibleRanges(plausible)

    public private(set) var statistics = DecoderStatistics()
    /// The hex digits of the current run (at most 10 kept).
    private var run: [UInt8] = []
    /// Length of the current run, including digits beyond the 10 kept.
    private var runLength = 0
    /// Stream offset of the run's first digit.
    private var runStart = 0
    /// The bytes of a reply being collected; `reply[0]` is SOH whenever it is not empty.
    private var reply: [UInt8] = []
    /// Stream offset of `reply[0]`.
    private var replyStart = 0
    /// Sync as the statuses report it; the decoder starts in sync.
    private var sync = SyncTracker(inSync: true)

    /// A decoder at the start of a stream.
    public init() {
        run.reserveCapacity(AndUA767Frame.recordLength)
    }

    /// Feeds `bytes` one at a time, so any chunking gives the same events.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        for b in bytes {
            let offset = statistics.bytes
            statistics.bytes += 1
            feed(b, at: offset, into: &events)
        }
    }

    private mutating func feed(_ b: UInt8, at offset: Int, into events: inout [DecoderEvent]) {
        if !reply.isEmpty {
            if reply.count < AndUA767Frame.replyPrefix.count {
                if b == AndUA767Frame.replyPrefix[reply.count] {
                    reply.append(b)
                    return
                }
            } else if b == AndUA767Frame.ack || b == AndUA767Frame.nak {
                acquire(at: replyStart, into: &events)
                statistics.frames += 1
                let status = b == AndUA767Frame.ack
                    ? DeviceStatus(.commandAccepted, code: UInt32(b), detail: "ACK")
                    : DeviceStatus(.commandRejected, code: UInt32(b), detail: "NAK")
                events.append(.status(status))
                reply.removeAll(keepingCapacity: true)
                return
            }
            // Not a reply after all: its bytes are garbage; `b` starts afresh.
            statistics.badFrames += 1
            statistics.skippedBytes += reply.count
            lose(at: replyStart, "bad reply frame", into: &events)
            reply.removeAll(keepingCapacity: true)
        }
        if AndUA767Frame.hexValue(b) != nil {
            if runLength == 0 { runStart = offset }
            if run.count < AndUA767Frame.recordLength { run.append(b) }
            runLength += 1
            return
        }
        endRun(into: &events)
        switch b {
        case 0x0D, 0x0A:
            return
        case AndUA767Frame.soh:
            reply.append(b)
            replyStart = offset
        default:
            statistics.skippedBytes += 1
            lose(at: offset, "byte outside a record", into: &events)
        }
    }

    /// Decodes the run of hex digits a non-hex byte has just ended, if any.
    private mutating func endRun(into events: inout [DecoderEvent]) {
        guard runLength > 0 else { return }
        defer {
            run.removeAll(keepingCapacity: true)
            runLength = 0
        }
        guard runLength == AndUA767Frame.recordLength, let record = Self.record(run) else {
            statistics.badFrames += 1
            statistics.skippedBytes += runLength
            lose(at: runStart, runLength == AndUA767Frame.recordLength ? "bad result code" : "\(runLength) hex characters, not 10",
                 into: &events)
            return
        }
        acquire(at: runStart, into: &events)
        // Straight into `events`: a result is decoded on every record, and an array of its own
        // cost an allocation and a copy of each event.
        if Self.append(record, into: &events) { statistics.badFrames += 1 } else { statistics.frames += 1 }
    }

    private mutating func lose(at offset: Int, _ why: String, into events: inout [DecoderEvent]) {
        sync.lose(at: offset, why, statistics: statistics, into: &events)
    }

    private mutating func acquire(at offset: Int, into events: inout [DecoderEvent]) {
        sync.acquire(at: offset, statistics: &statistics, into: &events)
    }

    /// A 10-digit record's result code and its five bytes, or `nil` when a digit is not hex or
    /// the result code is not 80-83. Read in place: this runs on every record.
    static func record(_ chars: [UInt8]) -> (code: AndUA767ResultCode, sys: Int, dia: Int, pulse: Int, map: Int)? {
        func byte(_ k: Int) -> Int? {
            guard let hi = AndUA767Frame.hexValue(chars[2 * k]), let lo = AndUA767Frame.hexValue(chars[2 * k + 1]) else {
                return nil
            }
            return Int(hi) << 4 | Int(lo)
        }
        guard chars.count == 10, let v0 = byte(0), let v1 = byte(1), let v2 = byte(2), let v3 = byte(3), let v4 = byte(4),
              let code = AndUA767ResultCode(rawValue: UInt8(v0)) else {
            return nil
        }
        return (code, v1 + v2, v2, v3, v4)
    }

    /// Appends a record's events (a reading per plausible value, or the measurement error) and
    /// returns whether the result was rejected.
    static func append(
        _ r: (code: AndUA767ResultCode, sys: Int, dia: Int, pulse: Int, map: Int), into events: inout [DecoderEvent]
    ) -> Bool {
        guard r.code == .valid else {
            events.append(.status(DeviceStatus(.measurementError, code: UInt32(r.code.rawValue), detail: r.code.detail)))
            return false
        }
        return SunTechDecoder.plausibilityChecked(
            sys: r.sys, dia: r.dia, map: r.map, pulse: r.pulse, ranges: plausibleRanges, into: &events)
    }
}
