import DeviceIO
import DeviceProtocols
import Logging
import RulesEngine
import Store
import Synchronization
import VitalsCore

/// One room, sans-IO: the only place room behaviour lives. `vitals run`, `vitals replay`,
/// scenario recording and the demo all drive it; live on the monotonic clock, the others on a
/// virtual one.
///
/// For every port it owns the connection state machine, the decoder, the host dialogue (the
/// commands a profile must send; the NIBP schedule and measurement cycle) and the pipeline to
/// the rules and outputs. It is driven only by ``RoomInput``s with their run time and wall-clock
/// label and answers with ``RoomEffect``s (open, write, close, probe, emit, complete a command,
/// log) and its ``nextDeadline``. It reads no clock, opens no file and starts no thread, like
/// quinn-proto's `Connection` or h11: the shell around it does that.
///
/// ```
///  inputs (time, wall)                         RoomCore                              effects
///  start, attach, deviceAdded/Removed, probed  ports: matcher, ConnectionStateMachine,  open, close, probe
///  opened, openFailed, bytes, portGone   --->        decoder, HostDialogue, NIBP   ---> write (dialogue)
///  tick, session, command, rules, stop         pipeline: session context, rules        emit (reading, status,
///                                                        engine, alert lifecycle         device event, alert)
///                                                                                       completeCommand, log
/// ```
///
/// A class rather than a value: the rules engine keeps its memory at a fixed address, and a room
/// is never copied. Not thread-safe: the shell confines it to one queue (checked there with
/// `dispatchPrecondition`).
public final class RoomCore {
    /// How the room runs.
    public struct Configuration: Sendable {
        /// The room's name (sessions are per room).
        public var room: String
        /// Ports assigned to profiles by serial number or path.
        public var devicesFile: DevicesFile?
        /// Ask the shell to probe unassigned generic adapters.
        public var probe = false
        /// Probes may write a profile's harmless identification request to a silent line.
        public var probeActive = false
        /// Identities kept in the room database (`known_devices`): a device seen again by one of
        /// them is attached at once, without a probe.
        public var knownDevices: [KnownDevice] = []
        /// Routine NIBP interval for command-driven cuffs.
        public var nibpInterval: Duration = .seconds(600)
        /// Limit overrides when no session gives its own (replay's `--limit`).
        public var limits: [String: Double] = [:]

        /// A configuration.
        public init(room: String, devicesFile: DevicesFile? = nil) {
            self.room = room
            self.devicesFile = devicesFile
        }
    }

    /// One attached device: its identity, port, decoder, connection and dialogue.
    final class Port {
        let identity: DeviceIdentity
        let profile: any DeviceProfile.Type
        /// The kept identity's key (``SerialDeviceInfo/identityKey``) when udev showed the port.
        var key: String?
        /// The port as udev showed it, to probe it again when a kept identity stops decoding.
        var device: SerialDeviceInfo?
        /// Attached by a kept identity and not yet confirmed by a valid frame: (the time of the
        /// first byte since the open).
        var verifying: RunTime??
        /// Why the device was attached (the match, the probe's evidence, the kept identity).
        var why = ""
        /// The path opened (devnode, by-id path, a fixed port or a recording).
        var path: String
        var generation = 0
        /// The shell confirmed the current generation's open.
        var isOpen = false
        /// An open was asked and not yet answered.
        var opening = false
        /// Decodes ``RoomInput/bytes(_:_:)``; `vitals run` decodes on its reader thread instead.
        var decoding: PortDecoding
        /// The decoder's counts since the open, as last handed to the core.
        var statistics = DecoderStatistics()
        var machine: ConnectionStateMachine
        var dialogue: any HostDialogue
        /// Line-noise statuses per kind and metric: when the last one was passed on, and how many
        /// were held back since (coalesced into the next one passed on).
        var noise: [NoiseKey: (last: RunTime, held: Int)] = [:]
        /// udev said the device is gone: wait for it to come back instead of reopening the path.
        var removed = false
        var nibp: NIBPSchedule?

        init(identity: DeviceIdentity, profile: any DeviceProfile.Type, path: String, nibp: NIBPSchedule?) {
            self.identity = identity
            self.profile = profile
            self.path = path
            self.decoding = PortDecoding(profile: profile)
            self.machine = ConnectionStateMachine(profile: profile)
            self.dialogue = profile.makeDialogue()
            self.nibp = nibp
        }

        var name: String { identity.name }
        var handle: PortHandle { PortHandle(device: identity.name, generation: generation) }
    }

    /// A device as the room sees it, for `vitals devices`, `status` and tests.
    public struct DeviceState: Sendable, Hashable {
        /// The device's name.
        public var name: String
        /// Its profile id.
        public var profile: String
        /// The path it was opened at.
        public var path: String
        /// Its connection state.
        public var connection: ConnectionState
        /// The host dialogue's state in a few words (association, a measurement running).
        public var dialogue: String
        /// Why it was attached with this profile (devices file, built-in table, probe evidence,
        /// kept identity).
        public var why: String = ""
    }

