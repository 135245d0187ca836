import Bridge
import Foundation
@preconcurrency import Rainbow
import Synchronization
import VitalsCore

/// What `vitals demo` shows: a header, each alert as it happens, and a status line redrawn in
/// place (on a terminal) or printed every ten demo minutes (into a pipe or file).
final class DemoScreen: Sendable {
    let interactive: Bool
    let dose: Duration
    let length: Duration
    private let statusShown = Mutex(false)
    private let lastPlainStatus = Mutex(Int64(-1))
    private let origin = Mutex<Int64?>(nil)

    init(interactive: Bool, dose: Duration, length: Duration) {
        self.interactive = interactive
        self.dose = dose
        self.length = length
        Rainbow.enabled = interactive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    func header(options: DemoRoom.Options) {
        write("""
            \("vitals demo".bold): a ketamine session on simulated monitors, \(Self.clock(options.duration)) in about \(Int(options.duration.secondsDouble / options.speed)) seconds
              patient    DEMO-0001, esketamine 84 mg intranasal, dose at \(Self.clock(options.doseAt))
            \(Self.monitors(options))
              rules      \(options.rulesPath)
              database   \(options.databasePath)

            """)
    }

    /// The header's lines naming the simulated devices.
    static func monitors(_ options: DemoRoom.Options) -> String {
        if let monitor = options.monitor {
            return "  monitors   \(monitor.id) multi-parameter monitor on \(options.directory)/monitor (pty): SpO2, ECG, NIBP, capnography"
        }
        return "  monitors   Nonin DF7 oximeter on \(options.directory)/oximeter (pty)\n"
            + "             SunTech Advantage NIBP on \(options.directory)/nibp (pty), every 10 min and at dose + 40 min"
    }

    /// The demo clock `H:MM` of a run time's label.
    func demoClock(_ hostTime: Int64) -> String {
        let o = origin.withLock { o -> Int64 in
            if o == nil { o = hostTime }
            return o!
        }
        return Self.clock(.milliseconds(hostTime - o))
    }

    static func clock(_ d: Duration) -> String {
        let m = max(0, d.milliseconds / 60_000)
        return "\(m / 60):" + (m % 60 < 10 ? "0" : "") + "\(m % 60)"
    }

    func alert(_ e: AlertEvent) {
        let tag: String = switch e.priority {
        case .high: " HIGH ".onRed.white.bold
        case .medium: " MED  ".onYellow.black
        case .low: " LOW  ".onCyan.black
        }
        let event = e.event.rawValue.padded(12)
        let line = "  \(Self.clock(.milliseconds(e.time.milliseconds)))  \(tag)  \(event)\(e.message)" + (e.by.map { " (by \($0))" } ?? "")
        write(line + "\n", replacingStatus: true)
    }

    func status(time: Duration, snapshot: LiveVitals.Snapshot) {
        func v(_ m: Metric) -> String {
            snapshot.latest[m].map { TextLines.number($0.value) } ?? "--"
        }
        let bp = snapshot.latest[.nibpSystolic].map { o in
            "\(TextLines.number(o.value))/\(v(.nibpDiastolic)) (\(v(.nibpMean))) at \(Self.clock(.milliseconds(o.time.milliseconds)))"
        } ?? "--"
        let phase = time < dose ? "pre-dose" : "dose +\(Self.clock(time - dose))"
        // A monitor with capnography adds the breathing values.
        let breathing = snapshot.latest[.etco2] == nil ? "" : "  RR \(v(.awrr))  EtCO2 \(v(.etco2))"
        let line = Self.statusLine(
            columns: TerminalSize.current().columns, clock: Self.clock(time),
            fraction: min(1, time.secondsDouble / length.secondsDouble), phase: phase,
            vitals: "SpO2 \(v(.spo2))%  PR \(v(.pulse))  NIBP \(bp)\(breathing)", alerts: snapshot.active.count)
        if interactive {
            write("\r\u{1B}[K" + line)
            statusShown.withLock { $0 = true }
        } else {
            let tenth = time.milliseconds / 600_000
            let print = lastPlainStatus.withLock { last -> Bool in
                guard tenth != last else { return false }
                last = tenth
                return true
            }
            if print { write(line + "\n") }
        }
    }

    /// The status line in at most `columns - 1` characters (a line as wide as the terminal
    /// wraps in some terminals, and a wrapped line is not redrawn in place): the progress bar
    /// shrinks first (to nothing), then the vitals are cut with "…"; the clock, the phase and
    /// the alert count always stay.
    static func statusLine(columns: Int, clock: String, fraction: Double, phase: String, vitals: String, alerts: Int) -> String {
        let room = max(10, columns - 1)
        let head = "  \(clock) "
        let tail = "  alerts \(alerts)"
        let phaseText = phase.padded(13)
        let fixed = head.count + phaseText.count + 1 + tail.count
        let barWidth = min(20, max(0, room - fixed - vitals.count - 1))
        let done = Int(Double(barWidth) * fraction)
        let bar = barWidth == 0 ? "" : String(repeating: "█", count: done) + String(repeating: "░", count: barWidth - done) + " "
        var middle = vitals
        let left = room - fixed - bar.count
        if middle.count > left { middle = left > 1 ? String(middle.prefix(left - 1)) + "…" : "" }
        let line = head + bar + phaseText + " " + middle + tail
        return line.count > room ? String(line.prefix(room)) : line
    }

    func finish(result: DemoRoom.Result) {
        write("\n\n" + "Session summary".bold + " (vitals session show \(result.sessionID) --db \(result.databasePath))\n\n", replacingStatus: true)
        write(result.report + "\n")
        write("\nThe database is kept at \(result.databasePath).\n")
    }

    private func write(_ text: String, replacingStatus: Bool = false) {
        var out = text
        if replacingStatus, interactive, statusShown.withLock({ $0 }) {
            out = "\r\u{1B}[K" + text
            statusShown.withLock { $0 = false }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
