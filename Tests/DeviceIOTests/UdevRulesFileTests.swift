import Foundation
import Testing

/// contrib/60-vitals.rules keeps ModemManager off every adapter it names, whatever the kernel
/// calls the port: ttyACM (cdc_acm) as well as ttyUSB (issue 13.5).
@Suite struct UdevRulesFileTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("contrib/60-vitals.rules").path

    static func ruleLines() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && $0.contains("ATTRS{idVendor}") }
    }

    @Test func everyAdapterLineKeepsModemManagerOffWhateverThePortIsCalled() throws {
        let lines = try Self.ruleLines()
        #expect(lines.count >= 4)
        for line in lines {
            #expect(line.contains("ENV{ID_MM_DEVICE_IGNORE}=\"1\""), "\(line)")
            // A kernel-name match would leave ttyACM (or ttyUSB) ports to ModemManager.
            #expect(!line.contains("KERNEL"), "\(line)")
        }
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(text.contains("SUBSYSTEM!=\"tty\", GOTO=\"vitals_end\""))
        #expect(!text.contains("KERNEL==\"ttyUSB"))
    }
}
