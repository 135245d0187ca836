import DeviceIO
import DeviceProtocols
import Foundation
import Glibc
import Synchronization
import VitalsCore

/// A simulated device on a pseudo-terminal: `vitals simulate` and the demo. It writes the
/// device's bytes at the device's pace (divided by `speed`), answers what the host writes, and
/// records the dialogue as a fixture when asked.
///
/// When the scenario unplugs the device, the pty is closed (a reader of the port sees EOF, as
/// with a real unplug) and a new one is made under the same link path when the device comes
/// back, as a replugged adapter reappears.
public final class PtySimulator: Sendable {
    /// Where the simulator is.
    public struct Status: Sendable {
        /// The pty's slave path while connected.
        public var slavePath: String?
        /// Device time since the simulation began.
        public var deviceTime: Duration
    }

    private let state: Mutex<State>
    private let linkPath: String?
    private let speed: Double
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    struct State: Sendable {
        var device: SimulatedDevice
        var pty: PseudoTerminal?
        var recording: UmockdevScript?
        var lastRecorded: Duration = .zero
        var deviceTime: Duration = .zero
    }

    /// Creates the pty (and the symlink at `linkPath`); `start()` begins the stream.
    /// `speed` compresses time (120: two hours in a minute).
    public init(device: SimulatedDevice, speed: Double = 1, linkPath: String? = nil, record: Bool = false) throws {
        precondition(speed > 0)
        self.speed = speed
        self.linkPath = linkPath
        let pty = try PseudoTerminal(linkPath: linkPath)
        state = Mutex(State(device: device, pty: pty, recording: record ? UmockdevScript(comments: [
            "vitals simulate \(device.profile.id) --scenario \(device.scenario.rawValue): recorded from the simulator's encoder",
        ]) : nil))
    }

    /// The pty's slave path (the port a program opens), while connected.
    public var slavePath: String? { state.withLock { $0.pty?.slavePath } }

    /// Where the simulation is.
    public var status: Status { state.withLock { Status(slavePath: $0.pty?.slavePath, deviceTime: $0.deviceTime) } }

    /// Starts writing on a thread of its own; it runs until `stop()` or `duration` of device time.
    public func start(duration: Duration? = nil) {
        let thread = Thread { [self] in
            run(duration: duration)
            finished.signal()
        }
        thread.name = "vitals-simulator"
        thread.start()
    }

    /// Stops the stream and closes the pty; returns the recording if one was asked for.
    @discardableResult
    public func stop() -> UmockdevScript? {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        finished.wait()
        return state.withLock { s in
            s.pty?.close()
            s.pty = nil
            return s.recording
        }
    }

    /// Waits until the run ends by itself (its duration reached).
    public func wait() { finished.wait(); finished.signal() }

    private func run(duration: Duration?) {
        let origin = ContinuousClock.now
        while !stopRequested.load(ordering: .sequentiallyConsistent) {
            let (period, chunks, connected, start) = state.withLock { s in
                let start = s.device.now
                let r = s.device.nextPeriod()
                return (r.period, r.chunks, r.connected, start)
            }
            if let duration, start >= duration { break }
            reconnect(connected)
            for chunk in chunks {
                let at = start + chunk.offset
                pace(until: at, origin: origin)
                if stopRequested.load(ordering: .sequentiallyConsistent) { return }
                send(chunk.bytes, at: at)
            }
            pace(until: start + period, origin: origin)
            state.withLock { $0.deviceTime = start + period }
        }
    }

    /// Sleeps until device time `at` (scaled), answering the host meanwhile.
    private func pace(until at: Duration, origin: ContinuousClock.Instant) {
        let target = origin + at / speed
        // Behind time (a loaded machine, a high --speed): still read what the host wrote before
        // the next period, as a real device hears the host while it sends; else a monitor with a
        // host time-out (IntelliVue's) counts periods with the host's answers unread and aborts.
        if target <= ContinuousClock.now { answerHost(waiting: .zero, at: at) }
        while !stopRequested.load(ordering: .sequentiallyConsistent) {
            let left = target - ContinuousClock.now
            if left <= .zero { return }
            answerHost(waiting: min(left, .milliseconds(50)), at: at)
        }
    }

    private func answerHost(waiting: Duration, at: Duration) {
        guard let pty = state.withLock({ $0.pty }) else {
            Thread.sleep(forTimeInterval: waiting.secondsDouble)
            return
        }
        guard let bytes = try? pty.read(timeout: waiting), !bytes.isEmpty else { return }
        let reply = state.withLock { s -> [UInt8] in
            if s.recording != nil {
                s.recording!.appendWrite(bytes, after: at - s.lastRecorded)
                s.lastRecorded = at
            }
            return s.device.receive(bytes)
        }
        if !reply.isEmpty { send(reply, at: at) }
    }

    private func send(_ bytes: [UInt8], at: Duration) {
        state.withLock { s in
            guard let pty = s.pty else { return }
            Self.writeOrDrop(bytes, to: pty.masterFileDescriptor)
            if s.recording != nil {
                s.recording!.appendRead(bytes, after: at - s.lastRecorded)
                s.lastRecorded = at
            }
        }
    }

    /// Writes what the pty takes now and drops the rest, as a serial line does when nobody
    /// reads it; a simulator must never stall (or hold its lock) waiting for a reader.
    static func writeOrDrop(_ bytes: [UInt8], to fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags & O_NONBLOCK == 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// Closes the pty when the scenario unplugs the device; makes a new one when it returns.
    private func reconnect(_ connected: Bool) {
        state.withLock { s in
            if !connected, let pty = s.pty {
                pty.close()
                s.pty = nil
            } else if connected, s.pty == nil {
                s.pty = try? PseudoTerminal(linkPath: linkPath)
            }
        }
    }
}
