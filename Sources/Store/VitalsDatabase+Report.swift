import VitalsCore

extension VitalsDatabase {
    /// Gathers the report of `sessionID` (`now` stands in for the end of an open session), its
    /// REMS checkpoints found in `windows` (the session's rule set's).
    public func report(session sessionID: Int64, now: Int64, windows: REMSWindows = .standard) throws(StoreError) -> SessionReport {
        let s = try session(id: sessionID)
        return SessionReport(
            session: s, devices: try devices(session: sessionID), summaries: try summary(session: sessionID),
            checkpoints: try remsCheckpoints(session: sessionID, now: now, windows: windows), alerts: try alerts(session: sessionID),
            events: try events(session: sessionID), now: now)
    }
}
