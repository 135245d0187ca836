/// A devices file that cannot be used, with the position of the problem.
public struct DevicesFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// 1-based line of the problem (0 when the file could not be read at all).
    public var line: Int
    /// 1-based column of the problem (0 when unknown).
    public var column: Int
    /// What is wrong and what is expected instead.
    public var message: String

    /// An error at `line`:`column` of `path`.
    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `devices.yaml:4:14: error: unknown profile "nonin-df9" (known: …)`, like a compiler.
    public var description: String {
        line > 0 ? "\(path):\(line):\(column): error: \(message)" : "\(path): error: \(message)"
    }
}
