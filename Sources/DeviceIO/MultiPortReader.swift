import CEpoll
import Glibc
import Synchronization

/// Reads any number of ``SerialPort``s on ONE thread blocked in `epoll_wait`, and hands each
/// read to the port's callback on that thread.
///
/// `vitals run` with 32 devices used to run a ``PortReader`` thread per port; every frame then
/// cost two thread wake-ups (the port's reader, then the daemon's queue), and task switching
/// was most of the room's CPU (docs/BENCHMARKS.md, figure 6). With one thread for all ports a
/// frame costs one wake-up, a read and whatever the callback does (the daemon decodes there and
/// wakes its queue only when a packet decoded), and ports that are ready together are served
/// in one wake-up. Level-triggered, one `read()` of up to `chunkSize` bytes per ready port per
/// round, so one busy port cannot starve the others.
///
/// Per port, events come in order on the reader's thread: any number of `onBytes`, then at most
/// one `onGone` when the device went away (EOF, EIO, or a hang-up with nothing left to read).
/// Nothing is delivered after ``Registration/stop()`` returns, and nothing is read once the
/// port is closed; neither produces `onGone`. Callbacks must not block for long (every port
/// waits on them; the kernel's buffer, 4 KiB for a tty, holds bytes meanwhile) and must not
/// stop their own registration.
public final class MultiPortReader: Sendable {
    /// One port being read; ``stop()`` ends it.
    public final class Registration: Sendable {
        /// The port being read.
        public let port: SerialPort
        let token: UInt64
        /// True until stopped or gone; held while a callback runs, so ``stop()`` waits for it.
        let active = Mutex(true)
        let onBytes: @Sendable (UnsafeRawBufferPointer) -> Void
        let onGone: @Sendable (PortGoneReason) -> Void
        /// The reader's epoll set and table (a cycle while registered, broken when it ends).
        let shared: Shared

        init(
            port: SerialPort, token: UInt64, shared: Shared,
            onBytes: @escaping @Sendable (UnsafeRawBufferPointer) -> Void,
            onGone: @escaping @Sendable (PortGoneReason) -> Void
        ) {
            self.port = port
            self.token = token
            self.shared = shared
            self.onBytes = onBytes
            self.onGone = onGone
        }

        /// Stops reading the port (it stays open) and waits for a callback in progress to
        /// return. Safe to call more than once and from any thread but the callback's own.
        public func stop() {
            active.withLock { active in
                guard active else { return }
                active = false
                shared.forget(self)
            }
        }
    }

    private let shared: Shared
    private let thread: Mutex<DedicatedThread?> = Mutex(nil)
    private let nextToken = Atomic<UInt64>(1)

    /// A reader with no ports yet; its thread starts at once and idles in `epoll_wait`.
    public init(chunkSize: Int = 4096) throws(SystemCallError) {
        let epoll = vitals_epoll_create()
        guard epoll >= 0 else { throw SystemCallError("epoll_create1") }
        let wake = vitals_eventfd()
        guard wake >= 0 else {
            let error = SystemCallError("eventfd")
            Glibc.close(epoll)
            throw error
        }
        // Token 0 is the stop signal.
        guard vitals_epoll_add(epoll, wake, 0) == 0 else {
            let error = SystemCallError("epoll_ctl(ADD eventfd)")
            Glibc.close(wake)
            Glibc.close(epoll)
            throw error
        }
        let shared = Shared(epoll: epoll, wake: wake, chunkSize: max(1, chunkSize))
        self.shared = shared
        thread.withLock { $0 = DedicatedThread { shared.run() } }
    }

    /// Starts reading `port`: `onBytes` gets each read (the buffer is valid only during the
    /// call), `onGone` the end of the device. Both run on the reader's thread.
    public func add(
        _ port: SerialPort,
        onBytes: @escaping @Sendable (UnsafeRawBufferPointer) -> Void,
        onGone: @escaping @Sendable (PortGoneReason) -> Void
    ) throws(SystemCallError) -> Registration {
        let token = nextToken.add(1, ordering: .relaxed).oldValue
        let registration = Registration(port: port, token: token, shared: shared, onBytes: onBytes, onGone: onGone)
        shared.registrations.withLock { $0[token] = registration }
        let code: Int32 = port.withDescriptor { fd in vitals_epoll_add(shared.epoll, fd, token) == 0 ? 0 : errno } ?? EBADF
        guard code == 0 else {
            registration.active.withLock { $0 = false }
            shared.registrations.withLock { _ = $0.removeValue(forKey: token) }
            throw SystemCallError("epoll_ctl(ADD \(port.path))", code: code)
        }
        return registration
    }

