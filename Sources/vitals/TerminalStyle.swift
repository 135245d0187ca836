import Foundation
@preconcurrency import Rainbow
import VitalsCore

#if canImport(Glibc)
import Glibc
#endif

/// Colour for the clinicians' terminal: priorities in IEC 60601-1-8's colours (high red,
/// medium yellow, low cyan), through Rainbow.
///
/// Colour is on only when stdout is a terminal and `NO_COLOR` is absent or empty
/// (no-color.org: any non-empty value, "0" included, turns it off; Rainbow alone would treat
/// "0" as unset). `FORCE_COLOR` (non-empty, not "0") turns it on even into a pipe.
enum TerminalStyle {
    /// Decides once, at the start of a command before any concurrency (Rainbow's switches are
    /// plain globals), whether to colour, and returns the decision.
    @discardableResult
    static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        let force = environment["FORCE_COLOR"].map { !$0.isEmpty && $0 != "0" } ?? false
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let on = force || (!noColor && isatty(STDOUT_FILENO) == 1)
        Rainbow.enabled = on
        Rainbow.outputTarget = on ? .console : .unknown
        return on
    }

    /// `HIGH  `, `MEDIUM`, `LOW   ` padded to six columns, then coloured (padding first, so that
    /// columns line up whether or not colour is on).
    static func priorityTag(_ p: AlertPriority) -> String {
        let text: String = switch p {
        case .high: "HIGH  "
        case .medium: "MEDIUM"
        case .low: "LOW   "
        }
        return colour(text, p)
    }

    /// `text` in the colour of priority `p` (bold red for high).
    static func colour(_ text: String, _ p: AlertPriority) -> String {
        switch p {
        case .high: text.red.bold
        case .medium: text.yellow
        case .low: text.cyan
        }
    }

    /// Dimmed text (secondary details), or plain text without colour.
    static func dim(_ text: String) -> String { text.dim }
}
