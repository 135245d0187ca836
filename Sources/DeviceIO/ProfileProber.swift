import DeviceProtocols
import Glibc
import VitalsCore

/// Identifies the device behind an unassigned adapter by listening to it: its bytes, read under
/// each serial setting of a ``ProbePlan``, go through every candidate decoder at that setting at
/// once (``ProbeSession``); the profile is chosen only when exactly one decodes them cleanly.
///
/// Probing is passive by default: nothing is written to the port (a command meant for one device
/// could change the settings of another). A device that only speaks when asked is probed only
/// with `--probe-active`, and only when its profile declares a harmless identification request
/// (``ProbeBehaviour/answers(request:why:)``); others must be assigned in the devices file.
public struct ProfileProber: Sendable {
    /// What "decodes cleanly" means.
    public struct Criteria: Sendable, Hashable {
        /// Fewest valid frames.
        public var minimumFrames: Int
        /// Largest share of bad frames among all frames seen (bad / (valid + bad)).
        public var maximumBadFrameRatio: Double
        /// Largest share of the bytes skipped while hunting for frames (a partial first frame
        /// is normal: the probe starts mid-stream).
        public var maximumSkippedByteRatio: Double

        /// Criteria; the defaults ask for 3 frames, at most 10 % bad frames and 10 % skipped bytes.
        public init(minimumFrames: Int = 3, maximumBadFrameRatio: Double = 0.1, maximumSkippedByteRatio: Double = 0.1) {
            self.minimumFrames = minimumFrames
            self.maximumBadFrameRatio = maximumBadFrameRatio
            self.maximumSkippedByteRatio = maximumSkippedByteRatio
        }
    }

    /// Bytes read from the port under one profile's settings.
    public struct Sample: Sendable {
        /// The profile whose settings the bytes were read with.
        public var profile: any DeviceProfile.Type
        /// The bytes, in order.
        public var bytes: [UInt8]

        /// A sample.
        public init(profile: any DeviceProfile.Type, bytes: [UInt8]) {
            self.profile = profile
            self.bytes = bytes
        }
    }

    /// What decodes cleanly.
    public var criteria: Criteria

    /// A prober.
    public init(criteria: Criteria = Criteria()) {
        self.criteria = criteria
    }

    /// Runs each sample through its profile's decoder and picks the single clean one.
    public func evaluate(_ samples: [Sample]) -> ProbeOutcome {
        var results: [ProbeCandidateResult] = []
        var clean: [any DeviceProfile.Type] = []
        for sample in samples {
            var decoder = sample.profile.makeDecoder()
            let events = decoder.decode(sample.bytes)
            let statistics = decoder.statistics
            let readings = events.count { if case .reading = $0 { true } else { false } }
            let isClean = isClean(statistics)
            results.append(ProbeCandidateResult(
                profileID: sample.profile.id, settings: sample.profile.serial, statistics: statistics,
                readings: readings, isClean: isClean
            ))
            if isClean, !clean.contains(where: { $0.id == sample.profile.id }) { clean.append(sample.profile) }
        }
        return ProbeOutcome(profile: clean.count == 1 ? clean[0] : nil, candidates: results)
    }

    /// True when `statistics` meet the criteria.
    public func isClean(_ statistics: DecoderStatistics) -> Bool {
        guard statistics.frames >= criteria.minimumFrames else { return false }
        let badRatio = Double(statistics.badFrames) / Double(statistics.frames + statistics.badFrames)
        let skipRatio = Double(statistics.skippedBytes) / Double(max(1, statistics.bytes))
        return badRatio <= criteria.maximumBadFrameRatio && skipRatio <= criteria.maximumSkippedByteRatio
    }

    /// Probes `path` by following `plan` with a ``ProbeSession`` on the monotonic clock: the port
    /// is opened under each setting in turn (what it buffered before is discarded), every
    /// candidate at that setting judges the same bytes, and the probe ends at the first decisive
    /// result. Writes only what the session asks (a harmless identification request, with
    /// `--probe-active`, to a silent line). The port is closed again afterwards.
    public func probe(
        path: String, plan: ProbePlan, timing: ProbeSession.Timing = ProbeSession.Timing()
    ) throws(SerialPortError) -> ProbeOutcome {
        var session = ProbeSession(plan: plan, criteria: criteria, timing: timing)
        let origin = ContinuousClock.now
        func now() -> RunTime { RunTime(milliseconds: origin.duration(to: ContinuousClock.now).milliseconds) }
        var port: SerialPort?
        defer { port?.close() }
        var pending = session.start(at: now())
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            for action in pending {
                switch action {
                case .listen(let settings):
                    port?.close()
                    port = try SerialPort.open(path, settings: settings)
                    // Bytes read under another candidate's settings must not count for this one.
                    port?.discardInput()
                case .write(let bytes, _):
                    try port?.write(bytes)
                case .finished(let outcome):
                    return outcome
                }
            }
            pending = []
            guard let open = port, let fd = open.fileDescriptor else {
                throw SerialPortError(path: path, cause: .closed)
            }
            let wait = session.nextDeadline.map { max(1, $0.milliseconds - now().milliseconds) } ?? 100
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, Int32(clamping: wait)) > 0 {
                let (count, code): (Int, Int32) = open.withDescriptor { fd in
                    let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                    return (n, n < 0 ? errno : Int32(0))
                } ?? (0, Int32(0))
                if count > 0 {
                    pending += session.received(Array(buffer[0..<count]), at: now())
                } else if count == 0 || (code != EAGAIN && code != EINTR) {
                    // EOF or EIO: the device went away while listening.
                    throw SerialPortError(path: path, cause: .noSuchDevice)
                }
            }
            pending += session.tick(at: now())
        }
    }
}