    /// The ports being read now.
    public var count: Int { shared.registrations.withLock { $0.count } }

    /// Stops every registration and ends the thread; the ports stay open. Safe to call more than
    /// once. From a callback (the owner released there) it only asks the thread to end after the
    /// current round, without waiting.
    public func stop() {
        let onLoop = thread.withLock { $0?.isCurrent ?? false }
        if !onLoop {
            for registration in shared.registrations.withLock({ Array($0.values) }) { registration.stop() }
        }
        let running = thread.withLock { t -> DedicatedThread? in
            defer { t = nil }
            return t
        }
        guard let running else { return }
        var one: UInt64 = 1
        _ = Glibc.write(shared.wake, &one, MemoryLayout<UInt64>.size)
        if onLoop {
            running.detach()
        } else {
            running.join()
        }
    }

    deinit {
        stop()
    }
}

extension MultiPortReader {
    /// What the reader's thread and the registrations share: the epoll set, the stop signal and
    /// the table of ports by token. Its descriptors close when the last of them lets go.
    final class Shared: Sendable {
        let epoll: Int32
        let wake: Int32
        let chunkSize: Int
        let registrations = Mutex<[UInt64: Registration]>([:])

        init(epoll: Int32, wake: Int32, chunkSize: Int) {
            self.epoll = epoll
            self.wake = wake
            self.chunkSize = chunkSize
        }

        deinit {
            Glibc.close(wake)
            Glibc.close(epoll)
        }

        /// Drops `registration` from the epoll set and the table (under its `active` lock).
        func forget(_ registration: Registration) {
            // A closed port's descriptor left the epoll set when it was closed.
            _ = registration.port.withDescriptor { fd in vitals_epoll_remove(epoll, fd) }
            registrations.withLock { _ = $0.removeValue(forKey: registration.token) }
        }

        /// The reader's thread.
        func run() {
            let capacity: Int32 = 64
            var tokens = [UInt64](repeating: 0, count: Int(capacity))
            var events = [UInt32](repeating: 0, count: Int(capacity))
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = vitals_epoll_wait(epoll, &tokens, &events, capacity, -1)
                if n < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    // Only EBADF/EFAULT/EINVAL, none of which can happen to a valid epoll set:
                    // end every port rather than spin, so the room sees them gone.
                    for r in registrations.withLock({ Array($0.values) }) { end(r, .error(code)) }
                    return
                }
                for i in 0..<Int(n) {
                    if tokens[i] == 0 { return }
                    guard let registration = registrations.withLock({ $0[tokens[i]] }) else { continue }
                    service(registration, events: events[i], buffer: buffer)
                }
            }
        }

        /// One read of a ready port, and its callback.
        private func service(_ r: Registration, events: UInt32, buffer: UnsafeMutableRawBufferPointer) {
            r.active.withLock { active in
                guard active else { return }
                // Read under the port's lock so a concurrent close cannot hand us a reused number.
                let result: (count: Int, code: Int32)? = r.port.withDescriptor { fd in
                    let n = Glibc.read(fd, buffer.baseAddress!, buffer.count)
                    return (n, n < 0 ? errno : 0)
                }
                guard let result else {
                    // Closed under us: no `gone` (whoever closed it knows).
                    active = false
                    forget(r)
                    return
                }
                if result.count > 0 {
                    r.onBytes(UnsafeRawBufferPointer(rebasing: buffer[0..<result.count]))
                    return
                }
                let reason: PortGoneReason
                if result.count == 0 {
                    reason = .endOfFile
                } else if result.code == EAGAIN || result.code == EINTR {
                    // Hung up or failed with nothing to read: waiting again would spin.
                    guard events & (vitals_epoll_hup | vitals_epoll_err) != 0 else { return }
                    reason = .error(EIO)
                } else {
                    reason = .error(result.code)
                }
                active = false
                forget(r)
                r.onGone(reason)
            }
        }

        private func end(_ r: Registration, _ reason: PortGoneReason) {
            r.active.withLock { active in
                guard active else { return }
                active = false
                forget(r)
                r.onGone(reason)
            }
        }
    }
}
