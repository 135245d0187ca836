import Foundation
@preconcurrency import Rainbow
import VitalsCore

#if canImport(Glibc)
import Glibc
#endif

/// Colour for the clinicians' terminal: priorities in IEC 60601-1-8's colours (high red,
/// medium yellow, low cyan), through Rainbow.
///
/// `--color=always|never` decides outright. Otherwise (`auto`) colour is on only when stdout is a
/// terminal, `TERM` is not `dumb` and `NO_COLOR` is absent or empty (no-color.org: any non-empty
/// value, "0" included, turns it off; Rainbow alone would treat "0" as unset); `FORCE_COLOR`
/// (non-empty, not "0") turns it on even into a pipe.
enum TerminalStyle {
    /// Decides once, at the start of a command before any concurrency (Rainbow's switches are
    /// plain globals), whether to colour, and returns the decision.
    @discardableResult
    static func configure(
        _ mode: ColourMode = .auto, environment: [String: String] = ProcessInfo.processInfo.environment,
        isTerminal: Bool = isatty(STDOUT_FILENO) == 1
    ) -> Bool {
        let on = decide(mode, environment: environment, isTerminal: isTerminal)
        Rainbow.enabled = on
        Rainbow.outputTarget = on ? .console : .unknown
        return on
    }

    /// Whether to colour, without side effects (tested in `TerminalStyleTests`).
    static func decide(_ mode: ColourMode, environment: [String: String], isTerminal: Bool) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto:
            let force = environment["FORCE_COLOR"].map { !$0.isEmpty && $0 != "0" } ?? false
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            let dumb = environment["TERM"] == "dumb"
            return force || (!noColor && !dumb && isTerminal)
        }
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

    /// A banner that must not be missed: bold white on red, or the plain text without colour.
    static func banner(_ text: String) -> String { text.white.onRed.bold }

    /// Bold text (headers), or plain text without colour.
    static func bold(_ text: String) -> String { text.bold }

    /// Dimmed text (secondary details), or plain text without colour.
    static func dim(_ text: String) -> String { text.dim }
}
