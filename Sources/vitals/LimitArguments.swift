import ArgumentParser

/// `--limit NAME=VALUE` arguments.
enum LimitArguments {
    /// The limits by name; a usage error names the bad argument.
    static func parse(_ args: [String]) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for a in args {
            let parts = a.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let v = Double(parts[1]), v.isFinite else {
                throw ValidationError("--limit '\(a)' is not NAME=VALUE (for example spo2_low=88)")
            }
            out[parts[0]] = v
        }
        return out
    }
}
