import DeviceProtocols
import Glibc
import VitalsCore

/// Identifies the device behind an unassigned adapter by listening to it: its first seconds of
/// bytes, read under each candidate profile's serial settings, go through that profile's
/// decoder; the profile is chosen only when exactly one decoder decodes them cleanly.
///
/// Probing is passive: nothing is written to the port (a command meant for one device could
/// change the settings of another). A device that only speaks when asked (SunTech, A&D) sends
/// nothing and cannot be probed; assign it in the devices file.
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

    /// Opens `path` once for each distinct serial setting among `candidates`, listens for
    /// `duration` each time, and evaluates the bytes. The port is closed again afterwards.
    public func probe(
        path: String, candidates: [any DeviceProfile.Type], listeningFor duration: Duration = .seconds(3)
    ) throws(SerialPortError) -> ProbeOutcome {
        var bytesBySettings: [SerialSettings: [UInt8]] = [:]
        var samples: [Sample] = []
        for profile in candidates {
            if bytesBySettings[profile.serial] == nil {
                bytesBySettings[profile.serial] = try Self.listen(path: path, settings: profile.serial, for: duration)
            }
            samples.append(Sample(profile: profile, bytes: bytesBySettings[profile.serial] ?? []))
        }
        return evaluate(samples)
    }

    /// Everything the port sends within `duration` under `settings`.
    static func listen(path: String, settings: SerialSettings, for duration: Duration) throws(SerialPortError) -> [UInt8] {
        let port = try SerialPort.open(path, settings: settings)
        defer { port.close() }
        // Bytes read under another candidate's settings must not count for this one.
        port.discardInput()
        let deadline = ContinuousClock.now.advanced(by: duration)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero, let fd = port.fileDescriptor else { break }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(clamping: max(1, left.milliseconds))) > 0 else { continue }
            let (count, code): (Int, Int32) = port.withDescriptor { fd in
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                return (n, n < 0 ? errno : Int32(0))
            } ?? (0, Int32(0))
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (code != EAGAIN && code != EINTR) {
                // EOF or EIO: the device went away while listening.
                throw SerialPortError(path: path, cause: .noSuchDevice)
            }
        }
        return received
    }
}
