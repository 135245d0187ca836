import Bridge
import DeviceIO
import DeviceProtocols
import Foundation
import Store
import Testing
import VitalsCore

/// Issue 13.2: the room keeps identities it identified and reuses them on a replug or restart;
/// a kept identity that no longer decodes is dropped and probed again. On a virtual clock.
@Suite struct RoomCoreDeviceMemoryTests {
    typealias Harness = RoomCoreTests.Harness

    static func ftdi(_ tty: String, serial: String?, usbPort: String = "1-1") -> SerialDeviceInfo {
        SerialDeviceInfo(
            devnode: "/dev/\(tty)", syspath: "/sys/devices/pci0000:00/usb1/\(usbPort)/\(tty)",
            usb: USBDeviceInfo(vendorID: 0x0403, productID: 0x6001, serialNumber: serial, manufacturer: "FTDI",
                               product: "FT232R USB UART", source: .udevProperties))
    }

    static func df7(_ spo2: Int, periods: Int = 3) -> [UInt8] {
        var encoder = NoninDF7.makeEncoder()
        return (0..<periods).flatMap { _ in encoder.encodeBytes(VitalSnapshot(spo2: spo2, pulse: 70, pleth: Array(repeating: 100, count: 25))) }
    }

    static func probes(_ h: Harness) -> [(SerialDeviceInfo, ProbePlan)] {
        h.effects.compactMap { if case .probe(let d, let p) = $0 { (d, p) } else { nil } }
    }
    static func remembered(_ h: Harness) -> [KnownDevice] {
        h.effects.compactMap { if case .remember(let k) = $0 { k } else { nil } }
    }
    static func forgotten(_ h: Harness) -> [String] {
        h.effects.compactMap { if case .forget(let key, _) = $0 { key } else { nil } }
    }

    @Test func aProbedDeviceIsKeptAndAReplugUnderTheNextNameReusesItWithoutAProbe() throws {
        let h = Harness(rules: nil) { $0.probe = true }
        let first = Self.ftdi("ttyUSB0", serial: "A10KZ3QB")
        h.feed(.deviceAdded(first, why: "present at start"), at: 0)
        let (asked, plan) = try #require(Self.probes(h).first)
        #expect(asked.devnode == "/dev/ttyUSB0")
        #expect(plan.steps.first?.settings.sameLine(as: NoninDF7.serial) == true)
        h.feed(.probed(first, profile: NoninDF7.self, summary: "only nonin-df7 at 9600 8N1: 30 frames"), at: 800)
        let kept = try #require(Self.remembered(h).first)
        #expect(kept.key == "usb:0403:6001:A10KZ3QB")
        #expect(kept.profile == "nonin-df7" && kept.settings == "9600 8N1" && kept.source == "probe")
        #expect(kept.name == "A10KZ3QB" && kept.serialNumber == "A10KZ3QB" && kept.path == nil)
        #expect(kept.evidence.contains("30 frames"))
        #expect(h.room.devices.first?.why.hasPrefix("probed: only nonin-df7") == true)

        h.feed(.deviceRemoved(devnode: "/dev/ttyUSB0"), at: 5000)
        let replug = Self.ftdi("ttyUSB1", serial: "A10KZ3QB", usbPort: "1-3")
        h.feed(.deviceAdded(replug, why: "plugged in"), at: 9000)
        #expect(Self.probes(h).count == 1, "probed again")
        let reopened = try #require(h.effects.compactMap { e -> String? in if case .open(_, let p, _) = e { p } else { nil } }.last)
        #expect(reopened == "/dev/ttyUSB1")
        #expect(h.room.devices.map(\.name) == ["A10KZ3QB"], "one device, the same id in the session")
        let handle = try #require(h.handles["A10KZ3QB"])
        h.feed(.bytes(handle, Self.df7(91)), at: 9200)
        #expect(h.readings.contains { $0.value == 91 && $0.device == "A10KZ3QB" })
        #expect(h.room.devices.first?.connection == .streaming)
    }

