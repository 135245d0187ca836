import VitalsCore

/// The host's side of a GE S/5 / CARESCAPE computer-interface session
/// (reference/protocols-multiparameter.md 2.5, [SPEC] CI 3 and 5):
///
/// - on open: the displayed-values request for the basic class every `interval` (5 s by default,
///   the spec's minimum; "requests need to be sent only once"), with DRI level 0 as in the spec's
///   examples; and, when `requestAlarms`, the alarm request "enter differential mode" (CARESCAPE
///   at interface level 10 or more; other monitors ignore it [INFERRED]);
/// - when no record came for 2 x interval + 5 s: the request again with DRI level 11, 10, 9, 8, 7,
///   then 0, in turn (the reference's safe behaviour for the conflicting level reports, G-2,
///   [INFERRED]);
/// - on close: stop displayed values (interval 0) and exit differential mode.
public struct GES5Dialogue: HostDialogue {
    /// Seconds between displayed-values records (5...32767).
    public let interval: Int
    /// Whether to ask for the monitor's alarm status.
    public let requestAlarms: Bool
    /// The levels tried in turn when the monitor stays silent.
    static let levels: [UInt8] = [0, 11, 10, 9, 8, 7]
    private var levelIndex = 0
    private var lastRequest: RunTime?
    private var lastRecord: RunTime?
    private var open = false

    /// A dialogue asking for displayed values every `interval` (clamped to 5...32767 s).
    public init(interval: Duration = .seconds(5), requestAlarms: Bool = true) {
        self.interval = Int(min(32767, max(5, interval.components.seconds)))
        self.requestAlarms = requestAlarms
    }

    private var silence: Duration { .seconds(2 * interval + 5) }

    public mutating func opened(at time: RunTime) -> [HostWrite] {
        open = true
        levelIndex = 0
        lastRecord = nil
        lastRequest = time
        var out = [displayed(level: Self.levels[0])]
        if requestAlarms {
            out.append(HostWrite("alarm request: enter differential mode", GES5Frame.frame(GES5Frame.alarmRequest(command: 2))))
        }
        return out
    }

    public mutating func received(_ events: [DecoderEvent], at time: RunTime) -> [HostWrite] {
        for e in events {
            switch e {
            case .reading, .waveform: lastRecord = time
            case .status(let s):
                // Only what a physiological record says counts as one: an alarm record (a
                // `device-alarm` with no metric) arrives even when the displayed-values request was
                // ignored (a DRI level the monitor does not answer, reference G-2).
                switch s.kind {
                case .syncLost, .syncAcquired, .info, .commandAccepted, .commandRejected, .associated,
                     .associationRefused, .associationDropped, .associationReleased, .fieldMalformed, .clockInvalid:
                    break
                case .deviceAlarm where s.metric == nil:
                    break
                case .valueMissing, .sensorOff, .sensorOn, .deviceAlarm, .deviceException, .measurementError,
                     .lowBattery, .progress, .valueImplausible:
                    lastRecord = time
                }
            }
        }
        return []
    }

    public var nextDeadline: RunTime? {
        guard open, let lastRequest else { return nil }
        return max(lastRequest, lastRecord ?? lastRequest).advanced(by: silence)
    }

    public mutating func tick(at time: RunTime) -> [HostWrite] {
        guard let due = nextDeadline, due <= time else { return [] }
        levelIndex = (levelIndex + 1) % Self.levels.count
        lastRequest = time
        return [displayed(level: Self.levels[levelIndex], again: true)]
    }

    public mutating func request(_ command: HostCommand, at time: RunTime) -> [HostWrite]? {
        switch command {
        case .selectDataFormat, .startMeasurement, .requestResult, .abortMeasurement, .requestCuffPressure,
             .requestVersion, .openPort, .closePort:
            // The interface is read-only for these: NIBP cannot be started remotely.
            return nil
        }
    }

    public mutating func closing(at time: RunTime) -> [HostWrite] {
        guard open else { return [] }
        open = false
        var out = [HostWrite("stop displayed values", GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 0)))]
        if requestAlarms {
            out.append(HostWrite("alarm request: exit differential mode", GES5Frame.frame(GES5Frame.alarmRequest(command: 3))))
        }
        return out
    }

    public var summary: String {
        guard open else { return "closed" }
        if lastRecord == nil { return "waiting for displayed values (DRI level \(Self.levels[levelIndex]))" }
        return "displayed values every \(interval) s"
    }

    private func displayed(level: UInt8, again: Bool = false) -> HostWrite {
        HostWrite("displayed values every \(interval) s" + (again ? " (again, DRI level \(level))" : ""),
                  GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: Int16(interval), driLevel: level)))
    }
}
