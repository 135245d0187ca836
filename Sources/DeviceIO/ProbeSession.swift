import DeviceProtocols
import VitalsCore

/// One probe of one port, sans-IO: bytes and time in, the serial setting to listen with, the
/// bytes to write (only with `--probe-active`) and the decision out. No descriptor, thread or
/// clock inside: ``ProfileProber/probe(path:plan:)`` is its shell, and the tests drive it on a
/// virtual clock.
///
/// Under each setting of the ``ProbePlan`` every candidate decoder reads the same bytes at once.
/// The probe stops as soon as exactly one candidate decodes cleanly and every other candidate at
/// that setting is ruled out (it found no frame in ``Timing/ruleOutBytes`` bytes, or its frames
/// are mostly bad or skipped): more bytes could not make a second candidate clean. Bytes and bad
/// frames before a candidate's first valid frame are its lead-in (the probe starts mid-frame)
/// and are not held against it, up to ``Timing/maximumLeadIn`` bytes.
///
/// A setting is left after ``Timing/listen`` when nothing there is promising, or after
/// ``Timing/extended`` when something was; a silent line with an answering candidate (and
/// `--probe-active`) gets that profile's harmless request and ``Timing/reply`` to answer.
public struct ProbeSession: Sendable {
    /// What the shell must do next.
    public enum Action: Sendable {
        /// (Re)configure the port with these settings, discard what it buffered, and read.
        case listen(SerialSettings)
        /// Write a profile's identification request (only with `--probe-active`, only to a silent line).
        case write([UInt8], label: String)
        /// The probe is over: close the port.
        case finished(ProbeOutcome)
    }

    /// How long the probe listens.
    public struct Timing: Sendable, Hashable {
        /// Under one setting, when no candidate is promising (long enough for a device that
        /// sends one record a second, Nonin DF8, to show the two records its decoder locks on).
        public var listen: Duration = .seconds(2)
        /// Under one setting, when a candidate has found frames but not yet enough.
        public var extended: Duration = .seconds(5)
        /// For the reply to an identification request.
        public var reply: Duration = .seconds(1)
        /// A candidate that found no frame in this many bytes is ruled out (longer than two of
        /// the longest line or frame a streaming profile sends).
        public var ruleOutBytes = 256
        /// ... or that rejected this many frames or lines before finding one.
        public var ruleOutBadFrames = 2
        /// ... or that skipped this many bytes before finding one (more than one frame or line).
        public var ruleOutSkippedBytes = 128
        /// The most lead-in a winner may have: more than this before its first frame is noise.
        public var maximumLeadIn = 512

        /// The defaults.
        public init() {}
    }

    /// One candidate's decoder on the current setting's bytes.
    struct Listener {
        let profile: any DeviceProfile.Type
        var decoder: any DeviceDecoder
        /// Statistics at the end of the first valid frame (everything before it is lead-in).
        var leadIn: DecoderStatistics?
        var readings = 0
    }

    /// The plan followed.
    public let plan: ProbePlan
    /// What decodes cleanly.
    public let criteria: ProfileProber.Criteria
    /// How long to listen.
    public let timing: Timing
    private var step = -1
    private var stepStart = RunTime.zero
    private var probeStart: RunTime?
    private var firstByte: RunTime?
    private var listeners: [Listener] = []
    private var sample: [UInt8] = []
    private var askedAt: RunTime?
    private var results: [ProbeCandidateResult] = []
    private var shapes: [(settings: SerialSettings, shape: ByteShape)] = []
    /// The decision, once made.
    public private(set) var outcome: ProbeOutcome?

    /// A probe that will follow `plan`.
    public init(plan: ProbePlan, criteria: ProfileProber.Criteria = ProfileProber.Criteria(), timing: Timing = Timing()) {
        self.plan = plan
        self.criteria = criteria
        self.timing = timing
    }

    /// The setting being listened to, if any.
    public var currentSettings: SerialSettings? {
        plan.steps.indices.contains(step) && outcome == nil ? plan.steps[step].settings : nil
    }

    /// Starts the probe at `time`.
    public mutating func start(at time: RunTime) -> [Action] {
        probeStart = time
        return next(at: time)
    }

    /// Bytes read under the current setting at `time`.
    public mutating func received(_ bytes: [UInt8], at time: RunTime) -> [Action] {
        guard outcome == nil, step >= 0, !bytes.isEmpty else { return [] }
        if firstByte == nil { firstByte = time }
        if sample.count < 4096 { sample.append(contentsOf: bytes.prefix(4096 - sample.count)) }
        for i in listeners.indices { Self.feed(bytes, to: &listeners[i]) }
        if let winner = decisive() { return finish(winner, at: time) }
        // Nothing here can decode these bytes: the next setting, without waiting out the window.
        // (Judged on enough bytes to be sure, and to say what they look like.)
        if sample.count >= timing.ruleOutSkippedBytes, listeners.allSatisfy({ isRuledOut($0) }) {
            closeStep()
            return next(at: time)
        }
        return []
    }

    /// Time passed: a setting's listening time may be over.
    public mutating func tick(at time: RunTime) -> [Action] {
        guard outcome == nil, step >= 0, let deadline = nextDeadline, time >= deadline else { return [] }
        // A silent line with an answering candidate: ask once, when allowed.
        if askedAt == nil, plan.active, sample.isEmpty {
            var out: [Action] = []
            for l in listeners {
                guard case .answers(let command, _) = l.profile.probeBehaviour else { continue }
                var dialogue = l.profile.makeDialogue()
                for w in dialogue.request(command, at: time) ?? [] {
                    out.append(.write(w.bytes, label: "\(l.profile.id): \(w.label)"))
                }
            }
            if !out.isEmpty {
                askedAt = time
                return out
            }
        }
        let clean = listeners.filter { isClean($0) }
        if clean.count == 1 { return finish(clean[0], at: time) }
        closeStep()
        if clean.count > 1 { return done(nil, at: time) }
        return next(at: time)
    }

