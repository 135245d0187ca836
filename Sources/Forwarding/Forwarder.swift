import Foundation
import Logging
import Store

/// Moves each destination's rows out of the room database: reads the batch after the
/// destination's cursor, delivers it, and advances the cursor only once `deliver` returned.
///
/// Destinations run independently (a dead receiver never delays another destination). A
/// failed delivery is retried, with the same rows, after a backoff that doubles up to
/// `maxBackoff`. The forwarder only reads the room database (plus its own cursor and
/// dead-letter tables): nothing here can delay the room's alarm path, which runs in the daemon.
public final class Forwarder: Sendable {
    let database: VitalsDatabase
    let destinations: [any ForwardDestination]
    let configuration: ForwarderConfiguration
    let logger: Logger

    public init(
        database: VitalsDatabase, destinations: [any ForwardDestination], configuration: ForwarderConfiguration,
        logger: Logger
    ) {
        self.database = database
        self.destinations = destinations
        self.configuration = configuration
        self.logger = logger
    }

    /// Forwards what is pending to every destination and returns when all are caught up
    /// (`--once`). Throws `ForwardingError.gaveUp` when a destination made no progress for
    /// `giveUpAfter` seconds.
    public func runOnce() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for d in destinations {
                group.addTask { try await self.forward(to: d, follow: false) }
            }
            try await group.waitForAll()
        }
        for d in destinations { await d.close() }
    }

    /// Forwards and then follows new rows until the task is cancelled.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for d in destinations {
                group.addTask { try await self.forward(to: d, follow: true) }
            }
            try await group.waitForAll()
        }
        for d in destinations { await d.close() }
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    func forward(to destination: any ForwardDestination, follow: Bool) async throws {
        let key = destination.cursorKey
        var cursor = try database.forwardCursor(destination: key)
        var backoff = configuration.initialBackoff
        var lastProgress = ContinuousClock.now
        let monitor = follow ? try DatabaseChangeMonitor(path: database.path) : nil
        var lastTick = Self.nowMs()
        var lastRead: ContinuousClock.Instant?
        while !Task.isCancelled {
            // Following: read when another process committed (`PRAGMA data_version`, as `vitals
            // tail` does) or a period passed (an open period settles, alerts repeat).
            if let monitor, let last = lastRead, ContinuousClock.now - last < .milliseconds(configuration.readingPeriodMs),
               try !monitor.hasChanged() {
                try await Task.sleep(for: .seconds(configuration.pollInterval))
                continue
            }
            lastRead = .now
            let now = Self.nowMs()
            let batch = try database.forwardBatch(
                after: cursor, limit: destination.batchLimit ?? configuration.batchLimit, readingPeriodMs: configuration.readingPeriodMs,
                flush: !follow, now: follow ? now : nil)
            let timeTick = follow && !batch.activeAlerts.isEmpty && now - lastTick >= configuration.readingPeriodMs
            if batch.isEmpty && batch.through == cursor && !timeTick {
                if !follow { return }
                // Caught up: wait for another process's commit (or a period, for periodic messages).
                try await Task.sleep(for: .seconds(configuration.pollInterval))
                continue
            }
            var stamped = batch
            stamped.now = follow ? now : nil
            do {
                if !batch.isEmpty || timeTick {
                    try await destination.deliver(stamped)
                }
                lastTick = now
                if batch.through != cursor {
                    try database.saveForwardCursor(batch.through, destination: key, now: Self.nowMs())
                    logger.debug(
                        "delivered", metadata: ["destination": "\(key)", "readings": "\(batch.readings.count)",
                                                "alertEvents": "\(batch.alertEvents.count)"])
                    cursor = batch.through
                }
                backoff = configuration.initialBackoff
                lastProgress = .now
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let waited = ContinuousClock.now - lastProgress
                if !follow && waited > .seconds(configuration.giveUpAfter) {
                    throw ForwardingError.gaveUp(destination: key, seconds: Int(configuration.giveUpAfter), lastError: "\(error)")
                }
                logger.warning("delivery failed, retrying in \(backoff) s", metadata: ["destination": "\(key)", "error": "\(error)"])
                try await Task.sleep(for: .seconds(backoff))
                backoff = min(backoff * 2, configuration.maxBackoff)
            }
        }
    }
}