    public let configuration: Configuration
    private(set) var rules: RuleSet?
    private(set) var engine: RuleEngine?
    private var pipeline: RoomPipeline
    private let collector = EffectCollector()
    private let labels = LabelClock()
    private let matcher: DeviceMatcher
    private var ports: [String: Port] = [:]
    /// Kept identities by key (``SerialDeviceInfo/identityKey``).
    private var known: [String: KnownDevice] = [:]
    /// Profiles seen on a port before, by identity key, most recent first: the probe's first guess.
    private var seenBefore: [String: [String]] = [:]
    /// The last decision about each port udev showed, by device node: what `vitals devices` prints.
    public private(set) var decisions: [String: String] = [:]
    /// Ports a probe could not identify, by device node: probed again at `due` (a monitor plugged
    /// in before it was switched on starts streaming later), until udev removes them.
    private var reprobe: [String: (device: SerialDeviceInfo, due: RunTime?, last: String)] = [:]
    /// How long after a probe that identified nothing the port is probed again.
    static let reprobeInterval: Duration = .seconds(30)
    /// Attach order, so effects and listings are deterministic.
    private var order: [String] = []
    private(set) var session: RoomSession?
    private var doseApplied: Int64?
    private var retiredEarlierRunOf: Int64?
    /// The highest occurrence this run emitted, so a rebuilt engine numbers above it.
    private var maxOccurrence = 0
    private var stopped = false
    private var lastTick: RunTime?
    /// Room faults raised and not yet cleared, with the occurrence each was raised under.
    private var faults: [FaultKey: (occurrence: Int, message: String)] = [:]

    /// A room evaluating `rules` (none: record without alerting).
    public init(configuration: Configuration, rules: RuleSet?) {
        self.configuration = configuration
        self.rules = rules
        self.matcher = DeviceMatcher(devicesFile: configuration.devicesFile)
        for k in configuration.knownDevices {
            known[k.key] = k
            seenBefore[k.key] = [k.profile]
        }
        self.pipeline = RoomPipeline(clock: labels, evaluator: nil, outputs: [])
        rebuild(at: .zero)
    }

    /// The devices attached, in attach order.
    public var devices: [DeviceState] {
        order.compactMap { ports[$0] }.map {
            DeviceState(
                name: $0.name, profile: $0.profile.id, path: $0.path, connection: $0.machine.state, dialogue: $0.dialogue.summary,
                why: $0.why)
        }
    }

    /// The session the room runs, if any.
    public var currentSession: SessionRecord? { session?.record }

    /// Handles one input that happened at run time `time`, labelled `wall` (ms since 1970 UTC),
    /// and returns what the shell must do, in order.
    public func handle(_ input: RoomInput, at time: RunTime, wall: Int64) -> [RoomEffect] {
        labels.set(time: time, wall: wall)
        collector.effects.removeAll(keepingCapacity: true)
        guard !stopped else { return [] }
        switch input {
        case .start: attachFixedPorts(at: time)
        case .attach(let identity, let profile, let path, let why): attach(identity, profile: profile, path: path, why: why, at: time)
        case .deviceAdded(let info, let why): consider(info, why: why, at: time)
        case .deviceRemoved(let devnode): removed(devnode, at: time)
        case .probed(let info, let profile, let summary): probed(info, profile: profile, summary: summary, at: time)
        case .opened(let h): opened(h, at: time)
        case .openFailed(let h, let reason): openFailed(h, reason: reason, at: time)
        case .bytes(let h, let bytes): received(bytes, on: h, at: time)
        case .decoded(let h, let decoded): received(decoded, on: h, at: time)
        case .portGone(let h, let reason): gone(h, reason: reason, at: time)
        case .tick: tick(at: time)
        case .session(let s): follow(s, at: time)
        case .command(let c): effect(.completeCommand(id: c.id, carryOut(c, at: time)))
        case .rules(let fresh): reload(fresh, at: time)
        case .roomFault(let fault, let message): roomFault(fault, device: nil, message: message, at: time)
        case .stop: stop(at: time)
        }
        return collector.effects
    }

    /// The earliest run time at which a `.tick` has something to do: a rule's hold or stale-data
    /// deadline, a connection going quiet, a reopen, a dialogue's poll or keep-alive, the next
    /// whole second for the NIBP schedule and the rules' clock. `nil` once stopped.
    public var nextDeadline: RunTime? {
        guard !stopped else { return nil }
        var d = pipeline.nextDeadline
        // A deadline at or before the last tick has been ticked at already: asking for it again
        // would spin a virtual-clock shell in place.
        func consider(_ t: RunTime?) {
            guard let t, lastTick.map({ t > $0 }) ?? true else { return }
            if d == nil || t < d! { d = t }
        }
        for r in reprobe.values { consider(r.due) }  // nil while a probe is out
        for port in ports.values {
            if !port.removed, !port.opening { consider(port.machine.nextDeadline) }
            if port.isOpen { consider(port.dialogue.nextDeadline) }
            if port.nibp != nil, port.isOpen {
                consider(RunTime(milliseconds: lastTick.map { ($0.milliseconds / 1000 + 1) * 1000 } ?? 0))
            }
        }
        return d
    }

