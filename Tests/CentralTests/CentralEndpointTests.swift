import Central
import Foundation
import Testing
import VitalsTestSupport

@Suite struct CentralEndpointTests {
    @Test func readsEveryPartOfTheURL() throws {
        let e = try CentralEndpoint.parse("postgresql://nurse:s%40cret@db.clinic:6543/central?sslmode=require", environment: [:])
        #expect(e.host == "db.clinic")
        #expect(e.port == 6543)
        #expect(e.user == "nurse")
        #expect(e.password == "s@cret")
        #expect(e.database == "central")
        #expect(e.tls == .require)
        #expect(!e.redacted.contains("cret"))
    }

    @Test func fillsWhatTheURLLeavesOutFromTheEnvironment() throws {
        let e = try CentralEndpoint.parse(
            "postgres://db.clinic/central",
            environment: ["PGUSER": "room3", "PGPASSWORD": "from-env", "PGPORT": "5433", "PGSSLMODE": "disable"])
        #expect(e.user == "room3")
        #expect(e.password == "from-env")
        #expect(e.port == 5433)
        #expect(e.tls == .disable)
    }

    @Test func readsThePasswordFileLikeLibpq() throws {
        let dir = try TemporaryDirectory()
        let file = dir.file("pgpass")
        try "# comment\nother:5432:central:room3:wrong\ndb.clinic:5432:*:room3:pa\\:ss\n".write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o600)
        let e = try CentralEndpoint.parse("postgres://room3@db.clinic/central", environment: ["PGPASSFILE": file])
        #expect(e.password == "pa:ss")
        // Readable by others: ignored, as libpq ignores it.
        chmod(file, 0o644)
        let open = try CentralEndpoint.parse("postgres://room3@db.clinic/central", environment: ["PGPASSFILE": file])
        #expect(open.password == nil)
    }

    @Test func rejectsWhatItCannotUseNamingIt() {
        #expect(throws: CentralError.self) { try CentralEndpoint.parse("mysql://x/y", environment: [:]) }
        do {
            _ = try CentralEndpoint.parse("postgres://u:topsecret@h/d?sslmode=sometimes", environment: [:])
            Issue.record("accepted a bad sslmode")
        } catch {
            #expect(error.description.contains("sslmode 'sometimes'"))
            #expect(!error.description.contains("topsecret"))
        }
    }

    @Test func backoffDoublesToItsCapAndResets() {
        var b = CentralBackoff(initial: .milliseconds(500), maximum: .seconds(4))
        #expect([b.failed(), b.failed(), b.failed(), b.failed(), b.failed()] == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4)])
        b.succeeded()
        #expect(b.failed() == .milliseconds(500))
    }
}

/// TLS through postgres-nio's TLS option, against a server with a self-signed certificate.
@Suite struct CentralTLSTests {
    @Test func sslmodeRequireEncryptsAndAPlainServerIsRefusedPlainly() async throws {
        let secure = try PostgresCluster(tls: true)
        try secure.createDatabase("central")
        let url = secure.url(database: "central").replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        let db = try await CentralDatabase.connect(try CentralEndpoint.parse(url, environment: [:]))
        try await db.migrate()
        await db.close()
        #expect(try secure.psql("central", "SELECT count(*) FROM schema_migrations") == "1\n")

        // verify-full against a self-signed certificate that is not trusted: refused.
        let strict = url.replacingOccurrences(of: "sslmode=require", with: "sslmode=verify-full")
        await #expect(throws: CentralError.self) { _ = try await CentralDatabase.connect(try CentralEndpoint.parse(strict, environment: [:])) }

        let plain = try PostgresCluster()
        try plain.createDatabase("central")
        let wantsTLS = plain.url(database: "central").replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        do {
            _ = try await CentralDatabase.connect(try CentralEndpoint.parse(wantsTLS, environment: [:]))
            Issue.record("connected without TLS although sslmode=require")
        } catch {
            #expect(error.description.contains("TLS"), "\(error)")
        }
    }
}

@Suite struct CentralSchemaTests {
    @Test func statementsAreCutAtSemicolonsButNotInsideAFunctionBody() {
        let sql = """
            CREATE TABLE a (x int);
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM 1;
                RETURN NULL;
            END $$;
            -- a comment
            CREATE INDEX i ON a(x);
            """
        let parts = CentralSchema.statements(sql)
        #expect(parts.count == 3)
        #expect(parts[1].hasPrefix("CREATE FUNCTION") && parts[1].hasSuffix("END $$;"))
        #expect(CentralSchema.statements(CentralSchema.migrations[0].sql).count > 10)
    }
}
