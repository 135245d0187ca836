/// A receiver's answer to one message: MSA-1, MSA-2 and its text (MSA-3, else ERR-8).
public struct HL7Acknowledgement: Sendable, Hashable {
    public enum Code: String, Sendable, Hashable {
        /// Application accept (or commit accept): delivered.
        case accept
        /// Application error: retried with backoff.
        case error
        /// Application reject: retried a bounded number of times, then parked.
        case reject
    }

    public var code: Code
    public var controlID: String
    public var text: String

    /// Parses an ACK; `nil` when it has no MSA segment with a known code.
    public init?(_ message: String) {
        let segments = message.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).map(String.init)
        guard let msh = segments.first, msh.hasPrefix("MSH"), msh.count > 4 else { return nil }
        let separator = msh[msh.index(msh.startIndex, offsetBy: 3)]
        guard let msa = segments.first(where: { $0.hasPrefix("MSA" + String(separator)) }) else { return nil }
        let fields = msa.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard fields.count > 2 else { return nil }
        switch fields[1] {
        case "AA", "CA": code = .accept
        case "AE", "CE": code = .error
        case "AR", "CR": code = .reject
        default: return nil
        }
        controlID = fields[2]
        var text = fields.count > 3 ? fields[3] : ""
        if text.isEmpty, let err = segments.first(where: { $0.hasPrefix("ERR" + String(separator)) }) {
            let e = err.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            text = e.count > 8 && !e[8].isEmpty ? e[8] : (e.count > 3 ? e[3] : err)
        }
        self.text = text
    }
}
