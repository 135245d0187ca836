import VitalsCore

/// Drives the device side of a umockdev script through a decoder on a virtual clock: each `r`
/// line's bytes arrive at the sum of the delays so far. Replay, fixtures and tests all use it, so
/// a fixture's expected output is exactly what `vitals replay --statuses --format jsonl` prints.
public struct ScriptPlayback: Sendable {
    /// An event and the virtual time its bytes arrived.
    public struct TimedEvent: Sendable, Hashable {
        /// Virtual time of the `r` line that completed the event.
        public var time: RunTime
        /// The decoded event.
        public var event: DecoderEvent

        /// An event at a time.
        public init(time: RunTime, event: DecoderEvent) {
            self.time = time
            self.event = event
        }
    }

    /// Every event the device side of `script` produces, in order.
    public static func events(of script: UmockdevScript, decoder: inout any DeviceDecoder) -> [TimedEvent] {
        var out: [TimedEvent] = []
        var clock = RunTime.zero
        var buffer: [DecoderEvent] = []
        for step in script.steps {
            switch step.operation {
            case .read(let delay, let bytes):
                clock = clock.advanced(by: delay)
                buffer.removeAll(keepingCapacity: true)
                decoder.decode(bytes, into: &buffer)
                for e in buffer { out.append(TimedEvent(time: clock, event: e)) }
            case .write(let delay, let bytes):
                clock = clock.advanced(by: delay)
                decoder.hostWrote(bytes)
            case .fuzz:
                break
            }
        }
        return out
    }

    /// The JSON lines `vitals replay --statuses --format jsonl` prints for one device: readings
    /// and statuses (waveform batches only when `waveforms` is true).
    public static func transcript(
        of script: UmockdevScript, profile: any DeviceProfile.Type, device: String? = nil,
        epochMilliseconds: Int64 = VirtualClock.defaultEpoch, waveforms: Bool = false
    ) -> [String] {
        var decoder = profile.makeDecoder()
        let name = device ?? profile.id
        return events(of: script, decoder: &decoder).compactMap { timed in
            line(for: timed, device: name, epochMilliseconds: epochMilliseconds, waveforms: waveforms)
        }
    }

    /// One event as a JSON line, or `nil` for a waveform batch when `waveforms` is false.
    public static func line(
        for timed: TimedEvent, device: String, epochMilliseconds: Int64, waveforms: Bool
    ) -> String? {
        let host = epochMilliseconds + timed.time.milliseconds
        switch timed.event {
        case .reading(let r):
            return Observation(reading: r, device: device, time: timed.time, hostTime: host).jsonLine
        case .status(let s):
            return s.jsonLine(time: timed.time, hostTime: host, device: device)
        case .waveform(let w):
            guard waveforms else { return nil }
            var j = JSONObjectWriter()
            j.add("type", "waveform")
            j.add("t", seconds: timed.time.seconds)
            j.add("at", Timestamp.iso8601(milliseconds: host))
            j.add("device", device)
            j.add("metric", w.metric.name)
            j.add("rate", number: w.sampleRate)
            j.add("samples", integers: w.samples)
            j.add("flags", w.flags.names)
            return j.line
        }
    }
}
