import ArgumentParser
import Store

/// `--db PATH`, shared by every command that reads or writes the room's database.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The SQLite file (default: $VITALS_DB, else $XDG_DATA_HOME/vitals/vitals.sqlite or ~/.local/share/vitals/vitals.sqlite).",
            valueName: "path"))
    var path: String?

    /// The path to open.
    var resolvedPath: String { path ?? VitalsDatabase.defaultPath() }

    /// Opens (or creates) the database.
    func open() throws -> VitalsDatabase {
        try VitalsDatabase(path: resolvedPath)
    }
}
