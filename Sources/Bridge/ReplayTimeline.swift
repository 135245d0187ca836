import DeviceProtocols
import VitalsCore

/// Decodes several recorded streams and merges them into one time-ordered list of inputs, as
/// a room would have seen them: the virtual clock is each script's sum of delays.
public enum ReplayTimeline {
    /// Every input from every source, ordered by time; ties keep source order, then stream order.
    public static func inputs(of sources: [ReplaySource]) -> [TimedInput] {
        var all: [TimedInput] = []
        for source in sources {
            var decoder = source.profile.makeDecoder()
            all.append(TimedInput(time: .zero, device: source.device, input: .connection(.connecting)))
            var streaming = false
            for timed in ScriptPlayback.events(of: source.script, decoder: &decoder) {
                if !streaming {
                    all.append(TimedInput(time: timed.time, device: source.device, input: .connection(.streaming)))
                    streaming = true
                }
                all.append(TimedInput(time: timed.time, device: source.device, input: .decoded(timed.event)))
            }
        }
        return stableSortedByTime(all)
    }

    static func stableSortedByTime(_ items: [TimedInput]) -> [TimedInput] {
        items.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
    }
}
