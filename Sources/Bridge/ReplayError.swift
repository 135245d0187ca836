/// Why a replay could not start.
public enum ReplayError: Error, Sendable, CustomStringConvertible {
    /// A `--device` argument that is not `PROFILE=FILE`.
    case badDeviceSpec(String)
    /// A fixture file that cannot be read.
    case unreadable(String)
    /// No `--device` given.
    case noDevices

    public var description: String {
        switch self {
        case .badDeviceSpec(let s): "'\(s)' is not PROFILE=FILE (for example nonin-df7=Fixtures/nonin-df7/clean.script)"
        case .unreadable(let p): "cannot read '\(p)'"
        case .noDevices: "give at least one --device PROFILE=FILE"
        }
    }
}
