import Foundation
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// Headless Chromium, found on PATH; the browser tests skip (with this message) without it.
enum Browser {
    static let path: String? = {
        for name in ["chromium", "chromium-browser"] {
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }()

    /// Runs a program to its end; returns status and stdout.
    static func run(_ exe: String, _ args: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes to the end on other threads so neither fills.
        let errData = Mutex2()
        let t = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        t.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !errData.done { usleep(1000) }
        return (p.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errData.value, as: UTF8.self))
    }

    /// Chromium's headless flags for a test: its own profile, no background networking, and every
    /// http(s) request sent to a proxy the test listens on (which must stay silent).
    static func flags(profile: String, proxyPort: UInt16) -> [String] {
        var f = [
            "--headless", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-default-browser-check",
            "--proxy-server=http://127.0.0.1:\(proxyPort)", "--proxy-bypass-list=<-loopback>",
        ]
        if getuid() == 0 { f.insert("--no-sandbox", at: 0) }
        return f
    }
}

/// A tiny thread-safe box for the stderr reader.
final class Mutex2: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var finished = false
    func set(_ d: Data) { lock.lock(); data = d; finished = true; lock.unlock() }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return finished }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A loopback TCP listener on a free port: the browser's proxy, so every http(s) request it makes
/// arrives here and its request line can be read.
final class ProxyRecorder: @unchecked Sendable {
    let fd: Int32
    let port: UInt16

    /// Hosts Chromium itself calls whatever the page (network time, component updater, accounts),
    /// even with background networking disabled; a request to any other host came from the page.
    static let browserHosts: Set<String> = [
        "clients2.google.com", "update.googleapis.com", "accounts.google.com", "optimizationguide-pa.googleapis.com",
        "safebrowsing.googleapis.com", "content-autofill.googleapis.com", "redirector.gvt1.com", "edgedl.me.gvt1.com",
        "clientservices.googleapis.com", "android.clients.google.com",
    ]

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw CocoaError(.fileWriteUnknown) }
        port = UInt16(bigEndian: addr.sin_port)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    private let lock = NSLock()
    private var hosts: [String] = []
    private var stopped = false

    /// Accepts on a thread of its own until `stop()`: each connection's request line is read, its
    /// host kept, and the connection closed at once (so a page waiting on a fetch fails fast
    /// instead of hanging the browser).
    func start() {
        Thread { [self] in
            while !lock.withLock({ stopped }) {
                let c = accept(fd, nil, nil)
                if c < 0 { usleep(20_000); continue }
                let host = Self.host(of: c)
                close(c)
                lock.withLock { hosts.append(host) }
            }
        }.start()
    }

    /// Stops accepting; the hosts seen so far.
    func stop() -> [String] {
        lock.withLock { stopped = true }
        usleep(50_000)
        return lock.withLock { hosts }
    }

    /// The hosts seen so far, forgetting them.
    func take() -> [String] {
        usleep(200_000)
        return lock.withLock { defer { hosts = [] }; return hosts }
    }

    private static func host(of c: Int32) -> String {
        var tv = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buf = [UInt8](repeating: 0, count: 512)
        let n = recv(c, &buf, buf.count, 0)
        let line = String(decoding: buf.prefix(max(n, 0)), as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
        // "CONNECT host:443 HTTP/1.1" or "GET http://host/path HTTP/1.1".
        let target = line.split(separator: " ").dropFirst().first.map(String.init) ?? line
        let host = target.replacingOccurrences(of: "http://", with: "").split(separator: "/").first?.split(separator: ":").first
        return host.map(String.init) ?? target
    }

    deinit { close(fd) }
}

/// The session report in a real browser: a recorded scenario (oximeter and cuff fixtures replayed
/// into a database, dose and end recorded through the CLI) rendered by the built `vitals`, opened
/// by headless Chromium (DOM, screenshot, PDF), the PDF's pages counted by pdftoppm.
@Suite(.serialized) struct ReportBrowserTests {
    let start = "2026-01-01T09:00:00Z"

