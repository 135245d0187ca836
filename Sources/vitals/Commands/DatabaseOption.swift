import ArgumentParser
import Store

/// `--db PATH`, shared by every command that reads or writes the room's database.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The SQLite file (default: $VITALS_DB, else `db =` in /etc/vitals/vitals.conf, else $XDG_DATA_HOME/vitals/vitals.sqlite or ~/.local/share/vitals/vitals.sqlite).",
            valueName: "path"))
    var path: String?

    /// Where the database is and how that was chosen.
    func location() throws -> DatabaseLocation { try DatabaseLocation.resolve(flag: path) }

    /// The path to open.
    var resolvedPath: String { (try? location().path) ?? path ?? VitalsDatabase.defaultPath() }

    /// Opens the database, which must exist (exit 66 naming the path and how it was chosen).
    func open() throws -> VitalsDatabase {
        try location().openExisting()
    }

    /// Opens or creates the database: only `session start` and `run` record into a new file.
    func openOrCreate() throws -> VitalsDatabase {
        try VitalsDatabase(path: location().path)
    }
}