    // MARK: - Devices

    private func attachFixedPorts(at time: RunTime) {
        guard let file = configuration.devicesFile else { return }
        for entry in file.entries {
            guard case .port(let path) = entry.key else { continue }
            guard let profile = ProfileCatalog.profile(named: entry.profileID) else {
                log(.error, "\(file.path):\(entry.line): unknown profile \(entry.profileID)")
                continue
            }
            if ports.values.contains(where: { $0.path == path }) { continue }
            let name = entry.label ?? path
            attach(DeviceIdentity(profile: profile.id, name: name, port: path), profile: profile, path: path,
                   why: "devices file \(file.path):\(entry.line)", at: time)
        }
    }

    /// A port udev showed: attach it when a profile is known (devices file, built-in table, or a
    /// kept identity), ask for a probe when allowed.
    private func consider(_ device: SerialDeviceInfo, why: String, at time: RunTime) {
        if ports.values.contains(where: { !$0.removed && ($0.path == device.devnode || device.byIDPaths.contains($0.path)) }) {
            return
        }
        let key = device.identityKey
        let match = matcher.match(device)
        if let profile = match.profile, let identity = match.identity(for: device) {
            let reason = "\(match.reason)"
            attach(identity, profile: profile, path: device.devnode, why: "\(reason); \(why)", at: time, device: device)
            switch match.reason {
            case .devicesFileSerial, .devicesFilePort:
                remember(device, profile: profile, name: identity.name, source: "devices-file", evidence: reason, at: time)
            case .builtIn, .probed, .ambiguous, .genericAdapter, .unknownUSB, .notUSB:
                break
            }
            return
        }
        if let kept = known[key], let profile = ProfileCatalog.profile(named: kept.profile) {
            let identity = DeviceIdentity(
                profile: profile.id, name: kept.name, usbVendorID: device.usb?.vendorID, usbProductID: device.usb?.productID,
                serialNumber: device.usb?.serialNumber, port: device.devnode)
            attach(identity, profile: profile, path: device.devnode,
                   why: "kept identity \(key) (\(kept.source): \(kept.evidence)); \(why)", at: time, device: device)
            ports[identity.name]?.verifying = .some(nil)
            return
        }
        switch match.reason {
        case .notUSB:
            // A built-in port (often an 8250 the platform registers without hardware) is never
            // probed: a devices file names a real RS-232 monitor's port.
            decide(device.devnode, "not attached: \(match.reason)")
        case .genericAdapter, .ambiguous, .unknownUSB:
            if configuration.probe {
                let plan = ProbePlan(
                    candidates: ProfileCatalog.all, hints: .init(usb: device.usb, seenBefore: seenBefore[key] ?? []),
                    active: configuration.probeActive)
                decide(device.devnode, "probing: \(plan)")
                let again = reprobe[device.devnode] != nil
                log(again ? .debug : .info, "\(device.devnode): probing \(plan)" + (configuration.probeActive ? " (active)" : " (passive)"))
                effect(.probe(device, plan))
            } else {
                decide(device.devnode, "not attached: \(match.reason)")
                log(.notice, "\(device.devnode): not attached: \(match.reason) (assign it in a devices file, or run with --probe)")
            }
        case .devicesFileSerial, .devicesFilePort, .builtIn, .probed:
            break
        }
    }

    private func probed(_ device: SerialDeviceInfo, profile: (any DeviceProfile.Type)?, summary: String, at time: RunTime) {
        guard let profile else {
            decide(device.devnode, "not attached: probed: \(summary)")
            // Said once; the same finding on a later probe is not repeated.
            if reprobe[device.devnode]?.last != summary {
                log(.notice, "\(device.devnode): not attached: probed: \(summary); probing again every \(Self.reprobeInterval.components.seconds) s")
            }
            reprobe[device.devnode] = (device, time.advanced(by: Self.reprobeInterval), summary)
            return
        }
        reprobe.removeValue(forKey: device.devnode)
        if ports.values.contains(where: { !$0.removed && $0.path == device.devnode }) { return }
        let key = device.identityKey
        let name = known[key]?.name ?? device.usb?.serialNumber ?? device.devnode
        let identity = DeviceIdentity(
            profile: profile.id, name: name, usbVendorID: device.usb?.vendorID,
            usbProductID: device.usb?.productID, serialNumber: device.usb?.serialNumber, port: device.devnode)
        attach(identity, profile: profile, path: device.devnode, why: "probed: \(summary)", at: time, device: device)
        remember(device, profile: profile, name: name, source: "probe", evidence: summary, at: time)
    }

