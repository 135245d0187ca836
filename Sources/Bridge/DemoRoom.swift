import DeviceIO
import DeviceProtocols
import Foundation
import Logging
import Reports
import Store
import VitalsCore

/// The whole room on simulated devices, for a first look (`vitals demo`): a session for a demo
/// patient, a simulated Nonin DF7 and SunTech Advantage on pseudo-terminals attached through the
/// same serial path as real monitors, the shipped rules, and the ketamine scenario with one
/// desaturation, compressed so two hours pass in about a minute.
public final class DemoRoom: Sendable {
    /// What to run.
    public struct Options: Sendable {
        /// Where the database, the devices file and the pty links go.
        public var directory: String
        /// The rule file.
        public var rulesPath: String
        /// Time compression (120: two hours in a minute).
        public var speed: Double = 120
        /// When the dose is given, in demo time.
        public var doseAt: Duration = .seconds(600)
        /// The observation after the dose (at least two hours for esketamine, reference A).
        public var observation: Duration = .seconds(7200)
        /// Session length in demo time: the pre-dose baseline, then the whole observation.
        public var duration: Duration { doseAt + observation }
        /// A multi-parameter monitor (`philips-intellivue`, `ge-s5`) instead of the oximeter and
        /// the cuff: one pty, its host dialogue, and the scenario's respiratory depression on
        /// its capnography (issue 14).
        public var monitor: (any DeviceProfile.Type)?
        /// How long the run takes in real time.
        public var realDuration: Duration { duration / speed }
        /// How far before the real start the session's labels begin, so that the last label is
        /// the real end: the stored session lies in the past, never in the future.
        public var labelOffset: Duration { duration - realDuration }
        /// The fastest compression the demo allows. The stale-SpO2 rule allows 30 s of demo time,
        /// which is 100 ms of real time at 300x and 50 ms at 600x: measured on a loaded two-core
        /// machine (load 9), 200x and 300x raised no stale-data alert while 600x raised two (at
        /// start, while the ports attach, and once mid-session), and 1200x more (issue 19). With
        /// the whole test suite running beside it, 300x fell behind as well: the default, 120x,
        /// leaves a margin of 250 ms.
        public static let maxSpeed: Double = 300

        /// Options.
        public init(directory: String, rulesPath: String) {
            self.directory = directory
            self.rulesPath = rulesPath
        }

        /// The database file.
        public var databasePath: String { directory + "/demo.sqlite" }
    }

    /// What the run produced.
    public struct Result: Sendable {
        /// The session recorded.
        public var sessionID: Int64
        /// `vitals session show` for it.
        public var report: String
        /// Every alert event, in order.
        public var alerts: [AlertEvent]
        /// The database file.
        public var databasePath: String
    }

    let options: Options
    let log: Logger
    /// What the display reads.
    public let vitals: LiveVitals

    /// A demo; `onAlert` runs for each alert event as it happens.
    public init(options: Options, log: Logger, onAlert: @escaping @Sendable (AlertEvent) -> Void) {
        self.options = options
        self.log = log
        self.vitals = LiveVitals(onAlert: onAlert)
    }

    /// The simulator a demo device runs, when not the profile's default. Time is compressed
    /// (`speed` 120: a device second is 8 ms), so a host time-out of a few device seconds becomes
    /// a few milliseconds of scheduling jitter on a busy machine: the demo's IntelliVue waits 2
    /// minutes of device time for the host instead of 10 s before it aborts the association.
    /// (`vitals run` on a real monitor runs at speed 1, where the 4 s keep-alive has 6 s to spare.)
    static func demoEncoder(for profile: any DeviceProfile.Type) -> (any DeviceEncoder)? {
        profile.id == PhilipsIntelliVue.id ? IntelliVueEncoder(silenceTimeout: .seconds(120)) : nil
    }

    /// Runs the session to its end; `progress` is called about twice a second with the demo time.
    public func run(progress: (Duration, LiveVitals.Snapshot) -> Void) throws -> Result {
        let dir = options.directory
        let database = try VitalsDatabase(path: options.databasePath)
        // The session lies in the past: its compressed run ends now (issue 19: "Ended 20:14" at 18:06).
        let offset = options.labelOffset.milliseconds
        let start = MonotonicRunClock.realtimeMillis() - offset
        let plan = SessionPlan(
            room: "demo", patientRef: "DEMO-0001", clinician: "Demo Clinician", medication: "esketamine",
            dose: "84 mg", route: "intranasal", observeMilliseconds: options.observation.milliseconds)
        let session = try database.startSession(plan, at: start)

        let scenario = Scenario.ketamineSession
        // The simulated devices: a monitor's pty, or the oximeter's and the cuff's.
        var attached: [(profile: any DeviceProfile.Type, label: String)] = [(NoninDF7.self, "oximeter"), (SunTechAdvantage.self, "nibp")]
        if let monitor = options.monitor { attached = [(monitor, "monitor")] }
        let simulators = try attached.map { d in
            try PtySimulator(
                device: SimulatedDevice(
                    profile: d.profile, scenario: scenario, dose: options.doseAt, encoder: Self.demoEncoder(for: d.profile)),
                speed: options.speed, linkPath: dir + "/" + d.label)
        }
        let devices = DevicesFile(
            path: dir + "/devices.yaml",
            entries: attached.map { DevicesFile.Entry(key: .port(dir + "/" + $0.label), profileID: $0.profile.id, label: $0.label) })
        var config = RoomDaemonConfiguration(
            databasePath: options.databasePath, rulesPath: options.rulesPath, room: "demo", devicesFile: devices)
        config.useUdev = false
        config.speed = options.speed
        config.labelOffsetMilliseconds = offset
        let daemon = try RoomDaemon(configuration: config, log: log, output: { _ in }, observers: [vitals])

        for simulator in simulators { simulator.start() }
        let stopped = DispatchSemaphore(value: 0)
        let daemonThread = Thread {
            daemon.run()
            stopped.signal()
        }
        daemonThread.start()

        let realStart = ContinuousClock.now
        var doseRecorded = false
        while true {
            let demoTime = (ContinuousClock.now - realStart) * options.speed
            if !doseRecorded, demoTime >= options.doseAt {
                try database.recordDose(session: session.id, at: start + options.doseAt.milliseconds, text: plan.dose ?? "")
                doseRecorded = true
            }
            progress(min(demoTime, options.duration), vitals.snapshot)
            if demoTime >= options.duration { break }
            // Half a second, or less to end on time: at 300x half a second is 150 demo seconds.
            let left = (options.duration - demoTime) / options.speed
            Thread.sleep(forTimeInterval: min(0.5, max(0.001, left.secondsDouble)))
        }
        // The room stops before its monitors: unplugging them first raised "disconnected" alerts
        // at the end of every demo.
        daemon.stop()
        stopped.wait()
        for simulator in simulators { _ = simulator.stop() }
        let end = start + options.duration.milliseconds
        try database.endSession(session.id, at: end, reason: "demo finished")
        let report = try database.report(session: session.id, now: end).text()
        return Result(sessionID: session.id, report: report, alerts: vitals.snapshot.events, databasePath: options.databasePath)
    }
}
