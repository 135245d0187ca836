import Store

/// One place the forwarder delivers a room's rows to, one implementation per URL scheme
/// (`DestinationFactory`): `mllp://` (HL7 v2 IHE PCD-01/PCD-04), `file://` (JSON lines, for
/// tests and audits), `postgres://` (the central database).
///
/// The forwarder calls `deliver` with the rows after this destination's cursor and moves the
/// cursor (`forward_cursors`, keyed by `cursorKey`) only after `deliver` returned. Delivery is
/// therefore at least once: after a crash, an outage or a thrown error the same rows come again,
/// with the same ids (`RoomChangeBatch`), and a destination makes that harmless (an upsert keyed
/// by room uid and row id; a stable HL7 control id).
///
/// Calls are serial per destination: `deliver` is never called again before the previous call
/// returned or threw. The batch may be empty (`isEmpty`) with only `activeAlerts` and `now`
/// (time passing, for periodic messages); return at once when there is nothing to do.
public protocol ForwardDestination: AnyObject, Sendable {
    /// The destination's URL without credentials: the key of its cursor in the room database
    /// (so a changed password keeps the cursor, and no secret is stored in the file).
    var cursorKey: String { get }

    /// Delivers every row of `batch` and returns only once the destination confirmed all of
    /// them (HL7 `AA`, a committed transaction). Throws to have the forwarder retry the same
    /// rows after a backoff; the cursor does not move.
    func deliver(_ batch: RoomChangeBatch) async throws

    /// Closes connections; the forwarder calls it once when it stops. The default does nothing.
    func close() async

    /// At most this many rows of each table per batch, when the destination wants smaller
    /// batches than `ForwarderConfiguration.batchLimit` (the cursor then moves more often, so
    /// less is sent twice after a crash). The default, `nil`, takes the configuration's.
    var batchLimit: Int? { get }
}

extension ForwardDestination {
    public func close() async {}
    public var batchLimit: Int? { nil }
}