    /// Keeps the identity of `device` (and tells the shell to store it).
    private func remember(
        _ device: SerialDeviceInfo, profile: any DeviceProfile.Type, name: String, source: String, evidence: String, at time: RunTime
    ) {
        let key = device.identityKey
        let now = labels.wallClock(at: time)
        let kept = KnownDevice(
            key: key, usbVendorID: device.usb?.vendorID, usbProductID: device.usb?.productID,
            serialNumber: device.usb?.serialNumber.flatMap { $0.isEmpty ? nil : $0 },
            path: key.hasPrefix("path:") ? device.physicalPath : nil, profile: profile.id, settings: "\(profile.serial)",
            name: name, source: source, evidence: evidence, firstSeen: known[key]?.firstSeen ?? now, lastSeen: now)
        known[key] = kept
        seenBefore[key] = [profile.id] + (seenBefore[key] ?? []).filter { $0 != profile.id }
        effect(.remember(kept))
    }

    /// A kept identity whose port sends bytes no frame of its profile decodes: another device is
    /// on that adapter now. The identity is dropped and the port probed again (when allowed).
    private func dropKept(_ port: Port, at time: RunTime) {
        guard let key = port.key, let device = port.device else { return }
        let s = port.statistics
        let reason = "\(port.profile.id) decoded no frame in \(s.bytes) bytes (\(s.skippedBytes) skipped, \(s.badFrames) bad)"
        log(.warning, "\(port.path): kept identity \(key) no longer decodes: \(reason); dropped, probing again")
        known.removeValue(forKey: key)
        effect(.forget(key: key, reason: reason))
        close(port)
        apply(port.machine.handle(.gone(at: time)), to: port)
        port.removed = true
        port.key = nil
        ports.removeValue(forKey: port.name)
        order.removeAll { $0 == port.name }
        consider(device, why: "kept identity dropped", at: time)
    }

    private func decide(_ devnode: String, _ decision: String) { decisions[devnode] = decision }

    /// Attaches a device, or re-attaches a known one at a new path (a replug).
    private func attach(
        _ identity: DeviceIdentity, profile: any DeviceProfile.Type, path: String, why: String, at time: RunTime,
        device: SerialDeviceInfo? = nil
    ) {
        log(.info, "\(path): \(profile.id) as \(identity.name) (\(why))")
        decide(path, "attached: \(profile.id) as \(identity.name) (\(why))")
        let port: Port
        if let known = ports[identity.name], known.profile.id == profile.id {
            port = known
            port.path = path
            port.removed = false
        } else {
            if let other = ports.removeValue(forKey: identity.name) {
                // The same name on another profile: the old port ends here.
                close(other)
                order.removeAll { $0 == identity.name }
            }
            let nibp = profile.isCommandDriven
                ? NIBPSchedule(interval: configuration.nibpInterval, remsAfterDose: remsAfterDose) : nil
            port = Port(identity: identity, profile: profile, path: path, nibp: nibp)
            ports[identity.name] = port
            order.append(identity.name)
            effect(.emit(.attached(identity, hostTime: labels.wallClock(at: time))))
            pipeline.attach(device: port.name, provides: profile.metrics)
        }
        port.why = why
        port.verifying = nil
        if let device {
            port.device = device
            port.key = device.identityKey
        }
        open(port)
    }

    private func open(_ port: Port) {
        if port.isOpen || port.opening { effect(.close(port.handle)) }
        port.generation += 1
        port.isOpen = false
        port.opening = true
        port.decoding = PortDecoding(profile: port.profile)
        port.statistics = DecoderStatistics()
        port.dialogue = port.profile.makeDialogue()
        port.noise = [:]
        effect(.open(port.handle, path: port.path, settings: port.profile.serial))
    }

    /// A fresh ``PortDecoding`` for the open `handle` names, for a shell that decodes off the
    /// core (on its reader thread) and hands the core ``RoomInput/decoded(_:_:)``; nil when the
    /// handle is not the device's current open. The shell tells it every write to the port.
    public func decoding(for handle: PortHandle) -> PortDecoding? {
        current(handle).map { PortDecoding(profile: $0.profile) }
    }

    /// The port of `handle` when it is the current open of its device.
    private func current(_ handle: PortHandle) -> Port? {
        guard let port = ports[handle.device], port.generation == handle.generation else { return nil }
        return port
    }

    private func opened(_ handle: PortHandle, at time: RunTime) {
        guard let port = current(handle), port.opening else { return }
        port.opening = false
        port.isOpen = true
        apply(port.machine.handle(.opened(at: time)), to: port)
        send(port.dialogue.opened(at: time), to: port, at: time)
    }

