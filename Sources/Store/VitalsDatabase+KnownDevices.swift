import GRDB

extension VitalsDatabase {
    /// Migration `v8-known-devices` (issue 13): the identities the room has identified.
    static let schemaKnownDevices = """
        CREATE TABLE known_devices (
            key TEXT PRIMARY KEY,
            usb_vendor INTEGER,
            usb_product INTEGER,
            serial TEXT,
            path TEXT,
            profile TEXT NOT NULL,
            settings TEXT NOT NULL,
            name TEXT NOT NULL,
            source TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT '',
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL
        ) STRICT;
        """

    /// Every kept identity, most recently seen first.
    public func knownDevices() throws(StoreError) -> [KnownDevice] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM known_devices ORDER BY last_seen DESC, key").map { row in
                KnownDevice(
                    key: row["key"], usbVendorID: (row["usb_vendor"] as Int?).map { UInt16(truncatingIfNeeded: $0) },
                    usbProductID: (row["usb_product"] as Int?).map { UInt16(truncatingIfNeeded: $0) },
                    serialNumber: row["serial"], path: row["path"], profile: row["profile"], settings: row["settings"],
                    name: row["name"], source: row["source"], evidence: row["evidence"], firstSeen: row["first_seen"],
                    lastSeen: row["last_seen"])
            }
        }
    }

    /// Keeps `device` (a new identity, or a known one seen again: its profile, name and evidence
    /// are replaced, its first sighting kept).
    public func remember(_ device: KnownDevice) throws(StoreError) {
        try writing { db in
            try db.execute(
                sql: """
                    INSERT INTO known_devices(key, usb_vendor, usb_product, serial, path, profile, settings, name, source,
                                              evidence, first_seen, last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET profile = excluded.profile, settings = excluded.settings,
                        name = excluded.name, source = excluded.source, evidence = excluded.evidence,
                        last_seen = excluded.last_seen
                    """,
                arguments: [
                    device.key, device.usbVendorID.map { Int($0) }, device.usbProductID.map { Int($0) }, device.serialNumber,
                    device.path, device.profile, device.settings, device.name, device.source, device.evidence,
                    device.firstSeen, device.lastSeen,
                ])
        }
    }

    /// Drops the identity `key`; true when one was kept.
    @discardableResult
    public func forgetDevice(key: String) throws(StoreError) -> Bool {
        try writing { db in
            try db.execute(sql: "DELETE FROM known_devices WHERE key = ?", arguments: [key])
            return db.changesCount > 0
        }
    }
}
