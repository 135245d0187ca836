import VitalsCore

/// The backtest's pipeline output: keeps the alert events, ignores the rest.
final class BacktestCollector: PipelineOutput {
    var events: [AlertEvent] = []

    func alert(_ event: AlertEvent) { events.append(event) }
}
