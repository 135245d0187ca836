import DeviceIO
import DeviceProtocols
import Dispatch
import Foundation
import Logging
import RulesEngine
import Store
import Synchronization
import VitalsCore

/// The room daemon behind `vitals run`: the thin shell around one ``RoomCore``.
///
/// The shell does the I/O the core asks for and nothing else: serial ports and their reader
/// (one thread for all ports, decoding there: ``startReading(_:_:_:)``),
/// udev enumeration and hot-plug, probes, the database (session record, queued commands, the
/// writer), signals, the timer, and the terminal. Every input goes through ``input(_:)`` on
/// `queue`, the daemon's single serial queue, where the core lives; each entry point checks that
/// with `dispatchPrecondition`. That confinement is why the class is `@unchecked Sendable`.
public final class RoomDaemon: @unchecked Sendable {
    let configuration: RoomDaemonConfiguration
    let log: Logger
    let queue = DispatchQueue(label: "vitals.room")
    let clock: MonotonicRunClock
    let writer: ReadingWriter
    let store: StoreOutput
    let printer: EventPrinter
    let observers: [any PipelineOutput]
    let core: RoomCore
    /// One thread reads every port and decodes there; the queue wakes only for what decoded.
    let portReader: MultiPortReader
    var open: [PortHandle: (port: SerialPort, reader: PortReading)] = [:]
    var lastPoll = RunTime(milliseconds: Int64.min / 2)
    var lastSession: SessionRecord?
    var sessionPolled = false
    var timer: (any DispatchSourceTimer)?
    var signalSources: [any DispatchSourceSignal] = []
    var monitor: UdevMonitor?
    var stopping = false
    /// When the last heartbeat was handed to the writer, on the real monotonic clock (the demo's
    /// run clock goes faster than real time).
    var lastBeat: ContinuousClock.Instant?
    let finished = DispatchSemaphore(value: 0)

    /// How often the daemon writes its heartbeat: twice a second, so the row is never more than
    /// about a second old while the daemon runs, well inside the 5 s (`RoomHeartbeat.freshness`)
    /// after which terminals show "NOT MONITORING".
    public static let heartbeatInterval: Duration = .milliseconds(500)

    /// Loads the rules and starts the writer; `run()` starts the room. `output` receives each
    /// printed line (stdout in `vitals run`).
    ///
    /// The database need not be writable, nor even openable: the room monitors and alerts anyway,
    /// raises the technical alert "recording failed: <cause> (<path>)", and the writer keeps what
    /// it cannot store in memory and a journal, merged when the file can be written again.
    ///
    /// `observers` receive everything the room produces too, on the daemon's queue (the demo's
    /// live display).
    public init(
        configuration: RoomDaemonConfiguration, log: Logger, output: @escaping @Sendable (String) -> Void,
        observers: [any PipelineOutput] = []
    ) throws {
        self.configuration = configuration
        self.log = log
        self.clock = MonotonicRunClock(
            speed: configuration.speed, wall: OffsetWallClock(offsetMilliseconds: configuration.labelOffsetMilliseconds))
        let log = self.log
        let health = Mutex<(@Sendable (StorageHealth) -> Void)?>(nil)
        self.writer = ReadingWriter(
            path: configuration.databasePath, configuration: WriterConfiguration(room: configuration.room),
            onError: { log.error("\($0)") }, onHealthChange: { h in health.withLock { $0 }?(h) })
        self.printer = EventPrinter(
            format: configuration.format,
            options: .init(
                readings: configuration.printReadings, statuses: configuration.printReadings,
                deviceEvents: configuration.printReadings),
            write: output)
        self.store = StoreOutput(writer: writer)
        self.observers = observers
        let rules = try configuration.rulesPath.map { path throws(RuleLoadError) in try RuleSet.load(path: path) }
        var core = configuration.core
        do {
            core.knownDevices = try writer.database?.knownDevices() ?? []
        } catch {
            log.warning("cannot read the kept device identities (every device will be matched or probed afresh): \(error)")
        }
        self.core = RoomCore(configuration: core, rules: rules)
        self.portReader = try MultiPortReader()
        health.withLock {
            $0 = { [weak self] h in
                guard let self else { return }
                self.queue.async { if !self.stopping { self.storageHealth(h) } }
            }
        }
    }

