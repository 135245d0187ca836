import Foundation
import Testing
@testable import Store

/// Which database a command opens, how it says so, and that only `session start` and `run`
/// create one (issue 19: a typo in --db made an empty room).
@Suite struct DatabaseLocationTests {
    @Test func flagThenEnvironmentThenConfigFileThenDefault() throws {
        let dir = try TempDirectory()
        let conf = dir.file("vitals.conf")
        try "# the room\n\ndb = /var/lib/vitals/room.sqlite  # service\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let env = ["VITALS_DB": "/env.sqlite", "HOME": "/home/n"]

        #expect(try DatabaseLocation.resolve(flag: "/f.sqlite", environment: env, configFile: conf)
            == DatabaseLocation(path: "/f.sqlite", source: .flag))
        #expect(try DatabaseLocation.resolve(flag: nil, environment: env, configFile: conf)
            == DatabaseLocation(path: "/env.sqlite", source: .environment))
        let fromConf = try DatabaseLocation.resolve(flag: nil, environment: ["HOME": "/home/n"], configFile: conf)
        #expect(fromConf == DatabaseLocation(path: "/var/lib/vitals/room.sqlite", source: .configFile(path: conf, line: 3)))
        #expect(fromConf.how == "from \(conf):3")
        let fallback = try DatabaseLocation.resolve(flag: nil, environment: ["HOME": "/home/n"], configFile: dir.file("none.conf"))
        #expect(fallback.path == "/home/n/.local/share/vitals/vitals.sqlite" && fallback.source == .userDefault)
    }

    @Test func aBadConfigLineNamesFileAndLine() throws {
        let dir = try TempDirectory()
        let conf = dir.file("vitals.conf")
        try "db = /x\nnonsense\n".write(toFile: conf, atomically: true, encoding: .utf8)
        #expect(throws: ConfigFileError(path: conf, line: 2, reason: "expected key = value, got \"nonsense\"")) {
            try DatabaseLocation.resolve(flag: nil, environment: [:], configFile: conf)
        }
    }

    @Test func openingAMissingDatabaseFailsAndCreatesNothing() throws {
        let dir = try TempDirectory()
        let typo = DatabaseLocation(path: dir.file("typo/room.sqlite"), source: .flag)
        let error = #expect(throws: MissingDatabaseError.self) { try typo.openExisting() }
        #expect(error?.description.contains(typo.path) == true && error?.description.contains("from --db") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.file("typo")))
    }

    @Test func aSetgidGroupDirectorySharesTheDatabaseWithItsGroupOnly() throws {
        let dir = try TempDirectory()
        let shared = dir.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        #expect(chmod(shared, 0o2770) == 0)
        let sharedDatabase = try VitalsDatabase(path: shared + "/room.sqlite")
        let privateDB = dir.file("private/room.sqlite")
        let privateDatabase = try VitalsDatabase(path: privateDB)
        // Open while checked: the -wal and -shm files go when the last connection closes.
        defer { withExtendedLifetime((sharedDatabase, privateDatabase)) {} }
        func mode(_ p: String) -> mode_t {
            var st = stat()
            return stat(p, &st) == 0 ? st.st_mode & 0o777 : 0
        }
        for suffix in ["", "-wal", "-shm"] {
            #expect(mode(shared + "/room.sqlite" + suffix) == 0o660, "\(suffix)")
            #expect(mode(privateDB + suffix) == 0o600, "\(suffix)")
        }
    }
}
