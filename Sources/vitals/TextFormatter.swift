import DeviceProtocols
import VitalsCore

/// Readable one-line renderings of events for `--format text`.
enum TextFormatter {
    static func line(for timed: ScriptPlayback.TimedEvent, device: String, epochMilliseconds: Int64, waveforms: Bool) -> String? {
        let at = Timestamp.iso8601(milliseconds: epochMilliseconds + timed.time.milliseconds)
        let clock = String(at.dropFirst(11).prefix(12))
        let pad = device.padding(16)
        switch timed.event {
        case .reading(let r):
            var value = ""
            JSONObjectWriter.appendNumber(r.value, to: &value)
            let flags = r.flags.isEmpty ? "" : "  [" + r.flags.names.joined(separator: ",") + "]"
            return "\(clock)  \(pad)  \(r.metric.name.padding(10)) \(value) \(r.metric.displayUnit)\(flags)"
        case .status(let s):
            var text = "\(clock)  \(pad)  status \(s.kind.rawValue)"
            if let m = s.metric { text += " \(m.name)" }
            if let c = s.code { text += " code=\(c)" }
            if !s.detail.isEmpty { text += ": \(s.detail)" }
            if let o = s.byteOffset { text += " (byte \(o))" }
            return text
        case .waveform(let w):
            guard waveforms else { return nil }
            return "\(clock)  \(pad)  \(w.metric.name) \(w.samples.count) samples"
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
