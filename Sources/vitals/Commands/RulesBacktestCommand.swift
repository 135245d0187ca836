import ArgumentParser
import Bridge
import Foundation
import RulesEngine
import Store
import VitalsCore

/// `vitals rules backtest --rules PATH --db FILE [--session ID]`: stored sessions through a rule
/// set, alerts per monitored hour beside the alerts recorded live.
///
/// Exit status: 0 when the report prints, 1 when the rules have errors or a session is unknown,
/// 2 when the rules cannot be read.
struct RulesBacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Re-run stored sessions through a rule set and compare the alarm load with what was recorded.",
        discussion: """
            For each rule: occurrences the rule set raises on the stored readings, and occurrences recorded live, \
            each per monitored hour (time with at least one device streaming). Sessions keep their own limits \
            (--limit overrides them); the dose falls at its recorded time.

            Example:
              vitals rules backtest --rules Rules/ketamine.yaml --db vitals.sqlite --limit spo2_low=88
            """
    )

    @Option(help: ArgumentHelp("Rule file or folder to try.", valueName: "PATH"))
    var rules: String

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("session"), help: ArgumentHelp("Only this session (repeatable; default: every session).", valueName: "ID"))
    var sessions: [Int64] = []

    @Option(name: .customLong("limit"), help: ArgumentHelp("Override a limit in every session (repeatable).", valueName: "NAME=VALUE"))
    var limits: [String] = []

    @Option(help: "Output format: text or jsonl (one JSON object per rule).")
    var format: OutputFormat = .text

    func validate() throws {
        _ = try LimitArguments.parse(limits)
    }

    func run() throws {
        let set: RuleSet
        do {
            set = try RuleSet.load(path: rules)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(error.isUnreadable ? 2 : 1)
        }
        let overrides: [String: Double]
        do {
            overrides = try LimitArguments.validated(limits, against: set)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let report: BacktestReport
        do {
            let backtest = try Backtest(rules: set, limits: overrides)
            report = try backtest.run(database: try database.open(), sessions: sessions.isEmpty ? nil : sessions)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        for line in Self.lines(report, rules: rules, format: format) { print(line) }
    }

    /// The report as text lines or JSON lines.
    static func lines(_ report: BacktestReport, rules: String, format: OutputFormat) -> [String] {
        let totals = report.totals
        let hours = Double(report.monitoredMilliseconds) / 3_600_000
        switch format {
        case .jsonl:
            return totals.map { r in
                var j = JSONObjectWriter()
                j.add("rule", r.rule)
                j.add("priority", r.priority?.rawValue)
                j.add("kind", r.kind?.rawValue)
                j.add("backtest", Int64(r.backtest))
                j.add("backtest_per_hour", number: r.backtestPerHour.map(round2))
                j.add("recorded", Int64(r.recorded))
                j.add("recorded_per_hour", number: r.recordedPerHour.map(round2))
                j.add("monitored_hours", number: round2(hours))
                j.add("sessions", Int64(report.sessions.count))
                return j.line
            }
        case .text:
            var out = ["Backtest of \(rules): \(report.sessions.count) session(s), \(fixed(hours)) monitored hours"]
            for s in report.sessions where !s.ignoredLimits.isEmpty {
                out.append("  session \(s.sessionID): its limits \(s.ignoredLimits.joined(separator: ", ")) are not in this rule set or outside its ranges (ignored: the rule defaults ran)")
            }
            out.append("rule".padding(toLength: 24, withPad: " ", startingAt: 0) + "priority  " + "backtest    /h  " + "recorded    /h")
            for r in totals {
                out.append(
                    r.rule.padding(toLength: 24, withPad: " ", startingAt: 0)
                        + (r.priority?.rawValue ?? "-").padding(toLength: 8, withPad: " ", startingAt: 0)
                        + pad(String(r.backtest), 10) + pad(r.backtestPerHour.map(fixed) ?? "-", 6)
                        + pad(String(r.recorded), 10) + pad(r.recordedPerHour.map(fixed) ?? "-", 6))
            }
            let b = totals.reduce(0) { $0 + $1.backtest }, rec = totals.reduce(0) { $0 + $1.recorded }
            out.append(
                "total".padding(toLength: 32, withPad: " ", startingAt: 0)
                    + pad(String(b), 10) + pad(hours > 0 ? fixed(Double(b) / hours) : "-", 6)
                    + pad(String(rec), 10) + pad(hours > 0 ? fixed(Double(rec) / hours) : "-", 6))
            return out
        }
    }

    static func round2(_ v: Double) -> Double { (v * 100).rounded() / 100 }
    static func fixed(_ v: Double) -> String { String(format: "%.2f", v) }
    static func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
}
