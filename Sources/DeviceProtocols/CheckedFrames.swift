import VitalsCore

/// What a deframer of a monitor's escaped, checked frames (GE S/5 `7E` records, IntelliVue
/// `C0 ... C1` frames) makes of one byte.
enum Deframed {
    /// A frame whose framing and own check (length, checksum or FCS) passed: its bytes, for the
    /// decoder to read, and the stream offset where it started.
    case frame([UInt8], start: Int)
    /// A frame that failed its framing or check: where it started and its raw length.
    case bad(start: Int, length: Int)
    /// Bytes outside any frame.
    case skipped(Int)
}

/// Turns bytes into `Deframed` outputs, one byte at a time.
protocol Deframer: Sendable {
    /// Feeds one byte at stream offset `offset`; returns what it completes.
    mutating func feed(_ byte: UInt8, at offset: Int) -> Deframed?
}

/// The framing statistics and sync statuses of a decoder of checked frames (`GES5Decoder`,
/// `IntelliVueDecoder`): one owner of "a bad frame counts, loses sync once, and the next good
/// frame regains it".
///
/// The decoder feeds each byte and reads each frame that comes back; it calls `good` when the
/// frame's content is good too (before the frame's own events, so `sync-acquired` comes first)
/// and `bad` when it is not (nothing of it used).
struct CheckedFrames<D: Deframer>: Sendable {
    /// Counts of what the decoder has seen so far.
    private(set) var statistics = DecoderStatistics()
    private var deframer: D
    private var sync = SyncTracker(reportsCounts: false)
    /// The `sync-lost` detail ("record failed its length or checksum").
    private let lossDetail: String

    /// A stream at its start, not yet in sync.
    init(_ deframer: D, lossDetail: String) {
        self.deframer = deframer
        self.lossDetail = lossDetail
    }

    /// Feeds one byte; returns a frame that passed its framing checks, for the decoder to read.
    mutating func feed(_ byte: UInt8, into events: inout [DecoderEvent]) -> (bytes: [UInt8], start: Int)? {
        let offset = statistics.bytes
        statistics.bytes += 1
        switch deframer.feed(byte, at: offset) {
        case nil:
            return nil
        case .skipped(let n):
            statistics.skippedBytes += n
            return nil
        case .bad(let start, let length):
            bad(start: start, length: length, into: &events)
            return nil
        case .frame(let f, let start):
            return (f, start)
        }
    }

    /// The frame at `start` is good throughout.
    mutating func good(start: Int, into events: inout [DecoderEvent]) {
        sync.goodFrame(at: start, statistics: &statistics, into: &events)
    }

    /// The frame at `start`, `length` bytes, is bad: nothing of it is used.
    mutating func bad(start: Int, length: Int, into events: inout [DecoderEvent]) {
        statistics.badFrames += 1
        statistics.skippedBytes += length
        let detail = lossDetail
        sync.lose(at: start, detail, statistics: statistics, into: &events)
    }
}
