import CUdev
import Dispatch
import Glibc
import Synchronization

/// Watches serial ports come and go (subsystem `tty`) on a thread of its own.
///
/// libudev (systemd 252) requires every object to be created, used and released by one thread,
/// so the udev context and monitor live on the monitor's dedicated thread for their whole life
/// and only ``UdevEvent`` values leave it. Start the monitor before enumerating with
/// ``UdevEnumerator`` so nothing plugged in between is missed (a port may then be seen twice;
/// treat `add` of a known port as a no-op).
public final class UdevMonitor: Sendable {
    /// Which netlink group to listen to.
    public enum Source: String, Sendable, Hashable {
        /// Events udevd re-sends after its rules ran and the node exists (the normal case).
        case udev
        /// Raw kernel uevents: the only ones there are when no udevd runs (containers, minimal
        /// systems). The node may appear a moment after the event and carries no `ID_*`
        /// properties; a failed open is retried by the connection's backoff.
        case kernel

        /// `.udev` when a udev daemon runs (`/run/udev/control` exists), else `.kernel`:
        /// systemd disables the udev group when no daemon runs, so the `udev` source would stay
        /// silent. (Under umockdev both sources receive the testbed's events.)
        public static var automatic: Source {
            access("/run/udev/control", F_OK) == 0 ? .udev : .kernel
        }
    }

    /// The source listened to.
    public let source: Source
    private let stopSignal: WakePipe
    private let thread: DedicatedThread
    private let joined = Mutex(false)

    /// Starts watching; `onEvent` runs on the monitor's thread. Returns once the monitor is
    /// receiving, so every event after this call is delivered.
    public convenience init(
        source: Source = .automatic, onEvent: @escaping @Sendable (UdevEvent) -> Void
    ) throws(UdevError) {
        try self.init(source: source, onEvent: onEvent, onFinish: {})
    }

    private init(
        source: Source, onEvent: @escaping @Sendable (UdevEvent) -> Void, onFinish: @escaping @Sendable () -> Void
    ) throws(UdevError) {
        self.source = source
        let stopSignal: WakePipe
        do { stopSignal = try WakePipe() } catch { throw UdevError(call: error.call, code: error.code) }
        self.stopSignal = stopSignal
        let setup = Mutex<UdevError??>(nil)
        let ready = DispatchSemaphore(value: 0)
        thread = DedicatedThread {
            UdevMonitor.run(source: source, stopSignal: stopSignal, onEvent: onEvent) { result in
                setup.withLock { $0 = .some(result) }
                ready.signal()
            }
            onFinish()
        }
        ready.wait()
        if let failure = setup.withLock({ $0 ?? nil }) {
            thread.join()
            joined.withLock { $0 = true }
            throw failure
        }
    }

    /// Starts watching and returns the monitor with its events as an `AsyncStream`, which
    /// finishes on ``stop()``. Events are buffered without limit: keep consuming them.
    public static func stream(
        source: Source = .automatic
    ) throws(UdevError) -> (monitor: UdevMonitor, events: AsyncStream<UdevEvent>) {
        let (events, continuation) = AsyncStream.makeStream(of: UdevEvent.self)
        let monitor = try UdevMonitor(
            source: source, onEvent: { continuation.yield($0) }, onFinish: { continuation.finish() }
        )
        return (monitor, events)
    }

    /// Stops watching and waits until the thread has released libudev. Safe to call more than
    /// once, and from the callback (then it does not wait).
    public func stop() {
        stopSignal.signal()
        guard !thread.isCurrent else { return }
        joined.withLock { done in
            guard !done else { return }
            thread.join()
            done = true
        }
    }

    deinit {
        if thread.isCurrent {
            stopSignal.signal()
            thread.detach()
        } else {
            stop()
        }
    }

    /// The monitor thread: sets up, reports the outcome through `started`, then delivers
    /// events until stopped. Every libudev object is released here, on this thread.
    private static func run(
        source: Source, stopSignal: WakePipe, onEvent: @Sendable (UdevEvent) -> Void,
        started: (UdevError?) -> Void
    ) {
        guard let udev = udev_new() else { return started(UdevError(call: "udev_new", code: errno)) }
        defer { udev_unref(udev) }
        guard let monitor = udev_monitor_new_from_netlink(udev, source.rawValue) else {
            return started(UdevError(call: "udev_monitor_new_from_netlink(\(source.rawValue))", code: errno))
        }
        defer { udev_monitor_unref(monitor) }
        var rc = udev_monitor_filter_add_match_subsystem_devtype(monitor, "tty", nil)
        guard rc >= 0 else { return started(UdevError(call: "udev_monitor_filter_add_match_subsystem_devtype", code: -rc)) }
        rc = udev_monitor_enable_receiving(monitor)
        guard rc >= 0 else { return started(UdevError(call: "udev_monitor_enable_receiving", code: -rc)) }
        // The monitor owns this socket and closes it in udev_monitor_unref.
        let socket = udev_monitor_get_fd(monitor)
        started(nil)

        while true {
            var fds = [
                pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopSignal.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            while let device = udev_monitor_receive_device(monitor) {
                defer { udev_device_unref(device) }
                if let event = event(from: device) { onEvent(event) }
            }
        }
    }

    /// The event for a received device, or `nil` for one that is not a serial port.
    private static func event(from device: OpaquePointer) -> UdevEvent? {
        guard let subsystem = udev_device_get_subsystem(device), String(cString: subsystem) == "tty" else { return nil }
        let action = UdevEvent.Action(udev_device_get_action(device).map { String(cString: $0) } ?? "change")
        if action == .remove {
            // sysfs is gone already; only the virtual check can be made.
            if let syspath = udev_device_get_syspath(device), String(cString: syspath).contains("/devices/virtual/") {
                return nil
            }
        } else if !UdevEnumerator.isRealSerialPort(device) {
            return nil
        }
        guard let info = SerialDeviceInfo(udevDevice: device, resolveByIDLinks: action != .remove) else { return nil }
        return UdevEvent(action: action, device: info)
    }
}
