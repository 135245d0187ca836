import ArgumentParser
import Bridge
import DeviceProtocols
import Store

/// What shell completion offers (`vitals --generate-completion-script bash|zsh|fish`; see
/// README.md): profile and scenario names from their catalogues, priorities, and the rooms of
/// the database the command line names (`--db`, else the default location).
enum Completions {
    static let profiles = CompletionKind.list(ProfileCatalog.all.map { $0.id })
    static let scenarios = CompletionKind.list(Scenario.allCases.map(\.rawValue))
    static let priorities = CompletionKind.list(["low", "medium", "high"])
    static let rooms = CompletionKind.custom { words, _, _ in rooms(words) }

    /// The rooms of the database `words` (the command line so far) names; none when it is missing.
    static func rooms(_ words: [String]) -> [String] {
        let flag = words.firstIndex(of: "--db").flatMap { words.index(after: $0) < words.endIndex ? words[words.index(after: $0)] : nil }
        guard let location = try? DatabaseLocation.resolve(flag: flag), location.exists,
              let db = try? VitalsDatabase(path: location.path)
        else { return [] }
        return (try? db.knownRooms()) ?? []
    }
}
