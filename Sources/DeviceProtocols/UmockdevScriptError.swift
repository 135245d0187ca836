/// A script file that is not valid umockdev script format, with the place to fix.
public struct UmockdevScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column (byte).
    public var column: Int
    /// What is wrong.
    public var message: String

    /// An error at `path:line:column`.
    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(path):\(line):\(column): \(message)" }
}
