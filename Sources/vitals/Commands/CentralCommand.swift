import ArgumentParser
import Central
import Foundation

/// `vitals central`: the clinic's central PostgreSQL database.
struct CentralCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "central",
        abstract: "Set up the clinic's central PostgreSQL database (every room's record).",
        subcommands: [CentralInitCommand.self]
    )
}

/// `vitals central init --url URL`: creates or migrates the central schema.
struct CentralInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or migrate the central schema (safe to run again).",
        discussion: """
            The database must exist (createdb). The password comes from PGPASSFILE (~/.pgpass) or \
            PGPASSWORD, not the URL, wherever the command line is visible to others; \
            ?sslmode=require asks for TLS.
            """)

    @OptionGroup var central: CentralURLOption

    func run() async throws {
        let endpoint = try central.endpoint()
        let db = try await CentralDatabase.connect(endpoint)
        do {
            let applied = try await db.migrate()
            await db.close()
            print(applied.isEmpty
                ? "\(endpoint.redacted): central schema already at version \(CentralSchema.latestVersion)"
                : "\(endpoint.redacted): applied \(applied.map { "v\($0)" }.joined(separator: ", ")); central schema at version \(CentralSchema.latestVersion)")
        } catch {
            await db.close()
            throw error
        }
    }
}

/// `--url`: the central database.
struct CentralURLOption: ParsableArguments {
    @Option(help: ArgumentHelp("The central database: postgres://USER@HOST:PORT/DATABASE[?sslmode=require].", valueName: "url"))
    var url: String

    func endpoint() throws -> CentralEndpoint {
        do { return try CentralEndpoint.parse(url) } catch { throw ValidationError(error.description) }
    }
}

/// Runs async library code from a synchronous command (`tail`, `status`) and waits for it. The
/// operation runs on the global executor; the calling thread only waits.
func waitFor<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await operation()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
