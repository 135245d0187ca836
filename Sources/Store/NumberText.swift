/// Formats stored values for people: `97`, `1.25`, not `97.0`.
public enum NumberText {
    /// Whole numbers without a fraction, others to at most two decimals.
    public static func format(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        let r = (v * 100).rounded() / 100
        return "\(r)"
    }
}
