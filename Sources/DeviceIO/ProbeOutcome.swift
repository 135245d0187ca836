import DeviceProtocols

/// What ``ProfileProber`` concluded: the one profile that decodes cleanly, or none.
public struct ProbeOutcome: Sendable {
    /// The profile, or `nil` when no profile, or more than one, decoded cleanly.
    public var profile: (any DeviceProfile.Type)?
    /// Every candidate's result, in the order tried.
    public var candidates: [ProbeCandidateResult]

    /// An outcome.
    public init(profile: (any DeviceProfile.Type)?, candidates: [ProbeCandidateResult]) {
        self.profile = profile
        self.candidates = candidates
    }

    /// One line for `vitals devices` and the log.
    public var summary: String {
        let clean = candidates.filter(\.isClean)
        if let profile, let result = clean.first(where: { $0.profileID == profile.id }) {
            return "only \(result) decoded cleanly"
        }
        if clean.count > 1 {
            return "ambiguous: \(clean.map(\.profileID).joined(separator: ", ")) all decoded cleanly; assign it in a devices file"
        }
        let received = candidates.map(\.statistics.bytes).max() ?? 0
        return received == 0
            ? "no bytes received (a device that only answers commands cannot be probed; assign it in a devices file)"
            : "no profile decoded the \(received) bytes received cleanly"
    }
}
