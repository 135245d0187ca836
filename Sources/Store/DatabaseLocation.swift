import Foundation

/// Which database file a command uses, and how it was chosen, so that "no database" can say
/// why it looked there (issue 19: a typo in `--db` must not look like an empty room).
///
/// The order: `--db`, then `$VITALS_DB`, then `db = PATH` in `/etc/vitals/vitals.conf` (so on a
/// room PC `vitals tail` finds the service's database without flags), then the per-user default
/// `$XDG_DATA_HOME/vitals/vitals.sqlite` or `~/.local/share/vitals/vitals.sqlite`.
public struct DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// How the path was chosen.
    public enum Source: Sendable, Hashable {
        case flag
        case environment
        case configFile(path: String, line: Int)
        case userDefault
    }

    /// The file's path.
    public var path: String
    /// Where the path came from.
    public var source: Source

    /// The system-wide configuration file the package installs.
    public static let systemConfigFile = "/etc/vitals/vitals.conf"

    public init(path: String, source: Source) {
        self.path = path
        self.source = source
    }

    /// The location for `flag` (`--db`), the environment and the configuration file at `configFile`.
    /// A configuration file that exists but cannot be read, or has a line that is not
    /// `key = value`, is an error naming the file and line.
    public static func resolve(
        flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String = systemConfigFile
    ) throws(ConfigFileError) -> DatabaseLocation {
        if let flag { return DatabaseLocation(path: flag, source: .flag) }
        if let p = environment["VITALS_DB"], !p.isEmpty { return DatabaseLocation(path: p, source: .environment) }
        if FileManager.default.fileExists(atPath: configFile) {
            let settings = try ConfigFile.read(path: configFile)
            if let db = settings["db"] {
                return DatabaseLocation(path: db.value, source: .configFile(path: configFile, line: db.line))
            }
        }
        return DatabaseLocation(path: VitalsDatabase.defaultPath(environment: environment), source: .userDefault)
    }

    /// How the path was chosen, for messages: "from --db", "from $VITALS_DB", …
    public var how: String {
        switch source {
        case .flag: "from --db"
        case .environment: "from $VITALS_DB"
        case let .configFile(path, line): "from \(path):\(line)"
        case .userDefault: "the default; no --db, $VITALS_DB or \(Self.systemConfigFile)"
        }
    }

    public var description: String { "\(path) (\(how))" }

    /// Opens the database, which must exist: no command but `session start` and `run` creates one,
    /// so a mistyped path fails instead of making an empty room.
    public func openExisting() throws -> VitalsDatabase {
        guard exists else { throw MissingDatabaseError(location: self) }
        return try VitalsDatabase(path: path)
    }

    /// True when a file is at `path`.
    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}

/// No database where a command looked (exit 66).
public struct MissingDatabaseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: DatabaseLocation

    public init(location: DatabaseLocation) { self.location = location }

    public var description: String {
        "no database at \(location.path) (\(location.how)); nothing has been recorded there. "
            + "Check the path, give the room's file with --db, or start recording with `vitals session start` or `vitals run`"
    }
}

/// `/etc/vitals/vitals.conf`: `key = value` lines; `#` starts a comment.
public enum ConfigFile {
    /// The settings of the file at `path`, each with its line number.
    public static func read(path: String) throws(ConfigFileError) -> [String: (value: String, line: Int)] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigFileError(path: path, line: 0, reason: "cannot read it: \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// The settings in `text` (read from `path`, for messages).
    public static func parse(_ text: String, path: String) throws(ConfigFileError) -> [String: (value: String, line: Int)] {
        var out: [String: (value: String, line: Int)] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ConfigFileError(path: path, line: index + 1, reason: "expected key = value, got \"\(trimmed)\"")
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !value.isEmpty else {
                throw ConfigFileError(path: path, line: index + 1, reason: "expected key = value, got \"\(trimmed)\"")
            }
            out[key] = (value, index + 1)
        }
        return out
    }
}

/// A configuration file that cannot be used (exit 2).
public struct ConfigFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String

    public var description: String { line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)" }
}
