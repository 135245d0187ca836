import VitalsCore

/// A whole host-device conversation on a virtual clock, with no port: the profile's dialogue
/// (the host), its encoder (the simulated device, answering through `receive`) and its decoder
/// (what the host makes of the device's bytes), as the room core would run them.
///
/// Used to record fixtures with the host's `w` lines, to test dialogues against the simulated
/// monitors, and to produce a session's device bytes for benchmarks. Millisecond resolution; the
/// device answers a host write `replyDelay` later; equal times run device bytes first, then
/// encoder periods, then the dialogue's deadlines.
public struct SessionSimulation {
    /// One thing that happened, at its virtual time.
    public enum Entry: Sendable, Hashable {
        /// The host wrote these bytes.
        case wrote(HostWrite)
        /// The decoder produced this event from the device's bytes.
        case event(DecoderEvent)
    }

    /// The script: `w` lines for the host's bytes, `r` lines for the device's.
    public private(set) var script: UmockdevScript
    /// Writes and events in order, with their times.
    public private(set) var log: [(time: RunTime, entry: Entry)] = []
    /// The dialogue, as the session left it.
    public private(set) var dialogue: any HostDialogue
    /// The simulated device, as the session left it.
    public private(set) var encoder: any DeviceEncoder
    /// The decoder, as the session left it.
    public private(set) var decoder: any DeviceDecoder
    /// How long the device takes to answer a host write.
    public var replyDelay: Duration = .milliseconds(5)

    private var now: Int64 = 0
    private var lastStep: Int64 = 0
    private var pending: [(at: Int64, bytes: [UInt8])] = []
    private var nextPeriod: Int64 = 0
    private var periodIndex = 0
    private var opened = false

    /// A session of `profile` (or of the given parts), not yet started.
    public init(profile: any DeviceProfile.Type, encoder: (any DeviceEncoder)? = nil,
                dialogue: (any HostDialogue)? = nil, comments: [String] = []) {
        self.script = UmockdevScript(comments: comments)
        self.encoder = encoder ?? profile.makeEncoder()
        self.dialogue = dialogue ?? profile.makeDialogue()
        self.decoder = profile.makeDecoder()
    }

    /// Runs until `end` (ms from the start), showing `snapshot(i)` in encoder period `i`.
    public mutating func run(until end: Duration, snapshot: (Int) -> VitalSnapshot) {
        let endMs = end.milliseconds
        if !opened {
            opened = true
            write(dialogue.opened(at: RunTime(milliseconds: 0)))
        }
        var deadlineFloor: Int64 = 0
        while true {
            let deadline = dialogue.nextDeadline.map { max($0.milliseconds, deadlineFloor) }
            let candidates = [pending.first?.at, nextPeriod, deadline].compactMap { $0 }
            guard let t = candidates.min(), t <= endMs else { break }
            now = max(now, t)
            if let p = pending.first, p.at <= t {
                pending.removeFirst()
                deliver(p.bytes)
            } else if nextPeriod <= t {
                let period = encoder.period.milliseconds
                for chunk in encoder.encode(snapshot(periodIndex)) {
                    schedule(chunk.bytes, at: nextPeriod + chunk.offset.milliseconds)
                }
                periodIndex += 1
                nextPeriod += max(1, period)
            } else {
                let before = dialogue.nextDeadline
                write(dialogue.tick(at: RunTime(milliseconds: now)))
                if let after = dialogue.nextDeadline, let before, after <= before { deadlineFloor = now + 1 }
            }
        }
        now = max(now, endMs)
    }

    /// The host closes the port politely at the current time; the device's answers within
    /// `grace` are delivered.
    public mutating func close(grace: Duration = .seconds(1)) {
        write(dialogue.closing(at: RunTime(milliseconds: now)))
        let end = now + grace.milliseconds
        while let p = pending.first, p.at <= end {
            pending.removeFirst()
            now = max(now, p.at)
            deliver(p.bytes)
        }
    }

    /// Every decoded event, in order.
    public var events: [DecoderEvent] {
        log.compactMap { if case .event(let e) = $0.entry { e } else { nil } }
    }

    /// Every host write with its time.
    public var writes: [(time: RunTime, write: HostWrite)] {
        log.compactMap { if case .wrote(let w) = $0.entry { ($0.time, w) } else { nil } }
    }

    private mutating func schedule(_ bytes: [UInt8], at t: Int64) {
        guard !bytes.isEmpty else { return }
        let i = pending.firstIndex { $0.at > t } ?? pending.count
        pending.insert((t, bytes), at: i)
    }

    private mutating func write(_ writes: [HostWrite]) {
        for w in writes {
            script.appendWrite(w.bytes, after: .milliseconds(now - lastStep))
            lastStep = now
            log.append((RunTime(milliseconds: now), .wrote(w)))
            schedule(encoder.receive(w.bytes), at: now + replyDelay.milliseconds)
        }
    }

    private mutating func deliver(_ bytes: [UInt8]) {
        script.appendRead(bytes, after: .milliseconds(now - lastStep))
        lastStep = now
        let events = decoder.decode(bytes)
        let time = RunTime(milliseconds: now)
        for e in events { log.append((time, .event(e))) }
        write(dialogue.received(events, at: time))
    }
}
