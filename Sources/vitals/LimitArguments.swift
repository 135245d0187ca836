import Foundation
import ArgumentParser
import RulesEngine

/// `--limit NAME=VALUE` arguments.
enum LimitArguments {
    /// The limits by name; a usage error names the bad argument.
    static func parse(_ args: [String]) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for a in args {
            let parts = a.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let v = Double(parts[1]) else {
                throw ValidationError("--limit '\(a)' is not NAME=VALUE (for example spo2_low=88)")
            }
            out[parts[0]] = v
        }
        return out
    }

    /// The limits by name, each accepted by `rules` (`RuleSet.validate(limits:)`): the same
    /// check and messages for `session start`, `replay` and `rules backtest`.
    static func validated(_ args: [String], against rules: RuleSet) throws -> [String: Double] {
        let validation = rules.validate(limits: try parse(args))
        guard validation.isValid else { throw LimitsRefused(refusals: validation.refusals) }
        return validation.accepted
    }
}

/// `--limit` values the rule set refuses; exits 1 with one line a refusal.
struct LimitsRefused: Error, CustomStringConvertible {
    var refusals: [LimitRefusal]

    var description: String {
        refusals.map { "--limit \($0.name)=\($0.givenText) refused: \($0.reasonText)" }.joined(separator: "\n")
    }
}
