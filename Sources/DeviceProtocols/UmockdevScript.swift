/// A device dialogue in umockdev's script format, as `umockdev-record` writes it and
/// `umockdev-run --script` replays it: the Fixtures/ file format.
///
/// One operation a line: `r <ms> <data>` (bytes the device sends, after a delay of `ms` since the
/// previous operation), `w <ms> <data>` (bytes the host writes), `f <percent> -` (write fuzz),
/// `Q` (stop), `#` (comment). In data, bytes below 32 are written `^` followed by the byte plus 64
/// and `^` itself as "^`"; every other byte is itself (umockdev's docs/script-format.txt).
public struct UmockdevScript: Sendable, Hashable {
    /// One operation.
    public enum Operation: Sendable, Hashable {
        /// The device sends `bytes` `delay` after the previous operation.
        case read(delay: Duration, bytes: [UInt8])
        /// The host writes `bytes` (`delay` is informative only).
        case write(delay: Duration, bytes: [UInt8])
        /// Allowed mismatch, in percent, for the following writes.
        case fuzz(percent: Int)
    }

    /// An operation and the 1-based line it came from.
    public struct Step: Sendable, Hashable {
        /// The operation.
        public var operation: Operation
        /// The line in the file.
        public var line: Int

        /// A step.
        public init(_ operation: Operation, line: Int) {
            self.operation = operation
            self.line = line
        }
    }

    /// The operations in order.
    public var steps: [Step]
    /// The comment lines (without `#`), in order; fixtures cite their sources here.
    public var comments: [String]

    /// A script.
    public init(steps: [Step] = [], comments: [String] = []) {
        self.steps = steps
        self.comments = comments
    }

    /// Appends a read of `bytes` after `delay`.
    public mutating func appendRead(_ bytes: [UInt8], after delay: Duration) {
        steps.append(Step(.read(delay: delay, bytes: bytes), line: steps.count + comments.count + 1))
    }

    /// Appends a write of `bytes` after `delay`.
    public mutating func appendWrite(_ bytes: [UInt8], after delay: Duration) {
        steps.append(Step(.write(delay: delay, bytes: bytes), line: steps.count + comments.count + 1))
    }

    /// Every byte the device sends, in order.
    public var deviceBytes: [UInt8] {
        steps.flatMap { step -> [UInt8] in
            if case .read(_, let b) = step.operation { return b }
            return []
        }
    }

    /// Parses a script; `path` names the file in errors.
    public static func parse(_ data: [UInt8], path: String = "<script>") throws(UmockdevScriptError) -> UmockdevScript {
        var script = UmockdevScript()
        var lineNumber = 0
        var start = 0
        while start <= data.count {
            var end = start
            while end < data.count, data[end] != 0x0A { end += 1 }
            if start == data.count { break }
            lineNumber += 1
            let line = data[start..<end]
            start = end + 1
            if let step = try parseLine(line, number: lineNumber, path: path, comments: &script.comments) {
                if step.operation == .fuzz(percent: -1) { break } // Q
                script.steps.append(step)
            }
        }
        return script
    }

    private static func parseLine(
        _ line: ArraySlice<UInt8>, number: Int, path: String, comments: inout [String]
    ) throws(UmockdevScriptError) -> Step? {
        guard let op = line.first else { return nil }
        let base = line.startIndex
        func fail(_ column: Int, _ message: String) -> UmockdevScriptError {
            UmockdevScriptError(path: path, line: number, column: column, message: message)
        }
        switch op {
        case UInt8(ascii: "#"):
            comments.append(String(decoding: line.dropFirst(), as: UTF8.self).trimmingLeadingSpace())
            return nil
        case UInt8(ascii: "Q"):
            return Step(.fuzz(percent: -1), line: number)
        case UInt8(ascii: "r"), UInt8(ascii: "w"), UInt8(ascii: "f"):
            break
        default:
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return nil }
            throw fail(1, "unknown operation '\(Self.printable(op))'; expected r, w, f, Q or #")
        }
        var i = base + 1
        guard i < line.endIndex, line[i] == 0x20 else {
            throw fail(2, "expected a space after '\(Self.printable(op))'")
        }
        i += 1
        let numberStart = i
        var value = 0
        while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39 {
            value = value &* 10 &+ Int(line[i] - 0x30)
            guard value <= 100_000_000 else { throw fail(numberStart - base + 1, "delay is too large") }
            i += 1
        }
        guard i > numberStart else {
            throw fail(numberStart - base + 1, "expected a number of milliseconds after '\(Self.printable(op))'")
        }
        if op == UInt8(ascii: "f") {
            guard value <= 100 else { throw fail(numberStart - base + 1, "fuzz percentage must be 0 to 100") }
            return Step(.fuzz(percent: value), line: number)
        }
        var payload: ArraySlice<UInt8> = []
        if i < line.endIndex {
            guard line[i] == 0x20 else { throw fail(i - base + 1, "expected a space before the data") }
            payload = line[(i + 1)...]
        }
        let bytes = try unescape(payload, line: number, column: i - base + 2, path: path)
        let delay = Duration.milliseconds(value)
        return Step(op == UInt8(ascii: "r") ? .read(delay: delay, bytes: bytes) : .write(delay: delay, bytes: bytes), line: number)
    }

    /// Decodes caret-escaped data.
    static func unescape(
        _ data: ArraySlice<UInt8>, line: Int, column: Int, path: String
    ) throws(UmockdevScriptError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var i = data.startIndex
        while i < data.endIndex {
            let b = data[i]
            if b == UInt8(ascii: "^") {
                guard i + 1 < data.endIndex else {
                    throw UmockdevScriptError(path: path, line: line, column: column + (i - data.startIndex),
                                              message: "'^' at the end of the line escapes nothing")
                }
                let e = data[i + 1]
                if e == UInt8(ascii: "`") {
                    out.append(UInt8(ascii: "^"))
                } else if e >= 64, e < 96 {
                    out.append(e - 64)
                } else {
                    throw UmockdevScriptError(path: path, line: line, column: column + (i - data.startIndex),
                                              message: "'^\(Self.printable(e))' is not a valid escape (expected ^@ to ^_ or ^`)")
                }
                i += 2
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    /// Encodes bytes with umockdev's caret escapes.
    public static func escape(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4)
        for b in bytes {
            if b < 32 {
                out.append(UInt8(ascii: "^"))
                out.append(b + 64)
            } else if b == UInt8(ascii: "^") {
                out.append(UInt8(ascii: "^"))
                out.append(UInt8(ascii: "`"))
            } else {
                out.append(b)
            }
        }
        return out
    }

    /// The script as umockdev writes it, comments first.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        for c in comments {
            out += Array("# \(c)\n".utf8)
        }
        for step in steps {
            switch step.operation {
            case .read(let d, let b):
                out += Array("r \(d.milliseconds) ".utf8) + Self.escape(b) + [0x0A]
            case .write(let d, let b):
                out += Array("w \(d.milliseconds) ".utf8) + Self.escape(b) + [0x0A]
            case .fuzz(let p):
                out += Array("f \(p) -\n".utf8)
            }
        }
        return out
    }

    static func printable(_ b: UInt8) -> String {
        b >= 32 && b < 127 ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }
}

extension String {
    fileprivate func trimmingLeadingSpace() -> String {
        String(drop(while: { $0 == " " }))
    }
}
