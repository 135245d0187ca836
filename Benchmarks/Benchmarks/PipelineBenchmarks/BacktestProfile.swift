import Bridge
import Foundation
import RulesEngine
import Store

/// `--backtest-db`: figure 8's work in process (no `vitals` spawn), for perf and callgrind.
enum BacktestProfile {
    static func run(rulesPath: String, database path: String, workers: Int?) throws {
        let rules = try RuleSet.load(path: rulesPath)
        let database = try VitalsDatabase(path: path)
        var report: BacktestReport?
        let seconds = try Stopwatch.seconds {
            report = try Backtest(rules: rules).run(database: database, workers: workers)
        }
        let raised = report?.totals.reduce(0) { $0 + $1.backtest } ?? 0
        progress("backtest: \(report?.sessions.count ?? 0) sessions in \(String(format: "%.2f", seconds)) s, \(raised) alerts raised")
    }
}
