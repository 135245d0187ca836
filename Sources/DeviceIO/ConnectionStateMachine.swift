import DeviceProtocols
import VitalsCore

/// A device connection's state, driven by what the transport saw and by clock ticks.
///
/// A pure value: no clock reads, no I/O. The caller feeds events with their ``RunTime``
/// (from its injected ``RunClock``), stores every returned ``ConnectionTransition`` as a device
/// event and passes it to the rules engine; after each event it asks ``reopenDue(at:)`` whether
/// to try opening the port again.
///
/// ```
/// connecting --validFrame--> streaming --tick (gap > expectedGap)--> quiet --validFrame--> streaming
///     any open state --gone--> disconnected --tick (backoff over)--> reconnecting
///     disconnected/reconnecting --opened--> connecting      reconnecting --reopenFailed--> (longer backoff)
/// ```
/// A port that opens but sends nothing for longer than the expected gap goes from
/// `connecting` to `quiet` as well, so a silent device is never shown as connecting forever.
public struct ConnectionStateMachine: Sendable, Hashable {
    /// What happened to the connection.
    public enum Event: Sendable, Hashable {
        /// The port was opened and configured.
        case opened(at: RunTime)
        /// The decoder produced a frame that passed its checks.
        case validFrame(at: RunTime)
        /// Time passed (the caller's periodic tick, e.g. every 250 ms).
        case tick(at: RunTime)
        /// The port reported EOF or EIO, a write failed with ENODEV, or udev said `remove`.
        case gone(at: RunTime)
        /// An attempt to (re)open the port failed.
        case reopenFailed(at: RunTime)

        /// When it happened.
        public var time: RunTime {
            switch self {
            case .opened(let at), .validFrame(let at), .tick(let at), .gone(let at), .reopenFailed(let at): at
            }
        }
    }

    /// The current state.
    public private(set) var state: ConnectionState = .connecting
    /// The longest normal silence (the profile's `expectedGap`); longer means `quiet`.
    public let expectedGap: Duration
    /// Waits between reopen attempts.
    public let backoff: ReconnectBackoff
    /// When the last valid frame arrived, or the port was opened if none has since.
    public private(set) var lastActivity: RunTime?
    /// When the next reopen attempt is due, while disconnected or reconnecting.
    public private(set) var nextReopen: RunTime?
    /// Failed reopen attempts since the port went away (the backoff's exponent).
    public private(set) var failedReopens = 0
    /// When the port went away, while disconnected or reconnecting (for the gap's length).
    public private(set) var disconnectedSince: RunTime?

    /// A connection that is about to open its port (state `connecting`).
    public init(expectedGap: Duration, backoff: ReconnectBackoff = ReconnectBackoff()) {
        self.expectedGap = expectedGap
        self.backoff = backoff
    }

    /// A connection for a device of `profile`, quiet after its `expectedGap`.
    public init(profile: any DeviceProfile.Type, backoff: ReconnectBackoff = ReconnectBackoff()) {
        self.init(expectedGap: profile.expectedGap, backoff: backoff)
    }

    /// Applies `event` and returns the transitions it caused, in order (usually zero or one).
    public mutating func handle(_ event: Event) -> [ConnectionTransition] {
        var transitions: [ConnectionTransition] = []
        func move(to next: ConnectionState, at time: RunTime, _ reason: String) {
            guard next != state else { return }
            transitions.append(ConnectionTransition(from: state, to: next, at: time, reason: reason))
            state = next
        }

        switch event {
        case .opened(let at):
            lastActivity = at
            nextReopen = nil
            failedReopens = 0
            let gap = disconnectedSince.map { " after \(Self.seconds(at.since($0))) disconnected" } ?? ""
            disconnectedSince = nil
            move(to: .connecting, at: at, "port opened" + gap)

        case .validFrame(let at):
            // A frame decoded after the port went away is a leftover of the old stream.
            guard state != .disconnected, state != .reconnecting else { break }
            let was = state
            lastActivity = at
            move(to: .streaming, at: at, was == .quiet ? "valid frames again" : "first valid frame")

        case .tick(let at):
            switch state {
            case .connecting, .streaming:
                if let last = lastActivity, at.since(last) > expectedGap {
                    move(to: .quiet, at: at,
                         "no valid frame for \(Self.seconds(at.since(last))) (expected gap \(Self.seconds(expectedGap)))")
                }
            case .disconnected:
                if let due = nextReopen, at >= due { move(to: .reconnecting, at: at, "trying to reopen the port") }
            case .quiet, .reconnecting:
                break
            }

        case .gone(let at):
            guard state != .disconnected, state != .reconnecting else { break }
            disconnectedSince = at
            failedReopens = 0
            nextReopen = at.advanced(by: backoff.delay(afterFailures: 0))
            move(to: .disconnected, at: at, "device gone")

        case .reopenFailed(let at):
            switch state {
            case .connecting:
                // The very first open failed: treat it like a disconnect.
                disconnectedSince = at
                failedReopens = 1
                nextReopen = at.advanced(by: backoff.delay(afterFailures: 1))
                move(to: .reconnecting, at: at, "could not open the port")
            case .disconnected, .reconnecting:
                failedReopens += 1
                nextReopen = at.advanced(by: backoff.delay(afterFailures: failedReopens))
                move(to: .reconnecting, at: at, "trying to reopen the port")
            case .streaming, .quiet:
                break
            }
        }
        return transitions
    }

    /// The earliest time a `.tick` can change something: going quiet (just past the expected gap
    /// after the last activity) or the reopen backoff ending; `nil` while quiet.
    public var nextDeadline: RunTime? {
        switch state {
        case .connecting, .streaming: lastActivity.map { $0.advanced(by: expectedGap + .milliseconds(1)) }
        case .disconnected, .reconnecting: nextReopen
        case .quiet: nil
        }
    }

    /// True when the port should be opened now: it went away and the backoff is over.
    public func reopenDue(at time: RunTime) -> Bool {
        guard state == .disconnected || state == .reconnecting, let due = nextReopen else { return false }
        return time >= due
    }

    private static func seconds(_ duration: Duration) -> String {
        let tenths = (duration.milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
