/// Alert events read in one go, with the cursor to poll from next (`alertEvents(after:)`).
///
/// The cursor is the highest `alert_events.id` the read covered, whether or not the filter let
/// that event through, so events filtered out are never read again, and it is read in the same
/// transaction as the events, so an event committed meanwhile is neither missed nor doubled.
public struct AlertEventPage: Sendable, Hashable {
    /// The events that passed the filter, in id (commit) order.
    public var events: [StoredAlertEvent]
    /// Poll with `id > cursor` next.
    public var cursor: Int64

    /// A page.
    public init(events: [StoredAlertEvent], cursor: Int64) {
        self.events = events
        self.cursor = cursor
    }
}
