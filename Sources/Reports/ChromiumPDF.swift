import Foundation

/// Turns the HTML report into a PDF with headless Chromium (`--print-to-pdf`), the same engine
/// the end-to-end test checks the page in. Chromium is optional: without it the error names the
/// Debian package.
public enum ChromiumPDF {
    /// Why no PDF was made.
    public enum Failure: Error, CustomStringConvertible {
        /// No browser on PATH.
        case notInstalled
        /// The browser ran and failed.
        case failed(browser: String, status: Int32, output: String)

        public var description: String {
            switch self {
            case .notInstalled:
                "--format pdf needs headless Chromium, and none was found on PATH (chromium, chromium-browser, google-chrome); install the Debian package `chromium` (apt-get install chromium), or use --format html and print from a browser"
            case let .failed(browser, status, output):
                "\(browser) --print-to-pdf exited with status \(status)" + (output.isEmpty ? "" : ": \(output.suffix(400))")
            }
        }
    }

    /// The first browser found on `PATH` (or `$VITALS_CHROMIUM`).
    public static func browser(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let given = environment["VITALS_CHROMIUM"], !given.isEmpty { return FileManager.default.isExecutableFile(atPath: given) ? given : nil }
        let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for d in dirs where FileManager.default.isExecutableFile(atPath: d + "/" + name) { return d + "/" + name }
        }
        return nil
    }

    /// Prints `htmlPath` to `pdfPath`. Runs without a sandbox only as root (Chromium refuses
    /// otherwise), with networking pointed at nothing: the page needs none.
    public static func print(htmlPath: String, to pdfPath: String) throws(Failure) {
        guard let browser = browser() else { throw .notInstalled }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        var args = [
            "--headless", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer", "--user-data-dir=\(profile.path)",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--print-to-pdf=\(pdfPath)",
        ]
        if getuid() == 0 { args.insert("--no-sandbox", at: 0) }
        args.append(URL(fileURLWithPath: htmlPath).absoluteString)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { throw .failed(browser: browser, status: -1, output: "\(error)") }
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: pdfPath) else {
            throw .failed(browser: browser, status: p.terminationStatus, output: String(decoding: out, as: UTF8.self))
        }
    }
}
