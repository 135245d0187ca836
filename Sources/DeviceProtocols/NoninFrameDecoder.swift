import VitalsCore

/// The decoder of Nonin DF2 and DF7 streams: 5-byte frames, 25 frames a packet, 75 frames a
/// second (reference protocols-spo2.md 1.4-1.7, 1.14).
///
/// Framing: a sliding window. Hunting, it locks on a frame with SYNC set, bit 7 set in the
/// status, a good checksum and (DF2) the `01` start byte; DF7, which has no constant byte, also
/// needs the next frame to pass (with SYNC clear) before it trusts the lock. Locked, it checks
/// each frame at its place: checksum, start byte, SYNC set on slot 0 only, and bit 7 clear in
/// defined float slots. A frame that fails, an early SYNC or a missing SYNC after 25 frames
/// loses the lock (`.status(.syncLost)` with the byte offset, once), discards the partial packet
/// (an HR MSB/LSB pair may straddle the loss) and hunts again from that byte; the next lock
/// after a loss emits one `.syncAcquired` with the bytes skipped and bad frames since
/// (`SyncTracker`), however much garbage came between. Replies to the select-format command
/// (reference 1.3, 1.14): after the host wrote it (`hostWrote`), the first `06` (ACK) or `15`
/// (NAK) where a frame could start is reported when it arrives (`NoninReplyWatch`); without a
/// known command, a lone `06`/`15` followed by a frame is taken as a reply. Either becomes
/// `.commandAccepted` or `.commandRejected` ("NAK to select data format DF7").
///
/// Memory: the unconsumed bytes kept between calls never exceed the frames needed to lock plus
/// one; `decode` works in place on them.
///
/// Output a packet (3 a second): one `.waveform` batch of its 25 pleth samples at 75 Hz, then
/// SpO2 and pulse readings or statuses; see `NoninPacketAssembler` for which float values are
/// published and why. Decisions depend only on the bytes, never on how they were chunked.
public struct NoninFrameDecoder: DeviceDecoder {
    /// The frame layout this decoder reads.
    public let format: NoninFrameFormat
    /// Counts of frames, bad frames, skipped bytes and resyncs.
    public private(set) var statistics = DecoderStatistics()

    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var locked = false
    private var sync = SyncTracker()
    private var watch = NoninReplyWatch()
    private var assembler = NoninPacketAssembler()

    /// A decoder at the start of a stream of `format` frames.
    public init(format: NoninFrameFormat) {
        self.format = format
    }

    /// Feeds `bytes`; appends the events of every packet they complete.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        statistics.bytes += bytes.count
        pending.append(contentsOf: bytes)
        var data: [UInt8] = []
        swap(&data, &pending)
        let consumed = data.withUnsafeBufferPointer { run($0, into: &events) }
        data.removeFirst(consumed)
        swap(&data, &pending)
        pendingOffset += consumed
    }

    /// Unconsumed bytes held between calls: for tests of the bound.
    var bufferedBytes: Int { pending.count }

    public mutating func hostWrote(_ bytes: [UInt8]) {
        watch.hostWrote(bytes, at: statistics.bytes)
    }

    private static func isReply(_ b: UInt8) -> Bool { NoninReplyWatch.isReply(b) }

    /// The frame at `start` if it is valid in packet slot `slot`.
    private func frame(_ buf: UnsafeBufferPointer<UInt8>, at start: Int, slot: Int) -> NoninFrame? {
        guard let f = format.frame(in: buf, at: start), f.status.sync == (slot == 0),
              NoninFloatMap.accepts(f.float, inSlot: slot) else { return nil }
        return f
    }

    /// True when `framesToLock` frames from `start` are a packet's first frames.
    private func canLock(_ buf: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for k in 0..<format.framesToLock where frame(buf, at: start + k * NoninFrameFormat.frameLength, slot: k) == nil {
            return false
        }
        return true
    }

    private mutating func reply(_ b: UInt8, at pos: Int, into events: inout [DecoderEvent]) {
        events.append(.status(watch.reply(b, at: pendingOffset + pos, fallback: format.formatCode)))
    }

    /// Decodes what it can of `buf`; returns the bytes consumed (the rest waits for more).
    private mutating func run(_ buf: UnsafeBufferPointer<UInt8>, into events: inout [DecoderEvent]) -> Int {
        let n = buf.count
        let len = NoninFrameFormat.frameLength
        var pos = 0
        while true {
            if locked {
                guard n - pos >= len else { break }
                let slot = assembler.framesInPacket
                if let f = frame(buf, at: pos, slot: slot) {
                    statistics.frames += 1
                    sync.acquire(at: pendingOffset + pos, statistics: &statistics, into: &events)
                    assembler.add(f, into: &events)
                    pos += len
                    continue
                }
                if Self.isReply(buf[pos]) {
                    if watch.awaits(at: pendingOffset + pos) {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                    guard n - pos > len else { break }
                    if frame(buf, at: pos + 1, slot: slot) != nil {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                }
                statistics.badFrames += 1
                locked = false
                assembler.discardPacket()
                sync.lose(
                    at: pendingOffset + pos, slot == 0 ? "frame 1 of a packet expected" : "bad frame in packet slot \(slot + 1)",
                    statistics: statistics, into: &events)
            } else {
                guard pos < n else { break }
                let need = len * format.framesToLock
                if Self.isReply(buf[pos]) {
                    if watch.awaits(at: pendingOffset + pos) {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                    guard n - pos > need else { break }
                    if canLock(buf, at: pos + 1) {
                        reply(buf[pos], at: pos, into: &events)
                        pos += 1
                        continue
                    }
                } else {
                    guard n - pos >= need else { break }
                    if canLock(buf, at: pos) {
                        locked = true
                        sync.acquire(at: pendingOffset + pos, statistics: &statistics, into: &events)
                        continue
                    }
                }
                statistics.skippedBytes += 1
                pos += 1
            }
        }
        return pos
    }
}