    private func openFailed(_ handle: PortHandle, reason: String, at time: RunTime) {
        guard let port = current(handle) else { return }
        port.opening = false
        port.isOpen = false
        log(.warning, "\(port.path): cannot open: \(reason)")
        apply(port.machine.handle(.reopenFailed(at: time)), to: port)
    }

    private func received(_ bytes: [UInt8], on handle: PortHandle, at time: RunTime) {
        guard let port = current(handle), port.isOpen else { return }
        let decoded = bytes.withUnsafeBytes { port.decoding.decode($0) }
        received(decoded, on: port, at: time)
    }

    private func received(_ decoded: DecodedBytes, on handle: PortHandle, at time: RunTime) {
        guard let port = current(handle), port.isOpen else { return }
        received(decoded, on: port, at: time)
    }

    private func received(_ decoded: DecodedBytes, on port: Port, at time: RunTime) {
        port.statistics = decoded.statistics
        if case .some(let firstByte) = port.verifying {
            if decoded.frames > 0 {
                port.verifying = nil
                if let device = port.device {
                    remember(device, profile: port.profile, name: port.name, source: known[device.identityKey]?.source ?? "probe",
                             evidence: known[device.identityKey]?.evidence ?? port.why, at: time)
                }
            } else if decoded.statistics.bytes >= 256 || (firstByte.map { time.since($0) >= .seconds(3) } ?? false) {
                dropKept(port, at: time)
                return
            } else if firstByte == nil, decoded.bytes > 0 {
                port.verifying = .some(time)
            }
        }
        if decoded.frames > 0 { apply(port.machine.handle(.validFrame(at: time)), to: port) }
        let events = decoded.events
        for var e in events {
            if case .status(let s) = e, Self.isLineNoise(s.kind) {
                guard let passed = coalesce(s, on: port, at: time) else { continue }
                e = .status(passed)
            }
            pipeline.handle(TimedInput(time: time, device: port.name, input: .decoded(e)))
            if case .status(let s) = e { association(s, of: port, at: time) }
            if case .status(let s) = e, s.kind == .commandRejected {
                // Issue 13.4: the one explicit diagnosis a device gives (a Nonin that refuses a
                // format stays in its own, and only goes quiet), in the log as it arrives.
                log(.warning, "\(port.name): the device refused a command: \(s.detail.isEmpty ? s.kind.rawValue : s.detail)")
            }
            if case .status(let s) = e, port.nibp != nil,
               port.profile.reportsMeasurementComplete(s) || s.kind == .measurementError || s.kind == .commandRejected {
                port.nibp?.completed()
            }
        }
        if !events.isEmpty { send(port.dialogue.received(events, at: time), to: port, at: time) }
    }

    /// The decoder statuses that describe the line rather than the patient or the device's state:
    /// passed on at most once a second per port, kind and metric, with a count of those held back,
    /// so a burst of garbage costs a bounded number of rows however fast it comes.
    static func isLineNoise(_ kind: DeviceStatus.Kind) -> Bool {
        switch kind {
        case .syncLost, .syncAcquired, .fieldMalformed, .valueImplausible, .clockInvalid: true
        case .valueMissing, .sensorOff, .sensorOn, .deviceAlarm, .deviceException, .measurementError, .lowBattery,
             .commandAccepted, .commandRejected, .progress, .info, .associated, .associationRefused,
             .associationDropped, .associationReleased:
            false
        }
    }

    /// `status` to pass on, carrying the count of those like it held back in the last interval, or
    /// `nil` while it is held back.
    private func coalesce(_ status: DeviceStatus, on port: Port, at time: RunTime) -> DeviceStatus? {
        let key = NoiseKey(kind: status.kind, metric: status.metric)
        if let seen = port.noise[key], time.since(seen.last) < .seconds(1) {
            port.noise[key] = (seen.last, seen.held + 1)
            return nil
        }
        var out = status
        if let held = port.noise[key]?.held, held > 0 {
            out.detail += (out.detail.isEmpty ? "" : " ") + "(\(held) more like it in the last second)"
        }
        port.noise[key] = (time, 0)
        return out
    }

    private func gone(_ handle: PortHandle, reason: String, at time: RunTime) {
        guard let port = current(handle), port.isOpen || port.opening else { return }
        log(.warning, "\(port.path): device gone (\(reason))")
        close(port)
        apply(port.machine.handle(.gone(at: time)), to: port)
    }

    private func removed(_ devnode: String, at time: RunTime) {
        reprobe.removeValue(forKey: devnode)
        guard let port = ports.values.first(where: { $0.path == devnode && !$0.removed }) else { return }
        log(.warning, "\(port.path): unplugged")
        port.removed = true
        close(port)
        apply(port.machine.handle(.gone(at: time)), to: port)
    }

    private func close(_ port: Port) {
        if port.isOpen || port.opening { effect(.close(port.handle)) }
        port.isOpen = false
        port.opening = false
    }