    /// The room database, once the writer could open it.
    var database: VitalsDatabase? { writer.database }

    /// Starts everything and blocks until SIGINT/SIGTERM or `stop()`; everything recorded is
    /// flushed before it returns, and the writer's account of it is returned: what was stored,
    /// what waits in a journal (and where), and anything lost.
    @discardableResult
    public func run() -> WriterCloseSummary? {
        queue.sync { start() }
        finished.wait()
        return store.closeSummary
    }

    /// Asks the daemon to stop (as SIGTERM does); `run()` returns once everything is flushed.
    public func stop() {
        queue.async { self.shutdown() }
    }

    /// The devices attached and their connection states (for tests and `vitals status`).
    public var deviceStates: [String: ConnectionState] {
        queue.sync { Dictionary(core.devices.map { ($0.name, $0.connection) }, uniquingKeysWith: { a, _ in a }) }
    }

    // MARK: - Inputs (on `queue`)

    /// Gives `input` to the core at the present time and carries out what it asks.
    func input(_ input: RoomInput) {
        dispatchPrecondition(condition: .onQueue(queue))
        let now = clock.now()
        perform(core.handle(input, at: now, wall: clock.wallClock(at: now)))
    }

    func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        writer.startTimer()
        installSignals()
        storageHealth(writer.health)
        pollDatabase(at: clock.now())
        if configuration.useUdev {
            do {
                monitor = try UdevMonitor(source: .automatic) { [weak self] event in
                    guard let self else { return }
                    self.queue.async { self.udev(event) }
                }
            } catch {
                log.warning("udev monitor unavailable (\(error)); hot-plug will not be seen")
            }
            do {
                for device in try UdevEnumerator.serialDevices() { input(.deviceAdded(device, why: "present at start")) }
            } catch {
                log.warning("cannot enumerate serial devices: \(error)")
            }
        }
        input(.start)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .milliseconds(Int(configuration.tickInterval.milliseconds)))
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
        let names = core.devices.map { "\($0.name) (\($0.profile))" }.joined(separator: ", ")
        log.info("ready: room \(configuration.room), database \(configuration.databasePath), rules \(core.rules.map { "\($0.rules.count) rules" } ?? "none"), devices: \(names.isEmpty ? "none yet" : names)")
    }

    /// Time-driven work every `tickInterval`: the core's deadlines, and the database poll for the
    /// session record and queued commands.
    func tick() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !stopping else { return }
        let now = clock.now()
        if let step = clock.detectStep() {
            log.warning("the wall clock stepped by \(Double(step) / 1000) s; later times are labelled by the new clock")
            writer.record(DeviceEvent.clockStep(milliseconds: step, at: clock.wallClock(at: now)))
        }
        if now.since(lastPoll) >= .milliseconds(250) { pollDatabase(at: now) }
        input(.tick)
        beatIfDue()
    }

    /// Hands a heartbeat to the writer when one is due. The writer writes it on its own queue, so
    /// a slow disk delays the beat, never this queue; the label is the real wall clock even in
    /// the demo, whose stored times are compressed, because terminals age it by their own clock.
    func beatIfDue() {
        dispatchPrecondition(condition: .onQueue(queue))
        let real = ContinuousClock.now
        if let last = lastBeat, real - last < Self.heartbeatInterval { return }
        lastBeat = real
        writer.beat(at: SystemWallClock().nowMilliseconds())
    }

    /// The writer's health as a room fault: "recording failed: disk full (/var/lib/vitals/room.sqlite)".
    func storageHealth(_ health: StorageHealth) {
        switch health {
        case .ok: input(.roomFault(.recordingFailed, message: nil))
        case .failing(let failure): input(.roomFault(.recordingFailed, message: "\(failure)"))
        }
    }

    /// Follows the session record and the commands other processes (`vitals session`, `ack`,
    /// `nibp start`) leave in the database.
    func pollDatabase(at now: RunTime) {
        lastPoll = now
        guard let database else { return }
        do {
            let current = try database.openSession(room: configuration.room)
            if !sessionPolled || current != lastSession {
                var context: RoomSession?
                if let current {
                    let stored = (try? database.maxOccurrence(session: current.id)) ?? 0
                    // Only the first look can see alerts of an earlier run: later ones are this run's.
                    let earlier = !sessionPolled ? ((try? database.activeAlerts(session: current.id)) ?? []) : []
                    context = RoomSession(record: current, storedMaxOccurrence: stored, activeFromEarlierRun: earlier)
                }
                sessionPolled = true
                lastSession = current
                input(.session(context))
            }
        } catch {
            log.error("cannot read the session record: \(error)")
        }
        do {
            for command in try database.pendingCommands(room: configuration.room) { input(.command(command)) }
        } catch {
            log.error("cannot read pending commands: \(error)")
        }
    }

    /// udev add/remove.
    func udev(_ event: UdevEvent) {
        guard !stopping else { return }
        switch event.action {
        case .add: input(.deviceAdded(event.device, why: "plugged in"))
        case .remove: input(.deviceRemoved(devnode: event.device.devnode))
        default: break
        }
    }

    /// Bytes or the end of a port, from its reader.
    func portEvent(_ event: PortEvent, _ handle: PortHandle) {
        guard !stopping, open[handle] != nil else { return }
        switch event {
        case .bytes(let bytes): input(.bytes(handle, bytes))
        case .gone(let reason): input(.portGone(handle, reason: "\(reason)"))
        }
    }

    /// What the reader thread decoded from a port.
    func portDecoded(_ decoded: DecodedBytes, _ handle: PortHandle) {
        guard !stopping, open[handle] != nil else { return }
        input(.decoded(handle, decoded))
    }

    // MARK: - Effects

    /// Carries out the core's effects in order; an effect that answers with an input (an open)
    /// is given back to the core at once.
    func perform(_ effects: [RoomEffect]) {
        for effect in effects {
            switch effect {
            case .open(let handle, let path, let settings): openPort(handle, path: path, settings: settings)
            case .write(let handle, let bytes):
                guard let port = open[handle]?.port else { continue }
                open[handle]?.reader.hostWrote(bytes)
                do {
                    try port.write(bytes)
                } catch {
                    log.warning("\(port.path): could not write \(bytes.count) bytes: \(error)")
                    if error.cause == .noSuchDevice || error.cause == .closed { input(.portGone(handle, reason: "\(error)")) }
                }
            case .close(let handle): closePort(handle)
            case .probe(let device, let plan): probe(device, plan: plan)
            case .remember(let kept):
                do {
                    try database?.remember(kept)
                } catch {
                    log.error("cannot keep the identity of \(kept.name) (\(kept.key)): \(error)")
                }
            case .forget(let key, _):
                do {
                    try database?.forgetDevice(key: key)
                } catch {
                    log.error("cannot drop the kept identity \(key): \(error)")
                }
            case .emit(.alert(let alert)):
                // Stored before shown; an alarm never waits on the disk longer than the bound.
                let storage = writer.commitAlert(alert)
                printer.alert(alert, storage: storage)
                for out in observers { out.alert(alert) }
            case .emit(let event):
                event.deliver(to: store)
                event.deliver(to: printer)
                for out in observers { event.deliver(to: out) }
            case .completeCommand(let id, let result):
                guard let database else {
                    log.error("cannot record the result of command \(id): the room database is not open")
                    continue
                }
                do {
                    _ = try database.completeCommand(id: id, at: clock.wallClock(at: clock.now()), result: result)
                } catch {
                    log.error("cannot record the result of command \(id): \(error)")
                }
            case .log(let level, let message): log.log(level: level, "\(message)")
            }
        }
    }

    func openPort(_ handle: PortHandle, path: String, settings: SerialSettings) {
        closePort(handle)
        // nil: an open the core has replaced since it asked (nothing to answer).
        guard let fresh = core.decoding(for: handle) else { return }
        do {
            let serial = try SerialPort.open(path, settings: settings)
            do {
                open[handle] = (serial, try startReading(serial, handle, SharedPortDecoding(fresh)))
            } catch {
                serial.close()
                input(.openFailed(handle, reason: "\(error)"))
                return
            }
            input(.opened(handle))
        } catch {
            input(.openFailed(handle, reason: "\(error)"))
        }
    }

    /// Reads `serial` on the room's reader thread, decoding there, and wakes the queue only
    /// when the core has something to take (every decoded event at once; see PortDecoding).
    func startReading(_ serial: SerialPort, _ handle: PortHandle, _ decoding: SharedPortDecoding) throws(SystemCallError) -> PortReading {
        if PortReading.perPortThreads {
            return .ownThread(try PortReader(port: serial) { [weak self] event in
                guard let self else { return }
                self.queue.async { self.portEvent(event, handle) }
            })
        }
        let clock = self.clock
        let registration = try portReader.add(
            serial,
            onBytes: { [weak self] bytes in
                guard let decoded = decoding.decode(bytes, at: clock.now()), let self else { return }
                self.queue.async { self.portDecoded(decoded, handle) }
            },
            onGone: { [weak self] reason in
                guard let self else { return }
                self.queue.async { self.portEvent(.gone(reason), handle) }
            })
        return .shared(registration, decoding)
    }

    func closePort(_ handle: PortHandle) {
        guard let (port, reader) = open.removeValue(forKey: handle) else { return }
        reader.stop()
        port.close()
    }

    /// Listens to an unassigned adapter off the queue, following the core's plan, then tells the
    /// core what decoded and why.
    func probe(_ device: SerialDeviceInfo, plan: ProbePlan) {
        DispatchQueue.global().async { [weak self] in
            let outcome = Result { () throws(SerialPortError) in
                try ProfileProber().probe(path: device.devnode, plan: plan)
            }
            guard let self else { return }
            self.queue.async {
                guard !self.stopping else { return }
                switch outcome {
                case .success(let o): self.input(.probed(device, profile: o.profile, summary: o.summary))
                case .failure(let e): self.input(.probed(device, profile: nil, summary: "probe failed: \(e)"))
                }
            }
        }
    }

    // MARK: - Lifecycle

    func shutdown() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !stopping else { return }
        timer?.cancel()
        monitor?.stop()
        for s in signalSources { s.cancel() }
        // Before the core's stop, which closes the writer: the writer writes it first, and
        // terminals show "NOT MONITORING" at once instead of after the beat ages.
        writer.stopBeating(at: SystemWallClock().nowMilliseconds())
        input(.stop)
        stopping = true
        for handle in Array(open.keys) { closePort(handle) }
        portReader.stop()
        log.info("stopped; \(writer.statistics.committedReadings) readings committed")
        finished.signal()
    }

    func installSignals() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if sig == SIGHUP { self.reloadRules() } else { self.shutdown() }
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Reloads the rule file off the queue (SIGTERM is answered at once while it loads); a file
    /// with errors keeps the old rules and logs why, naming file:line:column.
    func reloadRules() {
        guard let path = configuration.rulesPath else { return }
        log.info("reloading the rules from \(path)")
        DispatchQueue.global().async { [weak self] in
            let loaded = Result { () throws(RuleLoadError) in try RuleSet.load(path: path) }
            guard let self else { return }
            self.queue.async {
                guard !self.stopping else { return }
                switch loaded {
                case .success(let fresh): self.input(.rules(fresh))
                case .failure(let error): self.log.error("rules not reloaded, keeping the old ones: \(error)")
                }
            }
        }
    }
}