    @Test func aRestartReusesAKeptIdentityAtOnce() throws {
        let kept = KnownDevice(
            key: "usb:0403:6001:OXI9", usbVendorID: 0x0403, usbProductID: 0x6001, serialNumber: "OXI9", profile: "nonin-df7",
            settings: "9600 8N1", name: "OXI9", source: "probe", evidence: "only nonin-df7", firstSeen: 1, lastSeen: 2)
        // Without --probe, too: the room remembers what it identified.
        let h = Harness(rules: nil) { $0.knownDevices = [kept] }
        h.feed(.deviceAdded(Self.ftdi("ttyUSB4", serial: "OXI9"), why: "present at start"), at: 0)
        #expect(Self.probes(h).isEmpty)
        #expect(h.room.devices.first?.profile == "nonin-df7")
        #expect(h.room.devices.first?.why.hasPrefix("kept identity usb:0403:6001:OXI9") == true)
        let handle = try #require(h.handles["OXI9"])
        h.feed(.bytes(handle, Self.df7(96)), at: 300)
        #expect(h.readings.contains { $0.value == 96 })
        // Confirmed by a valid frame: seen again.
        #expect(Self.remembered(h).last?.key == "usb:0403:6001:OXI9")
        #expect(Self.forgotten(h).isEmpty)
    }

    @Test func aKeptIdentityThatNoLongerDecodesIsDroppedAndProbedAgain() throws {
        let kept = KnownDevice(
            key: "usb:0403:6001:OXI9", serialNumber: "OXI9", profile: "nonin-df7", settings: "9600 8N1", name: "OXI9",
            source: "probe", evidence: "only nonin-df7", firstSeen: 1, lastSeen: 2)
        let h = Harness(rules: nil) {
            $0.knownDevices = [kept]
            $0.probe = true
        }
        let port = Self.ftdi("ttyUSB0", serial: "OXI9")
        h.feed(.deviceAdded(port, why: "plugged in"), at: 0)
        let handle = try #require(h.handles["OXI9"])
        // Another device on that adapter now: Masimo text lines.
        let line = Array("03/19/16 13:37:12 SPO2=097% BPM=064 PI=02.10% ALARM=0000 EXC=000800\r\n".utf8)
        for i in 0..<4 { h.feed(.bytes(handle, line), at: Int64(100 + 1000 * i)) }
        #expect(Self.forgotten(h) == ["usb:0403:6001:OXI9"])
        let (again, plan) = try #require(Self.probes(h).first)
        #expect(again.devnode == "/dev/ttyUSB0")
        #expect(plan.steps.first?.why.contains("nonin-df7 seen on this port before") == true, "\(plan.steps.first?.why ?? "")")
        #expect(h.effects.contains { if case .log(_, let m) = $0 { m.contains("no longer decodes") } else { false } })
        #expect(h.effects.contains { if case .close(let c) = $0 { c == handle } else { false } })
        // The probe's answer attaches the new profile under the same name.
        h.feed(.probed(again, profile: MasimoASCII.self, summary: "only masimo-ascii"), at: 6000)
        #expect(h.room.devices.map(\.profile) == ["masimo-ascii"])
        #expect(Self.remembered(h).last?.profile == "masimo-ascii")
    }

    @Test func aProbeThatCannotOpenTheBusyPortNamesTheUsualCulprits() {
        let h = Harness(rules: nil) { $0.probe = true }
        let port = Self.ftdi("ttyUSB0", serial: "BUSY1")
        h.feed(.deviceAdded(port, why: "plugged in"), at: 0)
        let busy = SerialPortError(path: "/dev/ttyUSB0", cause: .busy)
        h.feed(.probed(port, profile: nil, summary: "probe failed: \(busy)"), at: 50)
        let decision = h.room.decisions["/dev/ttyUSB0"] ?? ""
        for hint in ["fuser -v /dev/ttyUSB0", "lsof /dev/ttyUSB0", "systemctl status ModemManager", "brltty"] {
            #expect(decision.contains(hint), "\(decision)")
        }
        #expect(h.effects.contains { if case .log(.notice, let m) = $0 { m.hasPrefix("/dev/ttyUSB0: not attached: probed: probe failed") } else { false } })
        #expect(h.room.devices.isEmpty)
        #expect(Self.remembered(h).isEmpty)
    }