    /// Writes a dialogue's bytes and records each write as a device event.
    private func send(_ writes: [HostWrite], to port: Port, at time: RunTime, why: String? = nil) {
        guard port.isOpen else { return }
        for w in writes {
            effect(.write(port.handle, w.bytes))
            // The decoder hears what was asked, so a reply (ACK/NAK) is reported when it arrives.
            port.decoding.hostWrote(w.bytes)
            let label = why.map { "\(w.label) (\($0))" } ?? w.label
            pipeline.handle(TimedInput(time: time, device: port.name, input: .commandSent(label)))
        }
    }

    /// Connection transitions go to the store, the rules and the log.
    private func apply(_ transitions: [ConnectionTransition], to port: Port) {
        for t in transitions {
            let level: Logger.Level = t.to == .disconnected || t.to == .quiet ? .warning : .info
            log(level, "\(port.name): \(t.from.rawValue) -> \(t.to.rawValue) (\(t.reason))")
            pipeline.handle(TimedInput(time: t.at, device: port.name, input: .connection(t.to)))
        }
    }

    // MARK: - Time

    private func tick(at time: RunTime) {
        lastTick = time
        for (devnode, r) in reprobe.sorted(by: { $0.key < $1.key }) {
            guard let due = r.due, due <= time else { continue }
            // Waiting for the answer: not due again until the probe reports.
            reprobe[devnode] = (r.device, nil, r.last)
            consider(r.device, why: "probing again", at: time)
        }
        for name in order {
            guard let port = ports[name] else { continue }
            apply(port.machine.handle(.tick(at: time)), to: port)
            if !port.removed, !port.opening, port.machine.reopenDue(at: time) { open(port) }
            guard port.isOpen else { continue }
            send(port.dialogue.tick(at: time), to: port, at: time)
            scheduleNIBP(port, at: time)
        }
        pipeline.advance(to: time)
    }

    /// Starts a cuff measurement when one is due.
    private func scheduleNIBP(_ port: Port, at time: RunTime) {
        guard var schedule = port.nibp, port.machine.state == .streaming || port.machine.state == .connecting,
              let reason = schedule.due(at: time, dose: doseRunTime),
              let writes = port.dialogue.request(.startMeasurement, at: time)
        else { return }
        schedule.started(at: time, reason: reason, dose: doseRunTime)
        port.nibp = schedule
        send(writes, to: port, at: time, why: reason.rawValue)
    }

    /// The dose on the run's clock, when the session has one.
    private var doseRunTime: RunTime? {
        session?.record.doseAt.map { labels.runTime(atWallClock: $0) }
    }

    // MARK: - Session, commands, rules

    /// Follows the session record another process changes (`vitals session ...`).
    private func follow(_ new: RoomSession?, at time: RunTime) {
        if new?.record.id != session?.record.id {
            if let new {
                log(.info, "session \(new.record.id) open in room \(configuration.room)\(new.record.autoOpened ? " (opened automatically)" : "")")
            }
            let limitsChanged = (new?.record.plan.limits ?? [:]) != (session?.record.plan.limits ?? [:])
            let first = session == nil
            session = new
            // A clinician's session brings its own limits: the rules start afresh under them.
            if first || limitsChanged || new?.record.autoOpened == false { rebuild(at: time) }
        } else {
            session = new
        }
        if let new, !new.activeFromEarlierRun.isEmpty, retiredEarlierRunOf != new.record.id {
            retiredEarlierRunOf = new.record.id
            retire(new.activeFromEarlierRun, at: time)
        }
        if let dose = session?.record.doseAt, doseApplied != dose {
            doseApplied = dose
            log(.info, "dose recorded at \(Timestamp.iso8601(milliseconds: dose))")
            pipeline.doseGiven(at: min(labels.runTime(atWallClock: dose), time))
        }
    }

    /// Alerts an earlier run left active end here: this run's engine starts without their state
    /// and raises them again from new data if their conditions still hold.
    private func retire(_ active: [StoredAlert], at time: RunTime) {
        for a in active {
            let e = AlertEvent(
                time: time, hostTime: labels.wallClock(at: time), rule: a.rule, priority: a.priority, kind: a.kind,
                event: .cleared, metric: a.metric,
                message: "Cleared: \(a.message) (vitals run restarted; the rules re-evaluate it from new data)",
                occurrence: a.occurrence)
            effect(.emit(.alert(e)))
        }
        log(.notice, "\(active.count) alert(s) of an earlier run ended; the rules re-evaluate from new data")
    }