    /// A clinician's session in room `replay` (lot, concomitant answers, nasal devices 1 and 2 at 4
    /// and 9 min), the oximeter and cuff scenario fixtures replayed into it, an observation, and
    /// the end at 60 min unless the replay ended the session itself (at its virtual end).
    func recordedSession(_ dir: TemporaryDirectory) throws -> (db: String, session: Int64) {
        let db = dir.file("room.sqlite")
        let root = RepositoryPaths.root.path
        func vitals(_ args: [String]) throws {
            let r = try VitalsChild.run(args + ["--db", db])
            #expect(r.status == 0, "vitals \(args.joined(separator: " ")): \(r.stderr)")
        }
        try vitals([
            "session", "start", "--room", "replay", "--patient", "P-0042", "--clinician", "Dr Osei", "--medication", "esketamine",
            "--dose", "56 mg", "--route", "intranasal", "--lot", "LOT-7781", "--concomitant", "benzodiazepine=no",
            "--concomitant", "maoi=no", "--at", start,
        ])
        try vitals(["session", "dose", "--room", "replay", "--device", "1", "--at", "2026-01-01T09:04:00Z", "--by", "RN Park"])
        try vitals(["session", "dose", "--room", "replay", "--device", "2", "--at", "2026-01-01T09:09:00Z"])
        try vitals([
            "replay", "--device", "nonin-df8=\(root)/Fixtures/nonin-df8/scenario-desaturation-15m.script",
            "--device", "and-ua767=\(root)/Fixtures/and-ua767/scenario-bp-surge-40m.script",
            "--rules", RepositoryPaths.rules, "--dose-at", "4m", "--start", start, "--format", "jsonl",
        ])
        let store = try VitalsDatabase(path: db)
        let session = try #require(try store.sessions().first)
        if session.isOpen {
            try vitals(["session", "end", "--session", "\(session.id)", "--force", "--reason", "discharged", "--at", "2026-01-01T10:00:00Z"])
        }
        try vitals([
            "session", "observe", "--session", "\(session.id)", "dissociation", "felt detached", "--by", "Dr Osei", "--at", "2026-01-01T09:20:00Z",
        ])
        #expect(try store.readings(session: session.id).count > 0)
        return (db, session.id)
    }

