import DeviceIO
import DeviceProtocols
import Dispatch
import Foundation
import VitalsCore

extension RoomDaemon {
    /// A port udev showed us: attach it when a profile is known (or probing finds one).
    func consider(_ device: SerialDeviceInfo, why: String) {
        if let existing = ports.values.first(where: { $0.path == device.devnode || device.byIDPaths.contains($0.path) }),
           !existing.removed {
            return
        }
        let match = matcher.match(device)
        guard let profile = match.profile, let identity = match.identity(for: device) else {
            switch match.reason {
            case .genericAdapter, .ambiguous, .unknownUSB:
                if configuration.probe {
                    probe(device)
                } else {
                    log.notice("\(device.devnode): not attached: \(match.reason) (assign it in a devices file, or run with --probe)")
                }
            default:
                break
            }
            return
        }
        log.info("\(device.devnode): \(profile.id) as \(identity.name) (\(match.reason); \(why))")
        attach(identity: identity, profile: profile, path: device.devnode)
    }

    /// Listens to an unassigned adapter off the queue, then attaches what decodes cleanly.
    func probe(_ device: SerialDeviceInfo) {
        let path = device.devnode
        log.info("\(path): probing each candidate profile's settings")
        DispatchQueue.global().async { [weak self] in
            let outcome = try? ProfileProber().probe(path: path, candidates: ProfileCatalog.all, listeningFor: .seconds(3))
            guard let self else { return }
            self.queue.async {
                guard !self.stopping else { return }
                guard let profile = outcome?.profile else {
                    self.log.notice("\(path): not attached: \(outcome?.summary ?? "probe failed")")
                    return
                }
                let identity = DeviceIdentity(
                    profile: profile.id, name: device.usb?.serialNumber ?? path, usbVendorID: device.usb?.vendorID,
                    usbProductID: device.usb?.productID, serialNumber: device.usb?.serialNumber, port: path)
                self.log.info("\(path): \(profile.id) as \(identity.name) (probed: \(outcome?.summary ?? ""))")
                self.attach(identity: identity, profile: profile, path: path)
            }
        }
    }

    /// The devices file's fixed ports (`/dev/ttyS0`, a simulator's pty link), attached by path.
    func attachFixedPorts() {
        guard let file = configuration.devicesFile else { return }
        for entry in file.entries {
            guard case .port(let path) = entry.key, let profile = ProfileCatalog.profile(named: entry.profileID) else { continue }
            if ports.values.contains(where: { $0.path == path }) { continue }
            let name = entry.label ?? path
            log.info("\(path): \(profile.id) as \(name) (devices file \(file.path):\(entry.line))")
            attach(identity: DeviceIdentity(profile: profile.id, name: name, port: path), profile: profile, path: path)
        }
    }

    /// Attaches a device (or re-attaches a known one at a new path, as after a replug).
    func attach(identity: DeviceIdentity, profile: any DeviceProfile.Type, path: String) {
        let port: AttachedPort
        if let known = ports[identity.name] {
            port = known
            port.path = path
            port.removed = false
        } else {
            let nibp = profile.bytes(for: .startMeasurement) != nil && profile.bytes(for: .requestResult) != nil
                ? NIBPSchedule(interval: configuration.nibpInterval, remsAfterDose: configuration.remsAfterDose) : nil
            port = AttachedPort(identity: identity, profile: profile, path: path, nibp: nibp)
            ports[identity.name] = port
            writer.register(identity, at: clock.wallClock(at: clock.now()))
            pipeline.attach(device: port.name, provides: profile.metrics)
        }
        open(port)
    }

    /// Opens the port and starts its reader; a failure goes to the connection's backoff.
    func open(_ port: AttachedPort) {
        port.close()
        let now = clock.now()
        do {
            let serial = try SerialPort.open(port.path, settings: port.profile.serial)
            port.generation += 1
            let generation = port.generation
            let name = port.name
            port.port = serial
            port.reader = try PortReader(port: serial) { [weak self] event in
                guard let self else { return }
                self.queue.async { self.portEvent(event, device: name, generation: generation) }
            }
            apply(port.machine.handle(.opened(at: now)), to: port)
            for command in port.profile.commandsOnConnect { send(command, to: port, why: "on connect") }
        } catch {
            port.close()
            log.warning("\(port.path): cannot open: \(error)")
            apply(port.machine.handle(.reopenFailed(at: now)), to: port)
        }
    }

    /// Bytes or the end of a port, on the queue.
    func portEvent(_ event: PortEvent, device: String, generation: Int) {
        guard !stopping, let port = ports[device], port.generation == generation else { return }
        let now = clock.now()
        switch event {
        case .bytes(let bytes):
            var events: [DecoderEvent] = []
            port.decoder.decode(bytes, into: &events)
            let frames = port.decoder.statistics.frames
            if frames > port.framesSeen {
                port.framesSeen = frames
                apply(port.machine.handle(.validFrame(at: now)), to: port)
            }
            for e in events {
                pipeline.handle(TimedInput(time: now, device: device, input: .decoded(e)))
                if case .status(let s) = e { react(to: s, from: port) }
            }
        case .gone(let reason):
            log.warning("\(port.path): device gone (\(reason))")
            gone(port, at: now)
        }
    }

    /// A cuff that finished a measurement is asked for the result.
    func react(to status: DeviceStatus, from port: AttachedPort) {
        guard port.nibp != nil else { return }
        if port.profile.reportsMeasurementComplete(status) {
            port.nibp?.completed()
            send(.requestResult, to: port, why: "measurement complete")
        } else if status.kind == .measurementError || status.kind == .commandRejected {
            port.nibp?.completed()
        }
    }

    func gone(_ port: AttachedPort, at now: RunTime) {
        port.close()
        apply(port.machine.handle(.gone(at: now)), to: port)
    }

    /// udev add/remove, on the queue.
    func udev(_ event: UdevEvent) {
        guard !stopping else { return }
        switch event.action {
        case .add:
            consider(event.device, why: "plugged in")
        case .remove:
            guard let port = ports.values.first(where: { $0.path == event.device.devnode && !$0.removed }) else { return }
            log.warning("\(port.path): unplugged")
            port.removed = true
            gone(port, at: clock.now())
        default:
            break
        }
    }

    /// Writes a host command and records it as a device event.
    func send(_ command: HostCommand, to port: AttachedPort, why: String) {
        guard let bytes = port.profile.bytes(for: command), let serial = port.port else { return }
        do {
            try serial.write(bytes)
            port.decoder.hostWrote(bytes)
            pipeline.handle(TimedInput(time: clock.now(), device: port.name, input: .commandSent("\(command.rawValue) (\(why))")))
        } catch {
            log.warning("\(port.path): could not send \(command.rawValue): \(error)")
        }
    }

    /// Connection transitions go to the store, the rules and the log.
    func apply(_ transitions: [ConnectionTransition], to port: AttachedPort) {
        for t in transitions {
            if t.to == .disconnected || t.to == .quiet {
                log.warning("\(port.name): \(t.from.rawValue) -> \(t.to.rawValue) (\(t.reason))")
            } else {
                log.info("\(port.name): \(t.from.rawValue) -> \(t.to.rawValue) (\(t.reason))")
            }
            pipeline.handle(TimedInput(time: t.at, device: port.name, input: .connection(t.to)))
        }
    }
}
