import Glibc

/// A system call that failed, with its `errno`: for causes no more specific error describes.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed (`tcsetattr`, `poll`).
    public var call: String
    /// The `errno` it left.
    public var code: Int32

    /// The failure of `call`, taking `errno` now unless `code` is given.
    public init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    /// `tcsetattr: Invalid argument (errno 22)`.
    public var description: String { "\(call): \(String(cString: strerror(code))) (errno \(code))" }
}
