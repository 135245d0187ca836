import Store
import VitalsCore

extension RoomDaemon {
    /// Carries out what other processes asked of this room (`vitals ack`, `vitals nibp start`).
    func runCommands(at now: RunTime) {
        let commands: [DaemonCommand]
        do {
            commands = try database.pendingCommands(room: configuration.room)
        } catch {
            log.error("cannot read pending commands: \(error)")
            return
        }
        for command in commands {
            let result = carryOut(command, at: now)
            do {
                _ = try database.completeCommand(id: command.id, at: clock.wallClock(at: now), result: result)
            } catch {
                log.error("cannot record the result of command \(command.id): \(error)")
            }
        }
    }

    func carryOut(_ command: DaemonCommand, at now: RunTime) -> DaemonCommandResult {
        switch command.kind {
        case .ack:
            guard let occurrence = command.occurrence, let by = command.by else {
                return DaemonCommandResult(outcome: .failed, message: "the acknowledgement names no alert occurrence or person")
            }
            guard command.sessionID == nil || command.sessionID == session?.id else {
                return DaemonCommandResult(outcome: .ignored, message: "the alert belongs to a session this room no longer runs")
            }
            guard engine != nil else {
                return DaemonCommandResult(outcome: .failed, message: "vitals run has no rules loaded")
            }
            let events = pipeline.acknowledge(occurrence: occurrence, by: by, at: now)
            guard !events.isEmpty else {
                return DaemonCommandResult(outcome: .ignored, message: "the alert is no longer raised; nothing to acknowledge")
            }
            log.info("alert \(command.rule ?? "?") acknowledged by \(by)")
            return DaemonCommandResult(outcome: .applied, message: "acknowledged by \(by)")
        case .nibpStart:
            let cuffs = ports.values.filter { $0.nibp != nil && $0.port != nil }
            guard !cuffs.isEmpty else {
                return DaemonCommandResult(outcome: .failed, message: "no blood-pressure module the bridge can drive is attached in this room")
            }
            for cuff in cuffs { cuff.nibp?.request() }
            return DaemonCommandResult(outcome: .applied, message: "measurement requested on \(cuffs.map(\.name).sorted().joined(separator: ", "))")
        }
    }
}
