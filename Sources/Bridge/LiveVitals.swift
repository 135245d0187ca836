import Synchronization
import VitalsCore

/// The latest value of each metric and the alerts so far, collected from a pipeline for a live
/// display (the demo). Readable from any thread.
public final class LiveVitals: PipelineOutput, Sendable {
    /// What the display shows.
    public struct Snapshot: Sendable {
        /// The latest valid reading per metric.
        public var latest: [Metric: Observation] = [:]
        /// The run time of the newest input.
        public var time: RunTime = .zero
        /// Alert rules firing now, with their latest event.
        public var active: [String: AlertEvent] = [:]
        /// Every alert event so far, in order.
        public var events: [AlertEvent] = []
        /// Connection state per device.
        public var devices: [String: ConnectionState] = [:]
    }

    private let state = Mutex(Snapshot())
    private let onAlert: @Sendable (AlertEvent) -> Void

    /// A collector; `onAlert` runs for each alert event as it happens.
    public init(onAlert: @escaping @Sendable (AlertEvent) -> Void = { _ in }) {
        self.onAlert = onAlert
    }

    /// What has been seen so far.
    public var snapshot: Snapshot { state.withLock { $0 } }

    public func reading(_ o: Observation) {
        guard o.flags.isPhysiologicallyValid else { return }
        state.withLock {
            $0.latest[o.metric] = o
            $0.time = max($0.time, o.time)
        }
    }

    public func deviceEvent(_ e: DeviceInput, device: String, time: RunTime, hostTime: Int64) {
        guard case .connection(let c) = e else { return }
        state.withLock { $0.devices[device] = c }
    }

    public func alert(_ e: AlertEvent) {
        state.withLock {
            $0.events.append(e)
            if e.event == .cleared { $0.active[e.rule] = nil } else { $0.active[e.rule] = e }
        }
        onAlert(e)
    }
}
