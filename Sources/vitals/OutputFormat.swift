import ArgumentParser
import Bridge

/// How commands that print events print them (`--format text|jsonl`).
typealias OutputFormat = EventFormat

extension EventFormat: ExpressibleByArgument {}
