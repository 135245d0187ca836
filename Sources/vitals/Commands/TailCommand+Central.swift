import ArgumentParser
import Central
import Foundation
import Store

extension TailCommand {
    /// `vitals tail --central URL`: the alerts of every room, from the central database, with
    /// the room's tail lines (the room's name is on each line and in each JSON object).
    func runCentral(url: String) throws {
        let endpoint: CentralEndpoint
        do { endpoint = try CentralEndpoint.parse(url) } catch { throw ValidationError(error.description) }
        let filter = CentralAlertFilter(rooms: Set(rooms), sessionID: sessionID, minimumPriority: try minimumPriority())
        let since = try self.since.map { try SinceExpression.parse($0, now: SessionClock.now()) }
        let feed = CentralAlertFeed(endpoint: endpoint, filter: filter)
        let (format, bell, noFollow) = (self.format, self.bell, self.noFollow)
        let print: @Sendable ([CentralAlertEventRecord]) -> Void = { records in
            let formatter = LocalTimeFormatter()
            for r in records {
                switch format {
                case .jsonl:
                    TerminalWriter.line(TerminalAlertLine.json(r.event, note: nil))
                case .text:
                    let e = r.event.event
                    let ring = bell && e.priority == .high && (e.event == .raised || e.event == .escalated)
                    TerminalWriter.line(TerminalAlertLine.text(r.event, note: nil, now: SessionClock.now(), formatter: formatter) + (ring ? "\u{07}" : ""))
                }
            }
        }
        let report: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("vitals: \($0)\n".utf8)) }
        try waitFor {
            if noFollow {
                let db = try await CentralDatabase.connect(endpoint)
                defer { Task { await db.close() } }
                try await db.requireSchema()
                print(try await feed.backlog(db, since: since).events)
                return
            }
            try await feed.follow(since: since, report: report, deliver: print)
        }
    }
}

extension StatusCommand {
    /// How long a room's forwarder may be silent before the board marks it not reporting: a few
    /// of the forwarder's heartbeats.
    static let centralStaleAfterMs: Int64 = 30_000

    /// `vitals status --central URL`: every room's board from the central database.
    func runCentral(url: String) throws {
        let endpoint: CentralEndpoint
        do { endpoint = try CentralEndpoint.parse(url) } catch { throw ValidationError(error.description) }
        let rooms = Set(self.rooms)
        let watch = self.watch
        try waitFor {
            let db = try await CentralDatabase.connect(endpoint)
            do {
                repeat {
                    let board = try await CentralBoard.read(db, rooms: rooms)
                    let lines = board.lines(now: SessionClock.now(), staleAfterMs: Self.centralStaleAfterMs, width: Self.width)
                    TerminalWriter.write((watch ? "\u{1B}[H\u{1B}[2J" : "") + lines.joined(separator: "\n") + "\n")
                    if watch { try await Task.sleep(for: .seconds(1)) }
                } while watch
            } catch {
                await db.close()
                throw error
            }
            await db.close()
        }
    }
}
