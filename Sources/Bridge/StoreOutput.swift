import Store
import VitalsCore

/// Sends the pipeline's output to the room's single database writer: every reading, waveform
/// chunks, alert events, connection changes and commands, and device statuses worth keeping.
///
/// A missing value is stored once when a run of them starts (not three times a second), and
/// NIBP cuff-pressure progress is not stored: both are noise in the device-event log.
public final class StoreOutput: PipelineOutput {
    private let writer: ReadingWriter
    private var previousState: [String: ConnectionState] = [:]
    private var missing: Set<MissingKey> = []
    private let closeOnFinish: Bool
    /// What closing the writer did with its data (set by `finish()` when it closes the writer):
    /// log it, and exit non-zero unless `isComplete`.
    public private(set) var closeSummary: WriterCloseSummary?

    private struct MissingKey: Hashable {
        var device: String
        var metric: Metric?
    }

    /// An output to `writer`; `finish()` closes the writer when `closeOnFinish` is true.
    public init(writer: ReadingWriter, closeOnFinish: Bool = true) {
        self.writer = writer
        self.closeOnFinish = closeOnFinish
    }

    public func attached(_ identity: DeviceIdentity, hostTime: Int64) { writer.register(identity, at: hostTime) }

    public func reading(_ o: Observation) {
        writer.append(o)
        if !missing.isEmpty { missing.remove(MissingKey(device: o.device, metric: o.metric)) }
    }

    public func waveform(_ w: Waveform, device: String, time: RunTime, hostTime: Int64) {
        writer.append(w, device: device, at: hostTime)
    }

    public func status(_ s: DeviceStatus, device: String, time: RunTime, hostTime: Int64) {
        switch s.kind {
        case .progress:
            return
        case .valueMissing:
            guard missing.insert(MissingKey(device: device, metric: s.metric)).inserted else { return }
        default:
            break
        }
        writer.record(DeviceEvent(status: s, device: device, at: hostTime))
    }

    public func deviceEvent(_ e: DeviceInput, device: String, time: RunTime, hostTime: Int64) {
        switch e {
        case .connection(let state):
            let previous = previousState.updateValue(state, forKey: device)
            if let event = DeviceEvent(connection: state, previous: previous, device: device, at: hostTime) {
                writer.record(event)
            }
        case .commandSent(let name):
            writer.record(DeviceEvent(device: device, at: hostTime, kind: .commandSent, detail: name))
        case .decoded:
            break
        }
    }

    public func alert(_ e: AlertEvent) { writer.record(e) }

    public func finish() {
        if closeOnFinish { closeSummary = writer.close() } else { _ = writer.flush() }
    }
}
