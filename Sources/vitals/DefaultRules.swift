import Foundation

/// Where the shipped rules are when no `--rules` is given: `Rules/ketamine.yaml` in the current
/// folder (a checkout), else beside the executable's checkout (`.build/debug/vitals`), else the
/// site's override `/etc/vitals/rules/ketamine.yaml`, else the installed copy in
/// `PREFIX/share/vitals/rules` beside the executable's `PREFIX/bin`, else `/usr/share/vitals/rules`.
enum DefaultRules {
    /// The site's override of the installed rules.
    static let override = "/etc/vitals/rules/ketamine.yaml"

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
        if fm.fileExists(atPath: override) { return override }
        let installed = exe.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/vitals/rules/ketamine.yaml").path
        if fm.fileExists(atPath: installed) { return installed }
        return "/usr/share/vitals/rules/ketamine.yaml"
    }
}
