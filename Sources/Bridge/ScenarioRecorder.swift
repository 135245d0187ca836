import DeviceProtocols
import VitalsCore

/// Writes a simulated device's stream as a fixture (umockdev script), with device time as the
/// script's delays: what `vitals simulate --record` and the scenario fixtures use.
///
/// Command-driven devices (SunTech) are recorded with the host's side too: the recorder plays
/// the host, asking for a measurement every `nibpInterval` and for the result when the device
/// says it is complete, so the script is a full dialogue that replays under umockdev.
public enum ScenarioRecorder {
    /// Records `duration` of `device`'s output.
    public static func record(
        _ device: inout SimulatedDevice, duration: Duration, nibpInterval: Duration = .seconds(300),
        comments: [String] = []
    ) -> UmockdevScript {
        var script = UmockdevScript(comments: comments)
        var lastOperation = Duration.zero
        let profile = device.profile
        var host = HostDialogue(profile: profile, interval: nibpInterval)
        while device.now < duration {
            let start = device.now
            for command in host.due(at: start) {
                if let bytes = profile.bytes(for: command) {
                    script.appendWrite(bytes, after: start - lastOperation)
                    lastOperation = start
                    let reply = device.receive(bytes)
                    if !reply.isEmpty {
                        script.appendRead(reply, after: .zero)
                        host.heard(reply, at: start)
                    }
                }
            }
            let (_, chunks, _) = device.nextPeriod()
            for chunk in chunks where !chunk.bytes.isEmpty {
                let at = start + chunk.offset
                script.appendRead(chunk.bytes, after: at - lastOperation)
                lastOperation = at
                host.heard(chunk.bytes, at: at)
            }
        }
        return script
    }
}

/// The host's side of a command-driven device during recording: start a measurement on
/// schedule, ask for the result once the device reports completion.
struct HostDialogue {
    let profile: any DeviceProfile.Type
    let interval: Duration
    var nextStart: Duration = .zero
    var resultWanted = false
    var decoder: any DeviceDecoder

    init(profile: any DeviceProfile.Type, interval: Duration) {
        self.profile = profile
        self.interval = interval
        self.decoder = profile.makeDecoder()
    }

    var commandDriven: Bool { profile.bytes(for: .requestResult) != nil }

    mutating func due(at t: Duration) -> [HostCommand] {
        guard commandDriven else { return [] }
        var out: [HostCommand] = []
        if resultWanted {
            out.append(.requestResult)
            resultWanted = false
        }
        if t >= nextStart, profile.bytes(for: .startMeasurement) != nil {
            out.append(.startMeasurement)
            nextStart = t + interval
        }
        return out
    }

    /// Watches the device's bytes for "measurement complete".
    mutating func heard(_ bytes: [UInt8], at t: Duration) {
        guard commandDriven else { return }
        for event in decoder.decode(bytes) {
            if case .status(let s) = event, profile.reportsMeasurementComplete(s) {
                resultWanted = true
            }
        }
    }
}
