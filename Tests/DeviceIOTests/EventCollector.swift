import Synchronization

/// Collects values delivered on another thread, for tests to wait on.
final class EventCollector<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    /// Appends `value` (the callback to hand to a reader or monitor).
    func append(_ value: Value) {
        values.withLock { $0.append(value) }
    }

    /// Everything so far.
    var all: [Value] { values.withLock { $0 } }

    /// Waits until `condition` holds for the values collected, or `limit` passes (a guard
    /// against a hang, not a timing assertion); returns the values either way.
    @discardableResult
    func wait(upTo limit: Duration = .seconds(10), until condition: ([Value]) -> Bool) async -> [Value] {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            let current = all
            if condition(current) { return current }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return all
    }
}
