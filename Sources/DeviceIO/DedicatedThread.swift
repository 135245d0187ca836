import Glibc

/// A POSIX thread that runs one closure and can be joined.
///
/// DeviceIO keeps blocking reads and libudev objects on threads of their own: a reader blocks in
/// `poll()` without tying up the Swift concurrency pool, and libudev (systemd 252) requires each
/// of its objects to live and die on one thread.
final class DedicatedThread: Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(body: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { argument in
            let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
            body.body()
            return nil
        }, box)
        // pthread_create only fails when the process is out of threads or memory; nothing in
        // the bridge can continue sensibly then.
        precondition(rc == 0, "pthread_create failed: \(String(cString: strerror(rc)))")
        handle = thread
    }

    /// True when called from this thread.
    var isCurrent: Bool { pthread_equal(pthread_self(), handle) != 0 }

    /// Lets the thread release its resources on its own when it ends; never join it afterwards.
    func detach() {
        pthread_detach(handle)
    }

    /// Waits until the closure has returned. Must not be called from the thread itself.
    func join() {
        precondition(!isCurrent, "a thread cannot join itself")
        pthread_join(handle, nil)
    }
}

/// The closure handed to a new thread.
private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void

    init(body: @escaping @Sendable () -> Void) {
        self.body = body
    }
}
