import Glibc
import Synchronization

/// Reads a ``SerialPort`` on a thread of its own and hands each chunk to a callback.
///
/// `vitals run` reads all its ports on one thread with ``MultiPortReader`` instead (a thread a
/// port cost two wake-ups a frame); this one serves a single port, and the footprint
/// benchmark's baseline.
///
/// The thread blocks in `poll()` on the port, the port's close signal and the reader's own stop
/// signal, so it costs nothing while the line is silent and never occupies the Swift
/// concurrency pool. A plain thread was chosen over swift-nio's `NIOPipeBootstrap`: the bridge
/// needs one byte stream per port and nothing of a channel pipeline, termios must be applied
/// before NIO would take the descriptor anyway, and EOF versus EIO is visible directly here
/// instead of through `errorCaught`/`channelInactive`.
///
/// Events come in order on the reader's thread: any number of `.bytes`, then at most one
/// `.gone` when the device went away (EOF or EIO). Nothing is delivered after ``stop()``
/// returns, and nothing is read once the port is closed; neither produces a `.gone`. The
/// callback must not block for long: the kernel's buffer (4 KiB for a tty) is all that holds
/// bytes meanwhile.
public final class PortReader: Sendable {
    /// The port being read.
    public let port: SerialPort
    private let stopSignal: WakePipe
    private let thread: DedicatedThread
    /// Set once the thread has been joined; held while joining so concurrent callers wait too.
    private let joined = Mutex(false)

    /// Starts reading `port`; `onEvent` runs on the reader's thread.
    public convenience init(
        port: SerialPort, chunkSize: Int = 4096, onEvent: @escaping @Sendable (PortEvent) -> Void
    ) throws(SystemCallError) {
        try self.init(port: port, chunkSize: chunkSize, onEvent: onEvent, onFinish: {})
    }

    private init(
        port: SerialPort, chunkSize: Int, onEvent: @escaping @Sendable (PortEvent) -> Void,
        onFinish: @escaping @Sendable () -> Void
    ) throws(SystemCallError) {
        self.port = port
        let stopSignal = try WakePipe()
        self.stopSignal = stopSignal
        thread = DedicatedThread {
            PortReader.run(port: port, stopSignal: stopSignal, chunkSize: max(1, chunkSize), onEvent: onEvent)
            onFinish()
        }
    }

    /// Starts reading `port` and returns the reader with its events as an `AsyncStream`, which
    /// finishes after `.gone`, on ``stop()`` or when the port is closed. Events are buffered
    /// without limit: keep consuming them, and stop the reader (or close the port) when done.
    public static func stream(
        _ port: SerialPort, chunkSize: Int = 4096
    ) throws(SystemCallError) -> (reader: PortReader, events: AsyncStream<PortEvent>) {
        let (events, continuation) = AsyncStream.makeStream(of: PortEvent.self)
        let reader = try PortReader(
            port: port, chunkSize: chunkSize, onEvent: { continuation.yield($0) },
            onFinish: { continuation.finish() }
        )
        return (reader, events)
    }

    /// Stops reading and waits for the thread to end; the port stays open. Safe to call more
    /// than once, and from the callback itself (then it does not wait).
    public func stop() {
        stopSignal.signal()
        waitUntilFinished()
    }

    /// Waits until the reader's thread has ended (after `.gone`, ``stop()`` or the port's
    /// close). Returns at once when called from the callback.
    public func waitUntilFinished() {
        guard !thread.isCurrent else { return }
        joined.withLock { done in
            guard !done else { return }
            thread.join()
            done = true
        }
    }

    deinit {
        stopSignal.signal()
        if thread.isCurrent {
            // Released from its own callback: nobody can join it, so let it clean up itself.
            thread.detach()
        } else {
            waitUntilFinished()
        }
    }

    private static func run(
        port: SerialPort, stopSignal: WakePipe, chunkSize: Int, onEvent: @Sendable (PortEvent) -> Void
    ) {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            guard let fd = port.fileDescriptor else { return }
            var fds = [
                pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: port.closeSignal.readEnd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopSignal.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                onEvent(.gone(.error(errno)))
                return
            }
            if fds[1].revents != 0 || fds[2].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            if fds[0].revents & Int16(POLLNVAL) != 0 {
                // The descriptor was closed under us: the port's close signal will say so.
                if port.isClosed { return }
                onEvent(.gone(.error(EBADF)))
                return
            }
            // Read under the port's lock so a concurrent close cannot hand us a reused number.
            let result: (count: Int, code: Int32)? = port.withDescriptor { fd in
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                return (n, n < 0 ? errno : 0)
            }
            guard let result else { return }
            if result.count > 0 {
                onEvent(.bytes(Array(buffer[0..<result.count])))
            } else if result.count == 0 {
                onEvent(.gone(.endOfFile))
                return
            } else if result.code != EAGAIN && result.code != EINTR {
                onEvent(.gone(.error(result.code)))
                return
            } else if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 {
                // Hung up or failed with nothing to read: polling again would spin.
                onEvent(.gone(.error(EIO)))
                return
            }
        }
    }
}
