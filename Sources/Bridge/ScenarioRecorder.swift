import DeviceProtocols
import VitalsCore

/// Writes a simulated device's stream as a fixture (umockdev script), with device time as the
/// script's delays: what `vitals simulate --record` and the scenario fixtures use.
///
/// The host's side is the room itself: a ``RoomCore`` with the device attached plays the host,
/// so the script holds exactly the dialogue `vitals run` would have with the device (the
/// profile's commands on connect, and for a command-driven cuff a measurement every
/// `nibpInterval` and the result asked for when the cuff says it is complete). Every host write
/// is a `w` line and the device's answer follows it as an `r` line, so the script replays under
/// umockdev.
public enum ScenarioRecorder {
    /// Records `duration` of `device`'s output.
    public static func record(
        _ device: inout SimulatedDevice, duration: Duration, nibpInterval: Duration = .seconds(300),
        comments: [String] = []
    ) -> UmockdevScript {
        var script = UmockdevScript(comments: comments)
        var configuration = RoomCore.Configuration(room: "recording")
        configuration.nibpInterval = nibpInterval
        let room = RoomCore(configuration: configuration, rules: nil)
        var last = Duration.zero
        var pending: [RoomEffect] = []

        /// Feeds `input` at `at`, writing the host's bytes and the device's answers into the script.
        func feed(_ input: RoomInput, at: Duration) {
            pending = room.handle(input, at: RunTime(milliseconds: at.milliseconds), wall: at.milliseconds)
            while !pending.isEmpty {
                let effects = pending
                pending = []
                for effect in effects {
                    switch effect {
                    case .open(let handle, _, _):
                        pending += room.handle(.opened(handle), at: RunTime(milliseconds: at.milliseconds), wall: at.milliseconds)
                    case .write(let handle, let bytes):
                        script.appendWrite(bytes, after: at - last)
                        last = at
                        let reply = device.receive(bytes)
                        if !reply.isEmpty {
                            script.appendRead(reply, after: .zero)
                            pending += room.handle(.bytes(handle, reply), at: RunTime(milliseconds: at.milliseconds), wall: at.milliseconds)
                        }
                    case .close, .probe, .emit, .completeCommand, .log:
                        break
                    }
                }
            }
        }

        let identity = DeviceIdentity(profile: device.profile.id, name: device.profile.id, port: "simulated")
        feed(.attach(identity, profile: device.profile, path: "simulated", why: "recording"), at: .zero)
        let handle = PortHandle(device: identity.name, generation: 1)
        while device.now < duration {
            let start = device.now
            feed(.tick, at: start)
            let (_, chunks, _) = device.nextPeriod()
            for chunk in chunks where !chunk.bytes.isEmpty {
                let at = start + chunk.offset
                script.appendRead(chunk.bytes, after: at - last)
                last = at
                feed(.bytes(handle, chunk.bytes), at: at)
            }
        }
        return script
    }
}
