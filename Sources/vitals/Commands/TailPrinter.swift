import Store
import VitalsCore

/// Prints `vitals tail`'s events, each line written out at once.
struct TailPrinter {
    let database: VitalsDatabase
    let format: OutputFormat
    let bell: Bool
    let formatter = LocalTimeFormatter()

    /// Prints `events` in order.
    func print(_ events: [StoredAlertEvent]) {
        for e in events {
            let note = e.event.event == .acknowledged ? self.note(for: e) : nil
            switch format {
            case .jsonl:
                TerminalWriter.line(TerminalAlertLine.json(e, note: note))
            case .text:
                let ring = bell && e.event.priority == .high && (e.event.event == .raised || e.event.event == .escalated)
                TerminalWriter.line(TerminalAlertLine.text(e, note: note, now: SessionClock.now(), formatter: formatter) + (ring ? "\u{07}" : ""))
            }
        }
    }

    /// The note of the completed `ack` command behind an acknowledgement (same alert, same
    /// person), if it had one.
    func note(for e: StoredAlertEvent) -> String? {
        guard let acks = try? database.acknowledgements(alert: e.alertID) else { return nil }
        return acks.last { $0.isCompleted && $0.by == e.event.by }?.note
    }
}
