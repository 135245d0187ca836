import VitalsCore

/// The host's side of an IntelliVue Data Export session (reference/protocols-multiparameter.md
/// 1.6, state machine [INFERRED from DEC x3]):
///
/// `opened` -> association request, repeated every `associationRetry` (2 s, mdpnp) until the
/// monitor answers -> on `associated`, wait for the MDS create event report (at most
/// `mdsTimeout`, 10 s, mindleaving; then abort and start over) -> answer it (invoke id and
/// managed object echoed, its event time as current_time, as example P2) and start extended
/// polls of numerics (object 6, all groups) and alerts (0x36, NOM_ATTR_GRP_AL_MON), each for
/// `pollPeriod` (60 s) and re-issued every `repoll` (50 s, before the period ends: the
/// reference's practical rule 1.16 [INFERRED]); with POLL_EXT_PERIOD_NU_1SEC agreed the monitor
/// sends numerics about once a second -> a keep-alive (single poll of the alert monitor, group
/// VMO_STATIC, 1.10.4) whenever nothing was sent for `keepAlive` (4 s; the monitor's time-out is
/// 10 s for our 312.5 ms min poll period, mdpnp [DEC], P-4) -> any other confirmed event report
/// is answered -> no message from the monitor for `dataTimeout` (15 s, LNhealth) means the
/// association is gone: start over.
///
/// Refused: try again after `refusedRetry` (10 s; engineering choice). Aborted or released by
/// the monitor: start over after `associationRetry`. `closing` sends the release request when an
/// association is open (mdpnp, mindleaving).
///
/// The decoder's statuses (`associated`, `association-refused`, `association-dropped`) are what
/// the room turns into a technical alert; this dialogue only decides what to write.
public struct IntelliVueDialogue: HostDialogue {
    /// Phases of the session.
    public enum Phase: String, Sendable {
        case closed, associating, waitingForMDS = "waiting for MDS create", associated, refused, releasing
    }

    public var associationRetry: Duration = .seconds(2)
    public var mdsTimeout: Duration = .seconds(10)
    public var refusedRetry: Duration = .seconds(10)
    public var pollPeriod: Duration = .seconds(60)
    public var repoll: Duration = .seconds(50)
    public var keepAlive: Duration = .seconds(4)
    public var dataTimeout: Duration = .seconds(15)

    /// Where the session is.
    public private(set) var phase: Phase = .closed
    private var phaseSince = RunTime.zero
    private var lastSent = RunTime.zero
    private var lastReceived = RunTime.zero
    private var nextPoll: RunTime?
    private var invoke: UInt16 = 0
    private var pollNumber: UInt16 = 0

    /// A dialogue before the port opens.
    public init() {}

    private typealias M = IntelliVueMessage

    public mutating func opened(at time: RunTime) -> [HostWrite] {
        associate(at: time)
    }

    private mutating func associate(at time: RunTime) -> [HostWrite] {
        enter(.associating, at: time)
        nextPoll = nil
        lastReceived = time
        return [write("association request", M.associationRequest, at: time)]
    }

    private mutating func enter(_ p: Phase, at time: RunTime) {
        phase = p
        phaseSince = time
    }

    private mutating func write(_ label: String, _ userData: [UInt8], at time: RunTime) -> HostWrite {
        lastSent = time
        return HostWrite(label, IntelliVueFrame.frame(userData))
    }

    private mutating func nextInvoke() -> UInt16 {
        invoke &+= 1
        return invoke
    }

    private mutating func polls(at time: RunTime) -> [HostWrite] {
        nextPoll = time.advanced(by: repoll)
        let period = UInt32(pollPeriod.components.seconds * 8000)
        var out: [HostWrite] = []
        for (object, group, label) in [(M.numericObject, M.groupAll, "extended poll: numerics"),
                                       (M.alertObject, M.groupAlertMonitor, "extended poll: alerts")] {
            pollNumber &+= 1
            let i = nextInvoke()
            out.append(write(label, M.extendedPollRequest(invoke: i, poll: pollNumber, object: object, group: group, period: period), at: time))
        }
        return out
    }

