import DeviceProtocols
import VitalsCore

/// What a port's bytes decoded to, as the room core takes it (``RoomInput/decoded(_:_:)``).
public struct DecodedBytes: Sendable {
    /// The decoder's events, in order.
    public var events: [DecoderEvent] = []
    /// Frames that passed their checks (the connection's sign of life), whether or not they
    /// completed an event.
    public var frames = 0
    /// Bytes decoded for this hand-over.
    public var bytes = 0
    /// The decoder's counts since the open, as of this hand-over (what the core says when a
    /// kept identity stops decoding).
    public var statistics = DecoderStatistics()

    /// Nothing decoded.
    public init() {}

    /// True when there is nothing for the core.
    public var isEmpty: Bool { events.isEmpty && frames == 0 && bytes == 0 }
}

/// One open of a port seen from the bytes' side: the profile's decoder, and what it has decoded
/// that the room core has not been given yet. Sans-IO: bytes and their time go in, at most one
/// ``DecodedBytes`` for the core comes out.
///
/// The core keeps one for every port and decodes ``RoomInput/bytes(_:_:)`` with it (replay,
/// scenario recording, tests). `vitals run` decodes on its one reader thread instead, with a
/// `PortDecoding` the core made for that open (``RoomCore/decoding(for:)``), and wakes the core
/// only when ``decode(_:at:)`` hands something over: whenever an event decoded, at once (an
/// alarm's reading never waits), and otherwise frames alone at most every
/// ``frameReportInterval`` (the first at once). A Nonin DF7 oximeter sends 75 frames a second
/// in 3 packets, so the core wakes 3 times a second for it instead of once for every read.
public struct PortDecoding: Sendable {
    /// How long valid frames that completed no event may wait to be reported: 1 s, or half the
    /// profile's expected gap when that is shorter (none is: 2 s and more), so a streaming
    /// device never looks quiet for it; the connection's last activity is at worst this much
    /// older than the last frame. Longer than a packet of every profile that packs frames
    /// (Nonin DF7: 333 ms), so frames ride along with the packet's events.
    public let frameReportInterval: Duration

    private var decoder: any DeviceDecoder
    private var framesCounted = 0
    private var pending = DecodedBytes()
    /// When frames were last handed over; nil before the first.
    private var lastReport: RunTime?
    /// Since when bytes that decoded nothing have waited, before this open's first frame. The
    /// core needs them to give up on a kept identity that no longer decodes (issue 13): they are
    /// handed over once they have waited ``frameReportInterval``, and never after a first frame.
    private var bytesWaitingSince: RunTime?

    /// A fresh decoder of `profile`, at the start of a stream.
    public init(profile: any DeviceProfile.Type) {
        decoder = profile.makeDecoder()
        frameReportInterval = min(.seconds(1), profile.expectedGap / 2)
    }

    /// The host wrote `bytes` to the device after everything decoded so far (a decoder that
    /// reads replies to host commands then knows one is due).
    public mutating func hostWrote(_ bytes: [UInt8]) {
        decoder.hostWrote(bytes)
    }

    /// Decodes `bytes` and returns all it decoded (with anything held before).
    public mutating func decode(_ bytes: UnsafeRawBufferPointer) -> DecodedBytes {
        add(bytes)
        defer { pending = DecodedBytes() }
        return pending
    }

    /// Decodes `bytes`, read at `time`, and returns what the core should be given now, or nil
    /// while only frames without events are held (see the type's note).
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, at time: RunTime) -> DecodedBytes? {
        add(bytes)
        if pending.events.isEmpty {
            if pending.frames > 0 {
                if let last = lastReport, time.since(last) < frameReportInterval { return nil }
            } else {
                guard pending.bytes > 0, framesCounted == 0 else { return nil }
                guard let since = bytesWaitingSince else { bytesWaitingSince = time; return nil }
                if time.since(since) < frameReportInterval { return nil }
            }
        }
        if pending.frames > 0 { lastReport = time }
        bytesWaitingSince = nil
        defer { pending = DecodedBytes() }
        return pending
    }

    private mutating func add(_ bytes: UnsafeRawBufferPointer) {
        decoder.decode(bytes, into: &pending.events)
        let statistics = decoder.statistics
        pending.frames += statistics.frames - framesCounted
        pending.bytes += bytes.count
        pending.statistics = statistics
        framesCounted = statistics.frames
    }
}
