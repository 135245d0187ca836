import DeviceProtocols

/// What ``ProfileProber`` concluded: the one profile that decodes cleanly, or none, with the
/// evidence (every candidate's counts, what the bytes looked like, what was not probed).
public struct ProbeOutcome: Sendable {
    /// The profile, or `nil` when no profile, or more than one, decoded cleanly.
    public var profile: (any DeviceProfile.Type)?
    /// Every candidate's result, in the order tried.
    public var candidates: [ProbeCandidateResult]
    /// The settings the profile was identified under.
    public var settings: SerialSettings?
    /// From the start of the probe to the decision (virtual or real time).
    public var elapsed: Duration?
    /// From the first byte received to the decision.
    public var sinceFirstByte: Duration?
    /// What undecoded bytes looked like, per setting (`bytes at 115200 8N1 look like the newer
    /// Contec protocol (...)`).
    public var shapes: [String]
    /// Profiles the probe could not listen for, and why.
    public var notProbed: [String]

    /// An outcome.
    public init(
        profile: (any DeviceProfile.Type)?, candidates: [ProbeCandidateResult], settings: SerialSettings? = nil,
        elapsed: Duration? = nil, sinceFirstByte: Duration? = nil, shapes: [String] = [], notProbed: [String] = []
    ) {
        self.profile = profile
        self.candidates = candidates
        self.settings = settings
        self.elapsed = elapsed
        self.sinceFirstByte = sinceFirstByte
        self.shapes = shapes
        self.notProbed = notProbed
    }

    /// One line for `vitals devices` and the log: the decision and its evidence.
    public var summary: String {
        let clean = candidates.filter(\.isClean)
        if let profile, let result = clean.first(where: { $0.profileID == profile.id }) {
            let ruledOut = candidates.filter { $0.settings.sameLine(as: result.settings) && $0.profileID != profile.id }.map(\.profileID)
            return "only \(result) decoded cleanly" + timing
                + (ruledOut.isEmpty ? "" : "; ruled out at \(result.settings): \(ruledOut.joined(separator: ", "))")
        }
        if clean.count > 1 {
            return "ambiguous: \(clean.map(\.profileID).joined(separator: ", ")) all decoded cleanly; assign it in a devices file"
        }
        let received = candidates.map(\.statistics.bytes).max() ?? 0
        var line = received == 0
            ? "no bytes received (a device that only answers commands cannot be probed; assign it in a devices file)"
            : "no profile decoded the \(received) bytes received cleanly"
        if !shapes.isEmpty { line += "; " + shapes.joined(separator: "; ") }
        if received == 0, !notProbed.isEmpty { line += "; not probed: " + notProbed.map { $0.split(separator: ":").first.map(String.init) ?? $0 }.joined(separator: ", ") }
        return line + timing
    }

    private var timing: String {
        guard let elapsed else { return "" }
        return " (in \(Self.seconds(elapsed))" + (sinceFirstByte.map { ", \(Self.seconds($0)) after the first bytes" } ?? "") + ")"
    }

    /// `1.25 s`.
    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return "\(Double(ms) / 1000) s"
    }
}
