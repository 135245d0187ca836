import DeviceProtocols
import Store
import VitalsCore

extension RoomDaemon {
    /// Time-driven work, every `tickInterval` on the queue: quiet detection and reconnects,
    /// scheduled NIBP measurements, the session and command poll, and the rules' clock.
    func tick() {
        guard !stopping else { return }
        let now = clock.now()
        for port in ports.values {
            apply(port.machine.handle(.tick(at: now)), to: port)
            if !port.removed, port.machine.reopenDue(at: now) { open(port) }
            scheduleNIBP(port, at: now)
        }
        if now.since(lastPoll) >= .milliseconds(250) {
            lastPoll = now
            pollDatabase(at: now)
        }
        pipeline.advance(to: now)
    }

    /// Starts a cuff measurement when one is due.
    func scheduleNIBP(_ port: AttachedPort, at now: RunTime) {
        guard var schedule = port.nibp, port.machine.state == .streaming || port.machine.state == .connecting,
              port.port != nil, let reason = schedule.due(at: now, dose: doseRunTime)
        else { return }
        schedule.started(at: now, reason: reason, dose: doseRunTime)
        port.nibp = schedule
        send(.startMeasurement, to: port, why: reason.rawValue)
    }

    /// The dose on the run's clock, when the open session has one.
    var doseRunTime: RunTime? {
        session?.doseAt.map { clock.runTime(atWallClock: $0) }
    }

    /// Follows the session record (a session started or ended, the dose given) made by other
    /// processes (`vitals session ...`).
    func pollDatabase(at now: RunTime) {
        let current: SessionRecord?
        do {
            current = try database.openSession(room: configuration.room)
        } catch {
            log.error("cannot read the session record: \(error)")
            return
        }
        if current?.id != session?.id {
            if let current {
                log.info("session \(current.id) open in room \(configuration.room)\(current.autoOpened ? " (opened automatically)" : "")")
            }
            let limitsChanged = (current?.plan.limits ?? [:]) != (session?.plan.limits ?? [:])
            session = current
            // A clinician's session brings its own limits: rules start afresh under them.
            if limitsChanged || current?.autoOpened == false { pipeline = makePipeline() }
        } else if let current {
            session = current
        }
        runCommands(at: now)
        if let dose = session?.doseAt, doseApplied != dose {
            doseApplied = dose
            let at = min(clock.runTime(atWallClock: dose), now)
            log.info("dose recorded at \(Timestamp.iso8601(milliseconds: dose))")
            pipeline.doseGiven(at: at)
        }
    }
}
