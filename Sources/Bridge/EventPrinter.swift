import DeviceProtocols
import Store
import VitalsCore

/// Prints pipeline events as lines, in text or JSON lines. Alerts always print; readings,
/// statuses and waveforms only when asked for.
public final class EventPrinter: PipelineOutput {
    /// What to print beside alerts.
    public struct Options: Sendable {
        /// Readings.
        public var readings: Bool
        /// Device statuses (missing values, sensor off, sync lost, command replies).
        public var statuses: Bool
        /// Waveform batches.
        public var waveforms: Bool
        /// Connection changes and commands sent.
        public var deviceEvents: Bool

        /// Options.
        public init(readings: Bool = false, statuses: Bool = false, waveforms: Bool = false, deviceEvents: Bool = false) {
            self.readings = readings
            self.statuses = statuses
            self.waveforms = waveforms
            self.deviceEvents = deviceEvents
        }
    }

    private let format: EventFormat
    private let options: Options
    private let write: (String) -> Void
    private let flushOutput: () -> Void

    /// A printer that hands each line to `write` and calls `flush` at the end.
    public init(format: EventFormat, options: Options, write: @escaping (String) -> Void, flush: @escaping () -> Void = {}) {
        self.format = format
        self.options = options
        self.write = write
        self.flushOutput = flush
    }

    public func reading(_ o: Observation) {
        guard options.readings else { return }
        switch format {
        case .jsonl: write(o.jsonLine)
        case .text: write(TextLines.reading(o))
        }
    }

    public func status(_ s: DeviceStatus, device: String, time: RunTime, hostTime: Int64) {
        guard options.statuses else { return }
        switch format {
        case .jsonl: write(s.jsonLine(time: time, hostTime: hostTime, device: device))
        case .text: write(TextLines.status(s, device: device, hostTime: hostTime))
        }
    }

    public func waveform(_ w: Waveform, device: String, time: RunTime, hostTime: Int64) {
        guard options.waveforms else { return }
        let timed = ScriptPlayback.TimedEvent(time: time, event: .waveform(w))
        switch format {
        case .jsonl:
            if let line = ScriptPlayback.line(for: timed, device: device, epochMilliseconds: hostTime - time.milliseconds, waveforms: true) {
                write(line)
            }
        case .text:
            write("\(TextLines.clock(hostTime))  \(device.padded(16))  \(w.metric.name) \(w.samples.count) samples")
        }
    }

    public func deviceEvent(_ event: DeviceInput, device: String, time: RunTime, hostTime: Int64) {
        guard options.deviceEvents else { return }
        switch format {
        case .jsonl: write(TextLines.deviceEventJSON(event, device: device, time: time, hostTime: hostTime))
        case .text: write(TextLines.deviceEvent(event, device: device, hostTime: hostTime))
        }
    }

    public func alert(_ e: AlertEvent) { alert(e, storage: nil) }

    /// An alert the room committed before showing it; one whose commit did not complete within
    /// the bound is marked, so a clinician knows the record may lack it for now
    /// (`"stored":false,"storage":"…"` in JSON lines, `[not yet stored: …]` in text).
    public func alert(_ e: AlertEvent, storage: AlertStorage?) {
        var pending: AlertStoragePending?
        if case .pending(let p) = storage { pending = p }
        switch format {
        case .jsonl:
            var line = e.jsonLine
            if let pending, line.hasSuffix("}") {
                var w = JSONObjectWriter()
                w.add("storage", pending.description)
                line = String(line.dropLast()) + ",\"stored\":false," + String(w.line.dropFirst())
            }
            write(line)
        case .text:
            write(TextLines.alert(e) + (pending.map { "  [\($0)]" } ?? ""))
        }
    }

    public func finish() { flushOutput() }
}
