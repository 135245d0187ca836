import Foundation
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

    /// What `AlertFollower.poll` found.
    func print(_ update: AlertFollower.Update) {
        switch update {
        case let .events(events):
            print(events)
        case let .monitoring(room, state):
            monitoring(room: room, state: state, at: SessionClock.now())
        case let .readFailed(message):
            FileHandle.standardError.write(Data("vitals: \(message); retrying\n".utf8))
        case .readingAgain:
            FileHandle.standardError.write(Data("vitals: reading the database again\n".utf8))
        }
    }

    /// The first line: what is followed, and whether each room is monitored
    /// ("Following room 2 in /var/lib/vitals/vitals.sqlite: monitoring since 09:14:02").
    func following(path: String, rooms: [(room: String, state: MonitoringState)]) {
        switch format {
        case .jsonl:
            for r in rooms { monitoring(room: r.room, state: r.state, at: SessionClock.now()) }
        case .text:
            let what = rooms.isEmpty
                ? "every room (none has recorded yet)"
                : rooms.map { "room \($0.room), \(stateText($0.state))" }.joined(separator: "; ")
            TerminalWriter.line(TerminalStyle.dim("Following \(what) in \(path)."))
        }
    }

    /// A room stopped or resumed being monitored: loud when it stopped.
    func monitoring(room: String, state: MonitoringState, at: Int64) {
        switch format {
        case .jsonl:
            var w = JSONObjectWriter()
            w.add("type", "monitoring")
            w.add("at", Timestamp.iso8601(milliseconds: at))
            w.add("room", room)
            w.add("monitoring", state.isMonitoring)
            switch state {
            case let .monitoring(since), let .stopped(since): w.add("since", Timestamp.iso8601(milliseconds: since))
            case .never: w.add("since", nil as String?)
            }
            TerminalWriter.line(w.line)
        case .text:
            let line = "\(formatter.time(at))  \(room.padded(10))  room \(room): \(stateText(state))"
            TerminalWriter.line(state.isMonitoring ? line : TerminalStyle.colour(line, .high) + (bell ? "\u{07}" : ""))
        }
    }

    func stateText(_ state: MonitoringState) -> String {
        switch state {
        case .monitoring: state.text(formatter)
        case .stopped: state.text(formatter) + " (no heartbeat from `vitals run`)"
        case .never: state.text(formatter)
        }
    }

    /// The note of the completed `ack` command behind an acknowledgement (same alert, same
    /// person), if it had one.
    func note(for e: StoredAlertEvent) -> String? {
        guard let acks = try? database.acknowledgements(alert: e.alertID) else { return nil }
        return acks.last { $0.isCompleted && $0.by == e.event.by }?.note
    }
}