    private func carryOut(_ command: DaemonCommand, at time: RunTime) -> DaemonCommandResult {
        switch command.kind {
        case .ack:
            guard let occurrence = command.occurrence, let by = command.by else {
                return DaemonCommandResult(outcome: .failed, message: "the acknowledgement names no alert occurrence or person")
            }
            guard command.sessionID == nil || command.sessionID == session?.record.id else {
                return DaemonCommandResult(outcome: .ignored, message: "the alert belongs to a session this room no longer runs")
            }
            if let rule = command.rule, RoomFault(rawValue: rule) != nil {
                return DaemonCommandResult(outcome: .ignored, message: "a fault of the room clears when the fault ends; nothing to acknowledge")
            }
            guard engine != nil else {
                return DaemonCommandResult(outcome: .failed, message: "vitals run has no rules loaded")
            }
            let events = pipeline.acknowledge(occurrence: occurrence, by: by, at: time)
            guard !events.isEmpty else {
                return DaemonCommandResult(outcome: .ignored, message: "the alert is no longer raised; nothing to acknowledge")
            }
            log(.info, "alert \(command.rule ?? "?") acknowledged by \(by)")
            return DaemonCommandResult(outcome: .applied, message: "acknowledged by \(by)")
        case .nibpStart:
            let cuffs = order.compactMap { ports[$0] }.filter { $0.nibp != nil && $0.isOpen }
            guard !cuffs.isEmpty else {
                return DaemonCommandResult(outcome: .failed, message: "no blood-pressure module the bridge can drive is attached in this room")
            }
            for cuff in cuffs { cuff.nibp?.request() }
            return DaemonCommandResult(outcome: .applied, message: "measurement requested on \(cuffs.map(\.name).joined(separator: ", "))")
        }
    }

    /// A rule file reloaded without error: the engine keeps its alerts' state across it.
    private func reload(_ fresh: RuleSet, at time: RunTime) {
        guard let engine else {
            rules = fresh
            rebuild(at: time)
            log(.info, "rules loaded: \(fresh.rules.count) rules")
            return
        }
        do {
            let events = try engine.reload(rules: fresh)
            rules = fresh
            for port in ports.values { port.nibp?.remsAfterDose = remsAfterDose }
            pipeline.evaluatorChanged()
            for e in events { effect(.emit(.alert(e))) }
            log(.info, "rules reloaded: \(fresh.rules.count) rules")
            // A refusal raised before (by the old file, or a reload it refused) ends or is restated.
            let wanted = session?.record.plan.limits ?? configuration.limits
            let refusals = fresh.validate(limits: wanted).refusals
            roomFault(.sessionParameterRefused, device: nil,
                      message: refusals.isEmpty ? nil : refusals.map(\.sessionAlertMessage).joined(separator: "; "), at: time)
        } catch {
            // The session's limits were accepted by the running rules; the new file refuses one.
            // Alerting goes on under the old rules, and the room says so where clinicians look.
            roomFault(.sessionParameterRefused, device: nil,
                      message: "rules not reloaded, the room keeps the previous rules: \(error.sessionAlertMessage)", at: time)
        }
    }

    /// When after the dose the REMS blood pressure is taken: the rule set's `rems:` section
    /// (REMSWindows.standard, 40 min, without rules).
    private var remsAfterDose: Duration {
        .milliseconds((rules?.rems ?? .standard).postDoseCheckMilliseconds)
    }

    /// A pipeline with a fresh engine for the session's limits and dose. A stored limit the rule
    /// set refuses (a typo, out of range, or set by `rems:`) is not used: the rule default stands
    /// in and a technical alert says so for as long as the session runs with it.
    private func rebuild(at time: RunTime) {
        engine = nil
        for port in ports.values { port.nibp?.remsAfterDose = remsAfterDose }
        var refused: String?
        if let rules {
            let wanted = session?.record.plan.limits ?? configuration.limits
            let validation = rules.validate(limits: wanted)
            if !validation.isValid {
                refused = validation.refusals.map(\.sessionAlertMessage).joined(separator: "; ")
            }
            let labels = self.labels
            do {
                let first = max(session?.storedMaxOccurrence ?? 0, maxOccurrence) + 1
                engine = try RuleEngine(
                    rules: rules, limits: validation.accepted, hostTime: { labels.wallClock(at: $0) }, firstOccurrence: first)
            } catch {
                // Unreachable: the engine refuses only what `validate` refused above.
                log(.error, "rules engine not started: \(error)")
            }
        }
        pipeline = RoomPipeline(clock: labels, evaluator: engine, outputs: [collector])
        collector.onAlert = { [weak self] e in
            if let self, e.occurrence > self.maxOccurrence { self.maxOccurrence = e.occurrence }
        }
        for name in order { if let port = ports[name] { pipeline.attach(device: port.name, provides: port.profile.metrics) } }
        doseApplied = nil
        roomFault(.sessionParameterRefused, device: nil, message: refused, at: time)
    }

