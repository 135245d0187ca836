import Foundation

/// Where the shipped rules are when no `--rules` is given: `Rules/ketamine.yaml` in the current
/// folder (a checkout), else beside the executable's checkout (`.build/debug/vitals`), else the
/// installed copy.
enum DefaultRules {
    static var path: String {
        let fm = FileManager.default
        let local = "Rules/ketamine.yaml"
        if fm.fileExists(atPath: local) { return local }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(local).path
            if fm.fileExists(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return "/usr/share/vitals/rules/ketamine.yaml"
    }
}
