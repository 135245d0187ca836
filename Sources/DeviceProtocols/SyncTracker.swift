import VitalsCore

/// A decoder's frame sync as the statuses see it: one `sync-lost` when sync goes, one
/// `sync-acquired` when it comes back, whatever happened in between.
///
/// Garbage costs a decoder bad frames and skipped bytes, not statuses: the `sync-acquired` that
/// ends a loss carries how many bytes were skipped (`code`, saturating) and how many bad frames
/// were seen (in `detail`) since the loss. So a burst of random bytes gives at most one pair per
/// spell of valid-looking frames, never one per few bytes (issue 12.4), and the counts survive for
/// `device_events`.
struct SyncTracker: Sendable, Hashable {
    /// Whether the decoder is in step with the stream.
    private(set) var inSync: Bool
    /// Whether sync was ever had: the first lock of a stream is not a re-acquisition.
    private var everInSync: Bool
    /// `skippedBytes` and `badFrames` at the last good frame: what a loss cost is counted from there.
    private var skippedAtGood = 0
    private var badFramesAtGood = 0

    /// A tracker not yet in sync (`inSync: false`), or starting in sync (for decoders of
    /// replies, which have no stream to lock on to).
    init(inSync: Bool = false) {
        self.inSync = inSync
        everInSync = inSync
    }

    /// Sync is lost at `offset`: emits `sync-lost` with `detail` if the decoder was in sync.
    mutating func lose(
        at offset: Int, _ detail: @autoclosure () -> String, statistics: DecoderStatistics,
        into events: inout [DecoderEvent]
    ) {
        guard inSync else { return }
        inSync = false
        events.append(.status(DeviceStatus(.syncLost, detail: detail(), byteOffset: offset)))
    }

    /// A frame that passed every check starts at `offset` (call it for every good frame, before
    /// the frame's own events): emits `sync-acquired` with the bytes skipped and bad frames since
    /// the last good frame, if sync had been had and lost.
    mutating func acquire(
        at offset: Int, statistics: inout DecoderStatistics, deviceTime: DeviceTime? = nil,
        into events: inout [DecoderEvent]
    ) {
        let skipped = statistics.skippedBytes - skippedAtGood
        let bad = statistics.badFrames - badFramesAtGood
        skippedAtGood = statistics.skippedBytes
        badFramesAtGood = statistics.badFrames
        guard !inSync else { return }
        inSync = true
        guard everInSync else {
            everInSync = true
            return
        }
        statistics.resyncs += 1
        events.append(.status(DeviceStatus(
            .syncAcquired, code: UInt32(clamping: skipped),
            detail: "after \(skipped) skipped byte\(skipped == 1 ? "" : "s") and \(bad) bad frame\(bad == 1 ? "" : "s")",
            byteOffset: offset, deviceTime: deviceTime)))
    }
}

extension Metric {
    /// A reading of `value`, or a `value-implausible` status when `plausibleRange` excludes it
    /// (issue 12.5: a value no sensor reports is a corrupted field, never a reading). `raw` is the
    /// field as sent, for the status.
    func checkedReading(
        _ value: Double, flags: QualityFlags = [], deviceTime: DeviceTime? = nil, raw: @autoclosure () -> String,
        byteOffset: Int? = nil
    ) -> DecoderEvent {
        let r = plausibleRange
        guard r.contains(value) else {
            return .status(DeviceStatus(
                .valueImplausible, metric: self,
                detail: "\(raw()): \(Self.text(value)) \(displayUnit) is outside \(Self.text(r.lowerBound))-\(Self.text(r.upperBound))",
                byteOffset: byteOffset, deviceTime: deviceTime))
        }
        return .reading(Reading(metric: self, value: value, flags: flags, deviceTime: deviceTime))
    }

    private static func text(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}

/// Issue 13.3: a text line is judged by its fields, not by stray bytes at its edges. The bytes a
/// line starts or ends with that are not ASCII (a BREAK read as 0xFF or 0x80, a framing error's
/// junk) are left out; `line[range]` is the rest. Control bytes never reach a line.
func textLineCore(_ line: [UInt8]) -> Range<Int> {
    var lo = 0, hi = line.count
    while lo < hi, line[lo] >= 0x7F { lo += 1 }
    while hi > lo, line[hi - 1] >= 0x7F { hi -= 1 }
    return lo..<hi
}