    /// When ``tick(at:)`` has something to do.
    public var nextDeadline: RunTime? {
        guard outcome == nil, step >= 0 else { return nil }
        if let askedAt { return askedAt.advanced(by: timing.reply) }
        let promising = listeners.contains { isClean($0) || isPromising($0) }
        return stepStart.advanced(by: promising ? timing.extended : timing.listen)
    }

    // MARK: - Judging

    private static func feed(_ bytes: [UInt8], to listener: inout Listener) {
        var events: [DecoderEvent] = []
        if listener.leadIn == nil {
            // Byte by byte until the first frame, so the lead-in ends exactly there.
            for (i, b) in bytes.enumerated() {
                listener.decoder.decode([b], into: &events)
                if listener.decoder.statistics.frames > 0 {
                    var lead = listener.decoder.statistics
                    lead.frames = 0
                    listener.leadIn = lead
                    listener.decoder.decode(Array(bytes[(i + 1)...]), into: &events)
                    break
                }
            }
        } else {
            listener.decoder.decode(bytes, into: &events)
        }
        listener.readings += events.count { if case .reading = $0 { true } else { false } }
    }

    /// The statistics after the lead-in.
    private func judged(_ l: Listener) -> DecoderStatistics {
        var s = l.decoder.statistics
        guard let lead = l.leadIn else { return s }
        s.bytes -= lead.bytes
        s.badFrames -= lead.badFrames
        s.skippedBytes -= lead.skippedBytes
        return s
    }

    private func isClean(_ l: Listener) -> Bool {
        guard let lead = l.leadIn, lead.bytes <= timing.maximumLeadIn else { return false }
        // A device that answers only when asked sends one reply: that reply, to its own
        // identification request on a line that was silent, is the evidence.
        var answered = false
        if askedAt != nil, case .answers = l.profile.probeBehaviour { answered = true }
        return withinRatios(judged(l), frames: answered ? 1 : criteria.minimumFrames)
    }

    private func withinRatios(_ s: DecoderStatistics, frames needed: Int) -> Bool {
        if s.frames < needed { return false }
        let bad = Double(s.badFrames) / Double(max(1, s.frames + s.badFrames))
        let skipped = Double(s.skippedBytes) / Double(max(1, s.bytes))
        return bad <= criteria.maximumBadFrameRatio && skipped <= criteria.maximumSkippedByteRatio
    }

    /// Found a frame and not yet ruled out: more bytes could make it clean.
    private func isPromising(_ l: Listener) -> Bool {
        guard let lead = l.leadIn, lead.bytes <= timing.maximumLeadIn else { return false }
        let s = judged(l)
        // Until it has been judged on enough frames, a bad start is not yet a verdict.
        if s.frames + s.badFrames < criteria.minimumFrames + 2 { return true }
        return withinRatios(s, frames: 0)
    }

    private func isRuledOut(_ l: Listener) -> Bool {
        if l.leadIn == nil {
            let s = l.decoder.statistics
            return s.bytes >= timing.ruleOutBytes || s.badFrames >= timing.ruleOutBadFrames
                || s.skippedBytes >= timing.ruleOutSkippedBytes
        }
        return !isClean(l) && !isPromising(l)
    }

    /// The one clean candidate, when no other can catch up: every other one either found no
    /// frame at all in the bytes where the clean one found its frames (two framings do not both
    /// hold in one stream; a twin decoder finds frames too and so blocks the decision), or
    /// found some and is ruled out by its bad and skipped counts.
    private func decisive() -> Listener? {
        let clean = listeners.filter { isClean($0) }
        guard clean.count == 1 else { return nil }
        let others = listeners.filter { $0.profile.id != clean[0].profile.id }
        return others.allSatisfy { $0.leadIn == nil || isRuledOut($0) } ? clean[0] : nil
    }

    // MARK: - Steps

    private mutating func closeStep() {
        guard plan.steps.indices.contains(step) else { return }
        let settings = plan.steps[step].settings
        for l in listeners {
            results.append(ProbeCandidateResult(
                profileID: l.profile.id, settings: settings, statistics: l.decoder.statistics,
                readings: l.readings, isClean: isClean(l)))
        }
        if let shape = ByteShape.recognise(sample) { shapes.append((settings, shape)) }
    }

    private mutating func next(at time: RunTime) -> [Action] {
        step += 1
        guard plan.steps.indices.contains(step) else { return done(nil, at: time) }
        stepStart = time
        askedAt = nil
        sample = []
        listeners = plan.steps[step].candidates.map { Listener(profile: $0, decoder: $0.makeDecoder()) }
        return [.listen(plan.steps[step].settings)]
    }

    private mutating func finish(_ winner: Listener, at time: RunTime) -> [Action] {
        closeStep()
        return done(winner.profile, at: time)
    }

    private mutating func done(_ profile: (any DeviceProfile.Type)?, at time: RunTime) -> [Action] {
        let start = probeStart ?? time
        let o = ProbeOutcome(
            profile: profile, candidates: results,
            settings: profile?.serial,
            elapsed: time.since(start), sinceFirstByte: firstByte.map { time.since($0) },
            shapes: shapes.map { "bytes at \($0.settings) look like \($0.shape)" },
            notProbed: plan.notProbed)
        outcome = o
        return [.finished(o)]
    }
}
