import Foundation
import GRDB
import Testing
@testable import Store

/// `known_devices` (migration v8-known-devices, issue 13.2): kept, updated, dropped.
@Suite struct KnownDevicesTests {
    @Test func anIdentityIsKeptUpdatedWithoutLosingItsFirstSightingAndDropped() throws {
        let dir = try TempDirectory()
        let path = dir.file("room.sqlite")
        let db = try VitalsDatabase(path: path)
        #expect(try db.knownDevices().isEmpty)
        let first = KnownDevice(
            key: "usb:0403:6001:A10KZ3QB", usbVendorID: 0x0403, usbProductID: 0x6001, serialNumber: "A10KZ3QB",
            profile: "nonin-df7", settings: "9600 8N1", name: "A10KZ3QB", source: "probe",
            evidence: "only nonin-df7 at 9600 8N1: 75 frames", firstSeen: 1000, lastSeen: 1000)
        try db.remember(first)
        let byPath = KnownDevice(
            key: "path:/sys/devices/pci0000:00/usb1/1-4", path: "/sys/devices/pci0000:00/usb1/1-4", profile: "berrymed",
            settings: "115200 8N1", name: "/dev/ttyUSB3", source: "probe", evidence: "only berrymed", firstSeen: 1500, lastSeen: 1500)
        try db.remember(byPath)
        var again = first
        again.lastSeen = 9000
        again.firstSeen = 9000
        again.evidence = "seen again"
        try db.remember(again)

        // A restart reads them back (another connection, as `vitals run` does).
        let reopened = try VitalsDatabase(path: path)
        let kept = try reopened.knownDevices()
        #expect(kept.map(\.key) == ["usb:0403:6001:A10KZ3QB", "path:/sys/devices/pci0000:00/usb1/1-4"])
        #expect(kept[0].firstSeen == 1000 && kept[0].lastSeen == 9000 && kept[0].evidence == "seen again")
        #expect(kept[0].usbVendorID == 0x0403 && kept[0].usbProductID == 0x6001 && kept[0].serialNumber == "A10KZ3QB")
        #expect(kept[1].path == "/sys/devices/pci0000:00/usb1/1-4" && kept[1].usbVendorID == nil)
        #expect(try reopened.forgetDevice(key: "usb:0403:6001:A10KZ3QB"))
        #expect(try !reopened.forgetDevice(key: "usb:0403:6001:A10KZ3QB"))
        #expect(try reopened.knownDevices().map(\.key) == ["path:/sys/devices/pci0000:00/usb1/1-4"])
    }

    @Test func theMigrationIsAppendedLast() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("m.sqlite"))
        let applied = try db.pool.read { try VitalsDatabase.migrator.appliedIdentifiers($0) }
        #expect(applied.contains("v8-known-devices"))
    }
}
