import VitalsCore

/// The host's side of the Contec V7.0 session (reference/protocols-multiparameter.md 3.7, [SPEC]):
/// `A1` (start real-time data) when the port opens, `AF` (keep-alive) every `keepAliveInterval`
/// ("send once per 5 s", [SPEC]), `A1` again when no real-time data came for `restartAfter` (the
/// device stops streaming on its own without keep-alives, [DEC]), and `A2` (stop) on close.
public struct ContecV7Dialogue: HostDialogue {
    /// Time between keep-alives.
    public var keepAliveInterval: Duration
    /// Silence after which the start command is sent again (engineering choice: the spec's own
    /// "1 second" reply timeout is for request/answer pairs, and a stream can pause briefly).
    public var restartAfter: Duration
    private var nextKeepAlive: RunTime?
    private var lastData: RunTime?
    private var lastStart: RunTime?
    private var open = false

    /// A dialogue before the port opens.
    public init(keepAliveInterval: Duration = .seconds(5), restartAfter: Duration = .seconds(5)) {
        self.keepAliveInterval = keepAliveInterval
        self.restartAfter = restartAfter
    }

    public mutating func opened(at time: RunTime) -> [HostWrite] {
        open = true
        lastData = nil
        lastStart = time
        nextKeepAlive = time.advanced(by: keepAliveInterval)
        return [start("start real-time data (A1)")]
    }

    public mutating func received(_ events: [DecoderEvent], at time: RunTime) -> [HostWrite] {
        for e in events {
            switch e {
            case .reading, .waveform: lastData = time
            case .status: break
            }
        }
        return []
    }

    public mutating func tick(at time: RunTime) -> [HostWrite] {
        guard open else { return [] }
        var out: [HostWrite] = []
        if let due = restartDue, due <= time {
            lastStart = time
            out.append(start("start real-time data again (A1, no data for \(restartAfter.components.seconds) s)"))
        }
        if let k = nextKeepAlive, k <= time {
            out.append(HostWrite(ContecV7Packet.Command.keepAlive.label, ContecV7Packet.command(.keepAlive)))
            nextKeepAlive = time.advanced(by: keepAliveInterval)
        }
        return out
    }

    private var restartDue: RunTime? {
        guard open, let lastStart else { return nil }
        let from = max(lastStart, lastData ?? lastStart)
        return from.advanced(by: restartAfter)
    }

    public var nextDeadline: RunTime? {
        guard open else { return nil }
        return [nextKeepAlive, restartDue].compactMap { $0 }.min()
    }

    public mutating func request(_ command: HostCommand, at time: RunTime) -> [HostWrite]? {
        switch command {
        case .requestVersion:
            return [HostWrite(ContecV7Packet.Command.deviceIdentifiers.label, ContecV7Packet.command(.deviceIdentifiers))]
        case .selectDataFormat, .startMeasurement, .requestResult, .abortMeasurement, .requestCuffPressure, .openPort, .closePort:
            return nil
        }
    }

    public mutating func closing(at time: RunTime) -> [HostWrite] {
        guard open else { return [] }
        open = false
        return [HostWrite(ContecV7Packet.Command.stopRealTime.label, ContecV7Packet.command(.stopRealTime))]
    }

    public var summary: String {
        guard open else { return "closed" }
        return lastData == nil ? "waiting for real-time data" : "streaming, keep-alive every \(keepAliveInterval.components.seconds) s"
    }

    private func start(_ label: String) -> HostWrite {
        HostWrite(label, ContecV7Packet.command(.startRealTime))
    }
}