    @Test(.enabled(if: Browser.path != nil, "headless Chromium is not installed (Debian package chromium; scripts/install-deps.sh installs it)"))
    func reportRendersInChromium() throws {
        let browser = try #require(Browser.path)
        let dir = try TemporaryDirectory(prefix: "vitals-report")
        let (db, id) = try recordedSession(dir)
        let html = dir.file("report.html")
        let made = try VitalsChild.run(["report", "\(id)", "--db", db, "--format", "html", "-o", html, "--rules", RepositoryPaths.rules])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == html + "\n")
        let source = try String(contentsOfFile: html, encoding: .utf8)
        // Self-contained: nothing to fetch.
        for banned in ["http://", "https://", "src=", "<link", "<script", "@import", "url(h", "url(/", "url(\""] {
            #expect(!source.contains(banned), "the report contains \(banned)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: html)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // What the store holds, to compare the page with.
        let store = try VitalsDatabase(path: db)
        let record = try store.session(id: id)
        let nibpCount = try store.readings(session: id, metric: .nibpSystolic).filter { $0.flags.isPhysiologicallyValid }.count
        #expect(nibpCount > 0)
        let checkpoints = try store.remsCheckpoints(session: id, now: record.endedAt!)
        let dose = try #require(record.doseAt)

        let proxy = try ProxyRecorder()
        proxy.start()
        defer { _ = proxy.stop() }
        let url = URL(fileURLWithPath: html).absoluteString
        let (status, dom, err) = try Browser.run(browser, Browser.flags(profile: dir.file("profile"), proxyPort: proxy.port) + ["--dump-dom", url])
        #expect(status == 0, "\(err)")
        for id in ["trend-spo2", "trend-pulse", "trend-nibp", "trend-alerts"] {
            #expect(dom.contains("<svg id=\"\(id)\""), "no SVG \(id) in the DOM")
        }
        #expect(dom.components(separatedBy: "class=\"nibp-point\"").count - 1 == nibpCount)
        for (key, m) in [("before-administration", checkpoints.baseline), ("about-40-min", checkpoints.postDose), ("before-completion", checkpoints.beforeDischarge)] {
            let value = m.map { "\($0.text) mmHg" } ?? ""
            let minute = m.map { Int((Double($0.at - dose) / 60_000).rounded()) }.map { "\($0 >= 0 ? "+" : "")\($0) min" } ?? ""
            let row = try #require(Self.row(dom, key), "no row \(key)")
            #expect(row.value == value, "\(key)")
            #expect(row.minute == minute, "\(key)")
        }
        #expect(checkpoints.baseline != nil && checkpoints.postDose != nil)
        #expect(dom.contains(#"<td data-field="lot">LOT-7781</td>"#))
        #expect(dom.contains(#"data-concomitant="maoi"><th>Monoamine oxidase inhibitors (MAOIs)</th><td>No</td>"#))
        let total = Int((record.endedAt! - dose) / 60_000)
        #expect(dom.contains("id=\"total-minutes\">\(total)<"))

        let png = dir.file("report.png")
        let (shotStatus, _, shotErr) = try Browser.run(
            browser, Browser.flags(profile: dir.file("profile"), proxyPort: proxy.port) + ["--screenshot=\(png)", "--window-size=1000,2000", "--hide-scrollbars", url])
        #expect(shotStatus == 0, "\(shotErr)")
        let shot = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(shot.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        print("report screenshot: \(png) (\(shot.count) bytes)")
        if shot.count < 300_000 {
            try? shot.write(to: RepositoryPaths.root.appendingPathComponent("docs/report-example.png"))
        }

        // The PDF through the binary (which runs chromium --print-to-pdf), its pages by pdftoppm.
        let pdf = dir.file("report.pdf")
        let printed = try VitalsChild.run(["report", "\(id)", "--db", db, "--format", "pdf", "-o", pdf, "--rules", RepositoryPaths.rules])
        #expect(printed.status == 0, "\(printed.stderr)")
        let pdfData = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(pdfData.starts(with: Array("%PDF".utf8)))
        if let pdftoppm = ["/usr/bin/pdftoppm", "/usr/local/bin/pdftoppm"].first(where: FileManager.default.isExecutableFile(atPath:)) {
            let (ppm, _, ppmErr) = try Browser.run(pdftoppm, ["-png", "-r", "40", pdf, dir.file("page")])
            #expect(ppm == 0, "\(ppmErr)")
            let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("page") && $0.hasSuffix(".png") }
            #expect(pages.count >= 1)
        } else {
            Issue.record("pdftoppm is not installed (Debian package poppler-utils; scripts/install-deps.sh installs it)")
        }
        print("report sizes: html \(source.utf8.count) bytes, pdf \(pdfData.count) bytes")
        let hosts = proxy.take()
        let fromPage = hosts.filter { !ProxyRecorder.browserHosts.contains($0) }
        #expect(fromPage.isEmpty, "the page made network requests: \(fromPage)")
        print("requests Chromium made on its own (not the page's): \(hosts)")
        // The check can fail: a page with one external image is caught.
        let leaky = dir.file("leaky.html")
        try #"<html><body><img src="http://report-leak.invalid/x.png"></body></html>"#.write(toFile: leaky, atomically: true, encoding: .utf8)
        _ = try Browser.run(browser, Browser.flags(profile: dir.file("profile"), proxyPort: proxy.port) + ["--dump-dom", URL(fileURLWithPath: leaky).absoluteString])
        #expect(proxy.take().contains("report-leak.invalid"))
    }

    @Test func reportWithoutChromiumNamesThePackage() throws {
        let dir = try TemporaryDirectory(prefix: "vitals-report")
        let db = dir.file("r.sqlite")
        let s = try VitalsDatabase(path: db).startSession(SessionPlan(room: "r", patientRef: "P"), at: 1_767_258_000_000)
        let r = try VitalsChild.run(
            ["report", "\(s.id)", "--db", db, "--format", "pdf", "-o", dir.file("x.pdf"), "--rules", RepositoryPaths.rules],
            environment: ["PATH": dir.path, "VITALS_CHROMIUM": ""])
        #expect(r.status != 0)
        #expect(r.stderr.contains("Debian package `chromium`"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.pdf")))
        // JSON needs no browser.
        let json = try VitalsChild.run(["report", "\(s.id)", "--db", db, "--format", "json", "-o", "-", "--rules", RepositoryPaths.rules])
        #expect(json.status == 0, "\(json.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(obj?["schema"] as? String == "vitals-report/1")
    }

    /// The BP value and minute cells of a checkpoint row in the dumped DOM.
    static func row(_ dom: String, _ key: String) -> (value: String, minute: String)? {
        guard let r = dom.range(of: "data-checkpoint=\"\(key)\"") else { return nil }
        let rest = dom[r.upperBound...]
        func cell(_ cls: String) -> String? {
            guard let a = rest.range(of: "<td class=\"\(cls)\">"), let b = rest[a.upperBound...].range(of: "</td>") else { return nil }
            return String(rest[a.upperBound..<b.lowerBound])
        }
        guard let v = cell("bp-value"), let m = cell("bp-minute") else { return nil }
        return (v, m)
    }
}
