import Foundation
import RulesEngine
import Store
import VitalsCore

/// The rule set a stored session is judged with, found again from what `session start`
/// recorded (`SessionPlan.rulesPath` and `rulesSHA256`): the same file while it still has that
/// hash; else the file as it is now, saying that it changed; else (no file, or a session that
/// recorded none) the fallback path. `session show` and `session end` read the REMS windows and
/// the limits from it.
public struct SessionRules: Sendable {
    /// How the set was found.
    public enum Status: Sendable, Hashable {
        /// The recorded file, unchanged since the session started.
        case recorded(path: String, sha256: String)
        /// The recorded file, edited since: `now` is its hash today.
        case changed(path: String, recorded: String, now: String)
        /// The session recorded no rule set (automatic sessions, older rows): `path` was used.
        case notRecorded(path: String)
        /// No rule set could be loaded (`path`, `reason`); REMS windows fall back to
        /// `REMSWindows.standard` and only the session's own limits count.
        case unavailable(path: String, reason: String)
    }

    /// The rule set, when one loaded.
    public var ruleSet: RuleSet?
    /// How it was found.
    public var status: Status

    /// A resolved set.
    public init(ruleSet: RuleSet?, status: Status) {
        self.ruleSet = ruleSet
        self.status = status
    }

    /// The rules of `session`; `fallbackPath` when it recorded none.
    public static func resolve(for session: SessionRecord, fallbackPath: String) -> SessionRules {
        let path = session.plan.rulesPath ?? fallbackPath
        let set: RuleSet
        do {
            set = try RuleSet.load(path: path)
        } catch {
            let reason = error.problems.first.map { "\($0.message)" } ?? "cannot be loaded"
            return SessionRules(ruleSet: nil, status: .unavailable(path: path, reason: reason))
        }
        let now = set.source?.sha256 ?? ""
        guard let recorded = session.plan.rulesSHA256, session.plan.rulesPath != nil else {
            return SessionRules(ruleSet: set, status: .notRecorded(path: path))
        }
        if recorded == now { return SessionRules(ruleSet: set, status: .recorded(path: path, sha256: now)) }
        return SessionRules(ruleSet: set, status: .changed(path: path, recorded: recorded, now: now))
    }

    /// The REMS windows in force: the set's, else the standard ones.
    public var windows: REMSWindows { ruleSet?.rems ?? .standard }

    /// The number limits the session is judged against at discharge: the set's defaults with
    /// the session's own overrides that the set accepts (durations are not vital-sign bounds and
    /// are left out). Without a set, the session's own limits.
    public func dischargeLimits(for session: SessionRecord) -> [String: Double] {
        guard let ruleSet else { return session.plan.limits }
        var out: [String: Double] = [:]
        for l in ruleSet.limits where !l.isDuration { out[l.name] = l.defaultValue }
        for (name, value) in ruleSet.validate(limits: session.plan.limits).accepted where ruleSet.limit(named: name)?.isDuration == false {
            out[name] = value
        }
        return out
    }

    /// The session's stored overrides the set refuses (each says why and what runs instead).
    public func refusedOverrides(for session: SessionRecord) -> [LimitRefusal] {
        ruleSet?.validate(limits: session.plan.limits).refusals ?? []
    }

    /// One line for `session show`/`end`: which rules, and whether they are the recorded ones.
    public var text: String {
        switch status {
        case let .recorded(path, sha):
            "Rules: \(path) (sha256 \(sha.prefix(12)), as recorded at session start)"
        case let .changed(path, recorded, now):
            "Rules: \(path) CHANGED since the session started (sha256 \(recorded.prefix(12)) then, \(now.prefix(12)) now); "
                + "REMS windows and limits below are the file's current ones"
        case let .notRecorded(path):
            "Rules: \(path) (the session recorded no rule set; using this one)"
        case let .unavailable(path, reason):
            "Rules: \(path) cannot be loaded (\(reason)); REMS windows are the standard ones"
        }
    }
}
