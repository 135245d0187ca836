import DeviceIO
import Foundation
import Synchronization
import VitalsCore

/// What reads one open port in `vitals run`.
enum PortReading {
    /// The room's one reader thread (``MultiPortReader``), decoding there with the port's
    /// ``SharedPortDecoding``: the queue wakes only for what decoded.
    case shared(MultiPortReader.Registration, SharedPortDecoding)
    /// The reader path before issue 18: a ``PortReader`` thread for the port, every read handed
    /// to the queue as `.bytes` and decoded by the core. Only for the footprint benchmark's
    /// baseline, measured with the same binary in the same run (``perPortThreads``).
    case ownThread(PortReader)

    /// `VITALS_BENCH_PER_PORT_READERS=1` selects ``ownThread(_:)`` for every port (benchmarks only).
    static let perPortThreads = ProcessInfo.processInfo.environment["VITALS_BENCH_PER_PORT_READERS"] == "1"

    /// Stops reading (the port stays open); nothing is delivered once it returns.
    func stop() {
        switch self {
        case .shared(let registration, _): registration.stop()
        case .ownThread(let reader): reader.stop()
        }
    }

    /// The room is about to write `bytes` to the port: whoever decodes it must know (the core's
    /// own decoding hears it from the core itself).
    func hostWrote(_ bytes: [UInt8]) {
        switch self {
        case .shared(_, let decoding): decoding.hostWrote(bytes)
        case .ownThread: break
        }
    }
}

/// A ``PortDecoding`` shared by `vitals run`'s reader thread, which decodes each read with it,
/// and the daemon's queue, which tells it what the room writes to the port before writing.
final class SharedPortDecoding: Sendable {
    private let state: Mutex<PortDecoding>

    init(_ decoding: PortDecoding) {
        state = Mutex(decoding)
    }

    /// Decodes a read made at `time`; what the core should be given now, if anything.
    func decode(_ bytes: UnsafeRawBufferPointer, at time: RunTime) -> DecodedBytes? {
        state.withLock { $0.decode(bytes, at: time) }
    }

    /// The room is about to write `bytes` to the port.
    func hostWrote(_ bytes: [UInt8]) {
        state.withLock { $0.hostWrote(bytes) }
    }
}
