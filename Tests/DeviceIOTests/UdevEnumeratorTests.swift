import DeviceIO
import Testing

extension TTYTests {
    @Suite("UdevEnumerator on the machine's own sysfs")
    struct UdevEnumeratorTests {
        /// Works with or without udevd; on this kind of machine the ports have no `ID_*`
        /// properties, which must not hide them.
        @Test func listsRealPortsAndLeavesOutVirtualTerminals() throws {
            let ports = try UdevEnumerator.serialDevices()
            let everything = try UdevEnumerator.serialDevices(includeAll: true)
            #expect(everything.count >= ports.count)
            #expect(ports.allSatisfy { !$0.syspath.contains("/devices/virtual/") })
            #expect(ports.allSatisfy { $0.devnode.hasPrefix("/dev/") })
            #expect(ports.map(\.devnode) == ports.map(\.devnode).sorted())
            // Virtual terminals exist on any Linux machine (tty0, console) unless a umockdev
            // testbed is active at this moment, in which case both lists show only the testbed.
            if everything.contains(where: { $0.syspath.contains("/devices/virtual/") }) {
                #expect(!ports.contains { $0.devnode == "/dev/tty0" })
            }
        }
    }
}