    /// Raises a room fault's technical alert (or updates nothing when it is raised already with
    /// that message), or clears it when `message` is nil.
    private func roomFault(_ fault: RoomFault, device: String?, message: String?, at time: RunTime) {
        let host = labels.wallClock(at: time)
        let key = FaultKey(fault: fault, device: device)
        if let message {
            if faults[key]?.message == message { return }
            if let old = faults[key] { emitFault(key, .cleared, "Cleared: \(old.message)", old.occurrence, time, host) }
            maxOccurrence += 1
            faults[key] = (maxOccurrence, message)
            log(.error, message)
            emitFault(key, .raised, message, maxOccurrence, time, host)
        } else if let old = faults.removeValue(forKey: key) {
            log(.notice, "ended: \(old.message)")
            emitFault(key, .cleared, "Cleared: \(old.message)", old.occurrence, time, host)
        }
    }

    private func emitFault(
        _ key: FaultKey, _ kind: AlertEventKind, _ message: String, _ occurrence: Int, _ time: RunTime, _ host: Int64
    ) {
        effect(.emit(.alert(AlertEvent(
            time: time, hostTime: host, rule: key.fault.rawValue, priority: key.fault.priority, kind: .technical,
            event: kind, metric: nil, message: message, device: key.device, occurrence: occurrence))))
    }

    /// A monitor's association (IntelliVue) as a technical alert of its device: refused or dropped
    /// raises it with the monitor's reason; associated again clears it.
    private func association(_ status: DeviceStatus, of port: Port, at time: RunTime) {
        switch status.kind {
        case .associationRefused:
            roomFault(.associationLost, device: port.name, message: "\(port.name): the monitor refused the association\(status.detail.isEmpty ? "" : " (\(status.detail))")", at: time)
        case .associationDropped:
            roomFault(.associationLost, device: port.name, message: "\(port.name): the monitor ended the association\(status.detail.isEmpty ? "" : " (\(status.detail))")", at: time)
        case .associated:
            roomFault(.associationLost, device: port.name, message: nil, at: time)
        case .associationReleased, .valueMissing, .sensorOff, .sensorOn, .deviceAlarm, .deviceException, .measurementError,
             .lowBattery, .commandAccepted, .commandRejected, .progress, .syncLost, .syncAcquired, .info,
             .valueImplausible, .fieldMalformed, .clockInvalid:
            break
        }
    }

    private func stop(at time: RunTime) {
        for name in order {
            guard let port = ports[name] else { continue }
            send(port.dialogue.closing(at: time), to: port, at: time)
            close(port)
        }
        pipeline.advance(to: time)
        pipeline.finish()
        stopped = true
    }

    private func effect(_ e: RoomEffect) { collector.effects.append(e) }
    private func log(_ level: Logger.Level, _ message: String) { effect(.log(level, message)) }
}

/// A raised room fault: which, and the device it concerns (nil for the room's own).
struct FaultKey: Hashable {
    var fault: RoomFault
    var device: String?
}

/// A kind of line-noise status on one port.
struct NoiseKey: Hashable {
    var kind: DeviceStatus.Kind
    var metric: Metric?
}

/// The pipeline's outputs, turned into the core's effects in the order they happen.
final class EffectCollector: PipelineOutput {
    var effects: [RoomEffect] = []
    var onAlert: ((AlertEvent) -> Void)?

    func reading(_ o: Observation) { effects.append(.emit(.reading(o))) }
    func waveform(_ w: Waveform, device: String, time: RunTime, hostTime: Int64) {
        effects.append(.emit(.waveform(w, device: device, time: time, hostTime: hostTime)))
    }
    func status(_ s: DeviceStatus, device: String, time: RunTime, hostTime: Int64) {
        effects.append(.emit(.status(s, device: device, time: time, hostTime: hostTime)))
    }
    func deviceEvent(_ e: DeviceInput, device: String, time: RunTime, hostTime: Int64) {
        effects.append(.emit(.deviceEvent(e, device: device, time: time, hostTime: hostTime)))
    }
    func alert(_ e: AlertEvent) {
        onAlert?(e)
        effects.append(.emit(.alert(e)))
    }
    func finish() { effects.append(.emit(.finished)) }
}

/// Wall-clock labels from the inputs themselves: the label of a run time is the current input's
/// wall clock moved by the difference in run time. The core never reads a clock; the shell reads
/// the wall clock when each input happens, so a clock step changes later labels, never earlier ones.
final class LabelClock: RunClock {
    private let pair = Mutex((time: RunTime.zero, wall: Int64(0)))

    func set(time: RunTime, wall: Int64) { pair.withLock { $0 = (time, wall) } }
    func now() -> RunTime { pair.withLock { $0.time } }
    func wallClock(at time: RunTime) -> Int64 {
        pair.withLock { $0.wall + (time.milliseconds - $0.time.milliseconds) }
    }
    /// The run time a wall-clock instant corresponds to, by the current input's pair.
    func runTime(atWallClock wall: Int64) -> RunTime {
        pair.withLock { RunTime(milliseconds: $0.time.milliseconds + (wall - $0.wall)) }
    }
}
