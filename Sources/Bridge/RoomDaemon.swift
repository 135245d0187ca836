import DeviceIO
import DeviceProtocols
import Dispatch
import Foundation
import Logging
import RulesEngine
import Store
import VitalsCore

/// The room daemon behind `vitals run`: finds and attaches monitors, decodes their bytes,
/// records everything into the room's session, evaluates the rules and prints alerts.
///
/// Threading: readers, the udev monitor and signals each deliver on threads of their own; every
/// one of them hops onto `queue`, the daemon's single serial queue, where all state below lives
/// (the rules engine is not thread-safe by design). That confinement is why the class is
/// `@unchecked Sendable`: nothing mutable is touched off `queue`.
public final class RoomDaemon: @unchecked Sendable {
    let configuration: RoomDaemonConfiguration
    let log: Logger
    let queue = DispatchQueue(label: "vitals.room")
    let clock: MonotonicRunClock
    let database: VitalsDatabase
    let writer: ReadingWriter
    let printer: EventPrinter
    let store: StoreOutput
    var rules: RuleSet?
    var engine: RuleEngine?
    var pipeline: RoomPipeline
    var ports: [String: AttachedPort] = [:]
    var session: SessionRecord?
    var doseApplied: Int64?
    var lastPoll = RunTime(milliseconds: Int64.min / 2)
    var timer: (any DispatchSourceTimer)?
    var signalSources: [any DispatchSourceSignal] = []
    var monitor: UdevMonitor?
    var stopping = false
    let finished = DispatchSemaphore(value: 0)
    let matcher: DeviceMatcher
    let observers: [any PipelineOutput]

    /// Opens the database and loads the rules; `run()` starts the room. `output` receives each
    /// printed line (stdout in `vitals run`).
    ///
    /// `observers` receive everything the pipeline produces too, on the daemon's queue (the demo's
    /// live display).
    public init(
        configuration: RoomDaemonConfiguration, log: Logger, output: @escaping @Sendable (String) -> Void,
        observers: [any PipelineOutput] = []
    ) throws {
        self.configuration = configuration
        self.log = log
        self.clock = MonotonicRunClock(speed: configuration.speed)
        self.database = try VitalsDatabase(path: configuration.databasePath)
        let clock = self.clock
        let log = self.log
        self.writer = ReadingWriter(
            database: database, configuration: WriterConfiguration(room: configuration.room),
            now: { clock.wallClock(at: clock.now()) },
            onError: { log.error("\($0)") })
        self.printer = EventPrinter(
            format: configuration.format,
            options: .init(
                readings: configuration.printReadings, statuses: configuration.printReadings,
                deviceEvents: configuration.printReadings),
            write: output)
        self.store = StoreOutput(writer: writer)
        self.rules = try configuration.rulesPath.map { path throws(RuleLoadError) in try RuleSet.load(path: path) }
        self.matcher = DeviceMatcher(devicesFile: configuration.devicesFile)
        self.pipeline = RoomPipeline(clock: clock, evaluator: nil, outputs: [])
        self.observers = observers
        self.session = try database.openSession(room: configuration.room)
        self.pipeline = makePipeline()
    }

    /// Starts everything and blocks until SIGINT/SIGTERM or `stop()`; everything recorded is
    /// flushed before it returns.
    public func run() {
        queue.sync { start() }
        finished.wait()
    }

    /// Asks the daemon to stop (as SIGTERM does); `run()` returns once everything is flushed.
    public func stop() {
        queue.async { self.shutdown() }
    }

    /// The devices attached and their connection states (for tests and `vitals status`).
    public var deviceStates: [String: ConnectionState] {
        queue.sync { ports.mapValues { $0.machine.state } }
    }

    // MARK: - Lifecycle (on `queue`)

    func start() {
        writer.startTimer()
        installSignals()
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
                for device in try UdevEnumerator.serialDevices() { consider(device, why: "present at start") }
            } catch {
                log.warning("cannot enumerate serial devices: \(error)")
            }
        }
        attachFixedPorts()
        retireAlertsOfAnEarlierRun()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .milliseconds(Int(configuration.tickInterval.milliseconds)))
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
        let names = ports.values.map { "\($0.name) (\($0.profile.id))" }.sorted().joined(separator: ", ")
        log.info("ready: room \(configuration.room), database \(configuration.databasePath), rules \(rules.map { "\($0.rules.count) rules" } ?? "none"), devices: \(names.isEmpty ? "none yet" : names)")
    }

    /// Alerts an earlier `vitals run` left active in the open session end here: this run's
    /// engine starts without their state and raises them again from new data if their
    /// conditions still hold. Without this, tail and status would show them forever.
    func retireAlertsOfAnEarlierRun() {
        guard let session, let active = try? database.activeAlerts(session: session.id), !active.isEmpty else { return }
        let now = clock.now()
        for a in active {
            let e = AlertEvent(
                time: now, hostTime: clock.wallClock(at: now), rule: a.rule, priority: a.priority, kind: a.kind,
                event: .cleared, metric: a.metric,
                message: "Cleared: \(a.message) (vitals run restarted; the rules re-evaluate it from new data)",
                occurrence: a.occurrence)
            printer.alert(e)
            store.alert(e)
        }
        log.notice("\(active.count) alert(s) of an earlier run ended; the rules re-evaluate from new data")
    }

    func shutdown() {
        guard !stopping else { return }
        stopping = true
        timer?.cancel()
        monitor?.stop()
        for s in signalSources { s.cancel() }
        let now = clock.now()
        for port in ports.values { port.close() }
        pipeline.advance(to: now)
        pipeline.finish()
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

    /// Reloads the rule file; a file with errors keeps the old rules and logs why.
    func reloadRules() {
        guard let path = configuration.rulesPath else { return }
        do {
            let fresh = try RuleSet.load(path: path)
            if let engine {
                let events = try engine.reload(rules: fresh)
                pipeline.evaluatorChanged()
                for e in events { printer.alert(e); store.alert(e) }
            }
            rules = fresh
            if engine == nil { pipeline = makePipeline() }
            log.info("rules reloaded from \(path): \(fresh.rules.count) rules")
        } catch {
            log.error("rules not reloaded, keeping the old ones: \(error)")
        }
    }

    /// A pipeline with an engine for the current session's limits and dose.
    func makePipeline() -> RoomPipeline {
        engine = nil
        if let rules {
            let wanted = session?.plan.limits ?? [:]
            let known = wanted.filter { rules.limit(named: $0.key) != nil }
            for name in wanted.keys.sorted() where known[name] == nil {
                log.notice("session limit \(name) is not a limit of the rules; kept for the record only")
            }
            let clock = self.clock
            do {
                // Occurrences continue above those stored, so a restart never folds new events
                // into an earlier run's alert rows.
                let stored = session.flatMap { try? database.maxOccurrence(session: $0.id) } ?? 0
                engine = try RuleEngine(
                    rules: rules, limits: known, hostTime: { clock.wallClock(at: $0) }, firstOccurrence: stored + 1)
            } catch {
                log.error("rules engine not started: \(error)")
            }
        }
        let p = RoomPipeline(clock: clock, evaluator: engine, outputs: [printer, store] + observers)
        for port in ports.values { p.attach(device: port.name, provides: port.profile.metrics) }
        doseApplied = nil
        return p
    }
}
