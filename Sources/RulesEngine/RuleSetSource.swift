import Crypto
import Foundation

/// Where a rule set was loaded from and a SHA-256 of what was read, so a session can record the
/// rules it ran with and a later `session show` can tell whether the file still says the same.
///
/// For a file, `sha256` is the file's SHA-256 (what `sha256sum FILE` prints). For a directory it
/// is the SHA-256 of `sha256sum`'s output for its rule files in load order (`<hex>  <name>\n`
/// per file, names relative to the directory), so renaming, adding or editing a file changes it.
public struct RuleSetSource: Sendable, Hashable {
    /// The path as given to `RuleSet.load(path:)`.
    public var path: String
    /// Lower-case hex SHA-256, 64 characters.
    public var sha256: String

    /// A source.
    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }

    /// Lower-case hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The source of `files` (path and bytes, in load order) loaded as `path`.
    static func of(path: String, files: [(path: String, data: Data)], isDirectory: Bool) -> RuleSetSource {
        guard isDirectory else { return RuleSetSource(path: path, sha256: sha256(files.first?.data ?? Data())) }
        let listing = files.map { "\(sha256($0.data))  \(($0.path as NSString).lastPathComponent)\n" }.joined()
        return RuleSetSource(path: path, sha256: sha256(Data(listing.utf8)))
    }
}