    @Test func aPortNoProbeIdentifiedIsProbedAgainUntilItIsUnplugged() throws {
        let h = Harness(rules: nil) { $0.probe = true }
        let port = Self.ftdi("ttyUSB0", serial: "LATE1")
        h.feed(.deviceAdded(port, why: "plugged in"), at: 0)
        h.feed(.probed(port, profile: nil, summary: "no bytes received"), at: 6000)
        h.run(to: 35_000)
        #expect(Self.probes(h).count == 1, "probed again too early")
        h.run(to: 36_000)
        #expect(Self.probes(h).count == 2)
        // No second probe while one is out, however long it takes.
        h.run(to: 120_000)
        #expect(Self.probes(h).count == 2)
        h.feed(.probed(port, profile: nil, summary: "no bytes received"), at: 121_000)
        let notices = h.effects.filter { if case .log(.notice, let m) = $0 { m.contains("not attached: probed") } else { false } }
        #expect(notices.count == 1, "the same finding logged again")
        // Switched on at last: the next probe identifies it.
        h.run(to: 151_000)
        let (again, _) = try #require(Self.probes(h).last)
        #expect(Self.probes(h).count == 3)
        h.feed(.probed(again, profile: NoninDF7.self, summary: "only nonin-df7"), at: 152_000)
        #expect(h.room.devices.map(\.profile) == ["nonin-df7"])
        h.run(to: 400_000)
        #expect(Self.probes(h).count == 3, "probed an attached device")
        // Unplugged before identification: no more probes.
        let other = Self.ftdi("ttyUSB1", serial: "GONE1", usbPort: "1-2")
        h.feed(.deviceAdded(other, why: "plugged in"), at: 400_000)
        h.feed(.probed(other, profile: nil, summary: "no bytes received"), at: 402_000)
        h.feed(.deviceRemoved(devnode: "/dev/ttyUSB1"), at: 403_000)
        h.run(to: 500_000)
        #expect(Self.probes(h).count == 4)
    }

    @Test func aDevicesFileAssignmentIsKeptToo() throws {
        let devices = DevicesFile(path: "/etc/vitals/devices.yaml", entries: [.init(key: .serialNumber("OXI1"), profileID: "nonin-df7", label: "oximeter")])
        let h = Harness(rules: nil) { $0.devicesFile = devices }
        h.feed(.deviceAdded(Self.ftdi("ttyUSB0", serial: "OXI1"), why: "present at start"), at: 0)
        let kept = try #require(Self.remembered(h).first)
        #expect(kept.source == "devices-file" && kept.name == "oximeter" && kept.profile == "nonin-df7")
    }

    @Test func anAdapterWithoutASerialIsKeptByItsPhysicalPath() {
        let device = Self.ftdi("ttyUSB0", serial: nil, usbPort: "1-4")
        #expect(device.identityKey == "path:/sys/devices/pci0000:00/usb1/1-4")
        let real = SerialDeviceInfo(devnode: "/dev/ttyUSB0", syspath: "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0")
        #expect(real.physicalPath == "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0")
        #expect(SerialDeviceInfo(devnode: "/dev/ttyS0").identityKey == "path:/dev/ttyS0")
    }

    @Test func theSurveyDecidesThroughTheRoomCore() throws {
        let devices = DevicesFile(path: "/etc/vitals/devices.yaml", entries: [.init(key: .serialNumber("OXI1"), profileID: "nonin-df7", label: "oximeter")])
        let kept = KnownDevice(key: "usb:0403:6001:KEPT", serialNumber: "KEPT", profile: "berrymed", settings: "115200 8N1",
                               name: "KEPT", source: "probe", evidence: "only berrymed", firstSeen: 1, lastSeen: 2)
        let survey = DeviceSurvey(devicesFile: devices, knownDevices: [kept], probe: true)
        var probed: [String] = []
        let (entries, missing) = survey.run(devices: [
            Self.ftdi("ttyUSB0", serial: "OXI1"), Self.ftdi("ttyUSB1", serial: "KEPT", usbPort: "1-2"),
            Self.ftdi("ttyUSB2", serial: "NEW", usbPort: "1-3"), SerialDeviceInfo(devnode: "/dev/ttyS0"),
        ]) { device, plan in
            probed.append(device.devnode)
            return .success(ProbeOutcome(profile: ContecCMS50.self, candidates: [
                ProbeCandidateResult(profileID: "contec-cms50", settings: ContecCMS50.serial, statistics: DecoderStatistics(), readings: 9, isClean: true),
            ]))
        }
        #expect(missing.isEmpty)
        #expect(probed == ["/dev/ttyUSB2"])
        #expect(entries.map { $0.profile?.id } == ["nonin-df7", "berrymed", "contec-cms50", nil])
        #expect(entries[0].name == "oximeter" && entries[0].why.contains("USB serial number OXI1 is assigned"))
        #expect(entries[1].why.hasPrefix("kept identity usb:0403:6001:KEPT"))
        #expect(entries[2].why.hasPrefix("probed: only contec-cms50"), "\(entries[2].why)")
        #expect(entries[2].probe.first?.hasPrefix("plan: 9600 8N1") == true, "\(entries[2].probe)")
        #expect(entries[3].why.contains("not a USB device"), "\(entries[3].why)")
    }
}