    public mutating func received(_ events: [DecoderEvent], at time: RunTime) -> [HostWrite] {
        guard phase != .closed else { return [] }
        var out: [HostWrite] = []
        for e in events {
            guard case .status(let s) = e else {
                lastReceived = time
                continue
            }
            switch s.kind {
            case .syncLost, .syncAcquired:
                continue
            case .associated:
                if phase == .associating { enter(.waitingForMDS, at: time) }
            case .associationRefused:
                enter(.refused, at: time)
            case .associationDropped:
                if phase != .releasing { enter(.associating, at: time); phaseSince = time; lastSent = time }
                nextPoll = nil
            case .associationReleased:
                enter(.closed, at: time)
                nextPoll = nil
            case .info:
                if let r = IntelliVueEventReport(detail: s.detail), phase == .waitingForMDS || phase == .associated {
                    if r.eventType == M.mdsCreate {
                        out.append(write("MDS create event result", M.mdsCreateResult(invoke: r.invoke, object: r.object, time: r.time), at: time))
                        if phase == .waitingForMDS {
                            enter(.associated, at: time)
                            out += polls(at: time)
                        }
                    } else {
                        out.append(write("event report result", M.eventReportResult(invoke: r.invoke, object: r.object, time: r.time, eventType: r.eventType), at: time))
                    }
                }
            case .valueMissing, .sensorOff, .sensorOn, .deviceAlarm, .deviceException, .measurementError, .lowBattery,
                 .commandAccepted, .commandRejected, .progress, .valueImplausible, .fieldMalformed, .clockInvalid:
                break
            }
            lastReceived = time
        }
        return out
    }

    public var nextDeadline: RunTime? {
        switch phase {
        case .closed: return nil
        case .associating: return lastSent.advanced(by: associationRetry)
        case .waitingForMDS: return phaseSince.advanced(by: mdsTimeout)
        case .refused: return phaseSince.advanced(by: refusedRetry)
        case .releasing: return phaseSince.advanced(by: .seconds(3))
        case .associated:
            return [nextPoll, lastSent.advanced(by: keepAlive), lastReceived.advanced(by: dataTimeout)].compactMap { $0 }.min()
        }
    }

    public mutating func tick(at time: RunTime) -> [HostWrite] {
        guard let due = nextDeadline, due <= time else { return [] }
        switch phase {
        case .closed:
            return []
        case .associating, .refused:
            return associate(at: time)
        case .waitingForMDS:
            let abort = write("abort (no MDS create event report)", M.abort, at: time)
            return [abort] + associate(at: time)
        case .releasing:
            enter(.closed, at: time)
            return []
        case .associated:
            if lastReceived.advanced(by: dataTimeout) <= time {
                return associate(at: time)
            }
            if let p = nextPoll, p <= time { return polls(at: time) }
            pollNumber &+= 1
            let i = nextInvoke()
            return [write("keep-alive (single poll of the alert monitor)",
                          M.singlePollRequest(invoke: i, poll: pollNumber, object: M.alertObject, group: M.groupVMOStatic), at: time)]
        }
    }

    public mutating func request(_ command: HostCommand, at time: RunTime) -> [HostWrite]? {
        switch command {
        case .selectDataFormat, .startMeasurement, .requestResult, .abortMeasurement, .requestCuffPressure,
             .requestVersion, .openPort, .closePort:
            // The export is read-only: an NBP cannot be started remotely (VSCaptureMP #7).
            return nil
        }
    }

    public mutating func closing(at time: RunTime) -> [HostWrite] {
        switch phase {
        case .associated, .waitingForMDS:
            enter(.releasing, at: time)
            nextPoll = nil
            return [write("release request", M.releaseRequest, at: time)]
        case .closed, .associating, .refused, .releasing:
            enter(.closed, at: time)
            return []
        }
    }

    public var summary: String {
        switch phase {
        case .associated: "associated, numerics and alerts polled (extended, \(pollPeriod.components.seconds) s periods)"
        case .refused: "association refused by the monitor, retrying every \(refusedRetry.components.seconds) s"
        case .closed, .associating, .waitingForMDS, .releasing: phase.rawValue
        }
    }
}
