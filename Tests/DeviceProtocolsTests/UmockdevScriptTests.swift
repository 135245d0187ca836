import Testing
import VitalsCore
@testable import DeviceProtocols

@Suite struct UmockdevScriptTests {
    @Test func escapesAsUmockdevDocuments() {
        // docs/script-format.txt: 0 -> ^@, 1 -> ^A, 10 -> ^J, 30 -> ^^, 94 ('^') -> ^`
        #expect(UmockdevScript.escape([0, 1, 10, 30, 94, 32, 65, 200]) == Array("^@^A^J^^^` A".utf8) + [200])
    }

    @Test func parsesReadsWritesAndComments() throws {
        let text = "# source: test\nr 0 ^A^B\nw 5 :^@\nf 10 -\nr 250 abc\nQ\nr 1 ignored\n"
        let s = try UmockdevScript.parse(Array(text.utf8), path: "x.script")
        #expect(s.comments == ["source: test"])
        #expect(s.steps.map(\.operation) == [
            .read(delay: .zero, bytes: [1, 2]), .write(delay: .milliseconds(5), bytes: [58, 0]),
            .fuzz(percent: 10), .read(delay: .milliseconds(250), bytes: Array("abc".utf8)),
        ])
        #expect(s.steps.map(\.line) == [2, 3, 4, 5])
        #expect(s.deviceBytes == [1, 2, 97, 98, 99])
        #expect(s.duration == RunTime(milliseconds: 255))
    }

    @Test func roundTripsAnyBytes() throws {
        var rng = SplitMix64(seed: 7)
        var script = UmockdevScript(comments: ["generated"])
        for _ in 0..<50 {
            let bytes = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            script.appendRead(bytes, after: .milliseconds(Int64(rng.next() % 1000)))
        }
        let parsed = try UmockdevScript.parse(script.serialized())
        #expect(parsed.steps.map(\.operation) == script.steps.map(\.operation))
    }

    @Test(arguments: [
        ("r 0 ok\nz 1 x\n", 2, 1), ("r x\n", 1, 3), ("r0 a\n", 1, 2), ("r 0 ab^\n", 1, 7),
        ("r 0 ^a\n", 1, 5), ("f 500 -\n", 1, 3), ("r 5x\n", 1, 4),
    ])
    func rejectsWithPosition(_ text: String, _ line: Int, _ column: Int) {
        #expect(throws: UmockdevScriptError.self) { try UmockdevScript.parse(Array(text.utf8), path: "f") }
        do {
            _ = try UmockdevScript.parse(Array(text.utf8), path: "f")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.description.hasPrefix("f:\(line):\(column): "))
        }
    }
}
