import Foundation
import Plot
import Store
import VitalsCore

/// The report's trends as inline SVG: our own geometry on one time axis for every panel, drawn to
/// read in black and white (line styles, hatching and labels, never colour alone).
struct TrendChart {
    typealias N = Node<HTML.BodyContext>

    let model: ReportModel
    let fmt: LocalTimeFormatter
    /// The axis: session start to the later of its end and the earliest discharge.
    let t0: Int64
    let t1: Int64
    /// The minutes on the axis count from here (the start of administration, else the session's start).
    let origin: Int64

    static let width = 1000.0
    static let left = 64.0
    static let right = 936.0
    static let minute: Int64 = 60_000

    init(model: ReportModel, timeZone: TimeZone) {
        self.model = model
        fmt = LocalTimeFormatter(timeZone: timeZone)
        t0 = model.session.startedAt
        origin = model.form.administrationStart ?? model.session.startedAt
        var end = max(model.end, t0 + 10 * Self.minute)
        if let d = earliestDischarge(model) { end = max(end, d) }
        t1 = end
    }

    func x(_ t: Int64) -> Double {
        Self.left + (Self.right - Self.left) * Double(t - t0) / Double(max(t1 - t0, 1))
    }

    /// Every panel, in the order the report shows them.
    func panels() -> [N] {
        var out: [N] = []
        out.append(line(.spo2, title: "SpO2", unit: "%", floor: 80, ceiling: 100, step: 5))
        out.append(line(.pulse, title: "Pulse rate (oximeter)", unit: "/min", floor: 40, ceiling: 140, step: 20))
        out.append(nibp())
        for m in model.extraMetrics {
            switch m {
            case .hr: out.append(line(.hr, title: "Heart rate (ECG)", unit: "/min", floor: 40, ceiling: 140, step: 20))
            case .resp: out.append(line(.resp, title: "Respiration rate (impedance)", unit: "/min", floor: 0, ceiling: 40, step: 10))
            case .awrr: out.append(line(.awrr, title: "Airway respiration rate (capnography)", unit: "/min", floor: 0, ceiling: 40, step: 10))
            case .etco2: out.append(line(.etco2, title: "End-tidal CO2", unit: "mmHg", floor: 0, ceiling: 60, step: 10))
            case .spo2, .pulse, .pi, .pleth, .nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse, .temp: break
            }
        }
        out.append(lanes())
        return out
    }

    // MARK: - Frame

    /// A panel's SVG with axes, the time markers and the alert bands of `metrics`.
    private func frame(
        id: String, title: String, unit: String, range: ClosedRange<Double>, step: Double, metrics: Set<Metric>,
        extraHeight: Double = 0, body: (_ y: (Double) -> Double, _ top: Double, _ bottom: Double) -> [N]
    ) -> N {
        let top = 26.0, plotHeight = 150.0
        let bottom = top + plotHeight
        let height = bottom + 40 + extraHeight
        let y = { (v: Double) in bottom - plotHeight * (v - range.lowerBound) / (range.upperBound - range.lowerBound) }
        var nodes: [N] = [SVG.text("\(title) (\(unit))", x: Self.left, y: 14, size: 13, attrs: [("font-weight", "bold")])]
        // Alert bands behind the data: physiological alerts on this panel's metrics.
        for a in model.summary.alerts where a.kind == .physiological && a.metric.map(metrics.contains) == true {
            let x1 = x(a.raisedAt), x2 = x(a.clearedAt ?? model.end)
            nodes.append(SVG.rect(x1, top, max(x2 - x1, 1.5), plotHeight, [("fill", "url(#band-\(a.priority.rawValue))"), ("class", "alert-band")]))
        }
        nodes += markers(top: top, bottom: bottom)
        // Y grid and labels.
        var v = (range.lowerBound / step).rounded(.up) * step
        while v <= range.upperBound {
            nodes.append(SVG.line(Self.left, y(v), Self.right, y(v), [("stroke", "#ccc"), ("stroke-width", "0.5")]))
            nodes.append(SVG.text(NumberText.format(v), x: Self.left - 4, y: y(v) + 4, anchor: "end", size: 10))
            v += step
        }
        nodes.append(SVG.rect(Self.left, top, Self.right - Self.left, plotHeight, [("fill", "none"), ("stroke", "#000"), ("stroke-width", "0.8")]))
        nodes += body(y, top, bottom)
        nodes += timeAxis(bottom)
        return SVG.el(
            "svg",
            [("id", id), ("class", "trend"), ("viewBox", "0 0 \(Int(Self.width)) \(SVG.f(height))"), ("role", "img"),
             ("aria-label", "\(title) against time")],
            nodes)
    }

    /// The minutes axis (from the first device) with clock times under it.
    private func timeAxis(_ bottom: Double) -> [N] {
        var nodes: [N] = []
        let span = Double(t1 - t0) / Double(Self.minute)
        let step: Int64 = span <= 60 ? 10 : span <= 180 ? 15 : span <= 360 ? 30 : 60
        var k = -((origin - t0) / (step * Self.minute))
        while origin + k * step * Self.minute <= t1 {
            let t = origin + k * step * Self.minute
            if t >= t0 {
                nodes.append(SVG.line(x(t), bottom, x(t), bottom + 4, [("stroke", "#000")]))
                nodes.append(SVG.text("\(k * step)", x: x(t), y: bottom + 15, anchor: "middle", size: 10))
                nodes.append(SVG.text(fmt.time(t).prefix(5).description, x: x(t), y: bottom + 27, anchor: "middle", size: 9, attrs: [("fill", "#444")]))
            }
            k += 1
        }
        let what = model.form.administrationStart == nil ? "the session's start" : "the first device"
        nodes.append(SVG.text("min from \(what) / clock", x: Self.right, y: bottom + 38, anchor: "end", size: 9, attrs: [("fill", "#444")]))
        return nodes
    }

    /// Dose, the REMS post-dose BP window (the session's rule set; ~40 min by default) and the earliest discharge, on every panel.
    private func markers(top: Double, bottom: Double) -> [N] {
        var nodes: [N] = []
        if let dose = model.session.doseAt {
            let windows = model.summary.checkpoints.windows
            let w = windows.postDoseWindowMilliseconds
            let a = x(dose + w.lowerBound), b = x(dose + w.upperBound)
            nodes.append(SVG.rect(a, top, b - a, bottom - top, [("fill", "url(#rems-window)"), ("class", "rems-window")]))
            nodes.append(SVG.text("REMS BP ~\(windows.postDoseCheckMilliseconds / Self.minute) min", x: (a + b) / 2, y: top + 10, anchor: "middle", size: 9))
            nodes.append(SVG.line(x(dose), top, x(dose), bottom, [("stroke", "#000"), ("stroke-width", "1.5"), ("class", "dose-marker")]))
            nodes.append(SVG.text("dose", x: x(dose) + 2, y: top + 10, size: 9))
        }
        for d in model.doseDevices where d.number > 1 {
            nodes.append(SVG.line(x(d.at), top, x(d.at), top + 8, [("stroke", "#000"), ("stroke-width", "1.5")]))
        }
        if let disc = earliestDischarge(model) {
            nodes.append(SVG.line(x(disc), top, x(disc), bottom, [("stroke", "#000"), ("stroke-dasharray", "6 3"), ("class", "discharge-marker")]))
            nodes.append(SVG.text("earliest discharge", x: x(disc) - 2, y: top + 10, anchor: "end", size: 9))
        }
        if let end = model.session.endedAt {
            nodes.append(SVG.line(x(end), top, x(end), bottom, [("stroke", "#000"), ("stroke-dasharray", "1 2")]))
        }
        return nodes
    }

    // MARK: - Panels

    /// A numeric series as a line broken at gaps (more than 10 s, or 3 typical intervals, without a
    /// valid reading) and at flagged readings; flagged readings are ticks under the axis, counted.
    private func line(_ metric: Metric, title: String, unit: String, floor: Double, ceiling: Double, step: Double) -> N {
        let (valid, flagged) = model.series(metric)
        let lo = Swift.min(floor, ((valid.map(\.value).min() ?? floor) / step).rounded(.down) * step)
        let hi = Swift.max(ceiling, ((valid.map(\.value).max() ?? ceiling) / step).rounded(.up) * step)
        let all = model.readings.filter { $0.metric == metric }
        let intervals = zip(valid, valid.dropFirst()).map { $1.hostTime - $0.hostTime }.sorted()
        let typical = intervals.isEmpty ? 1000 : intervals[intervals.count / 2]
        let gap = Swift.max(10_000, 3 * typical)
        var runs: [[StoredReading]] = []
        var current: [StoredReading] = []
        for r in all {
            if !r.flags.isPhysiologicallyValid || (current.last.map { r.hostTime - $0.hostTime > gap } ?? false) {
                if !current.isEmpty { runs.append(current) }
                current = []
            }
            if r.flags.isPhysiologicallyValid { current.append(r) }
        }
        if !current.isEmpty { runs.append(current) }
        return frame(id: "trend-\(metric.name)", title: title, unit: unit, range: lo...hi, step: step, metrics: [metric], extraHeight: flagged.isEmpty ? 0 : 12) { y, _, bottom in
            var nodes: [N] = []
            for run in runs {
                let points = decimate(run).map { "\(SVG.f(x($0.hostTime))),\(SVG.f(y($0.value)))" }
                if points.count == 1 {
                    let p = run[0]
                    nodes.append(SVG.el("circle", [("cx", SVG.f(x(p.hostTime))), ("cy", SVG.f(y(p.value))), ("r", "1.5"), ("fill", "#000")]))
                } else {
                    nodes.append(SVG.el("polyline", [("points", points.joined(separator: " ")), ("fill", "none"), ("stroke", "#000"), ("stroke-width", "1.2"), ("class", "series")]))
                }
            }
            if !flagged.isEmpty {
                var seen = Set<Int>()
                for r in flagged where seen.insert(Int(x(r.hostTime))).inserted {
                    nodes.append(SVG.line(x(r.hostTime), bottom + 30, x(r.hostTime), bottom + 36, [("stroke", "#000"), ("stroke-width", "0.8"), ("class", "flagged")]))
                }
                nodes.append(SVG.text("\(flagged.count) flagged reading(s) (artifact, sensor off, held, out of track) left out of the line; ticks mark them", x: Self.left, y: bottom + 48, size: 9))
            }
            return nodes
        }
    }

    /// Per pixel column, the first, lowest, highest and last reading: a 1 Hz two-hour trace keeps its shape in a few hundred points.
    private func decimate(_ run: [StoredReading]) -> [StoredReading] {
        var out: [StoredReading] = []
        var column: [StoredReading] = []
        var col = Int.min
        func flush() {
            guard let first = column.first, let last = column.last else { return }
            let lo = column.min { $0.value < $1.value }!, hi = column.max { $0.value < $1.value }!
            for r in [first, lo, hi, last].sorted(by: { $0.hostTime < $1.hostTime }) where out.last != r { out.append(r) }
        }
        for r in run {
            let c = Int(x(r.hostTime))
            if c != col { flush(); column = []; col = c }
            column.append(r)
        }
        flush()
        return out
    }

    /// NIBP as points: a bar from diastolic to systolic, a down-triangle at systolic, an
    /// up-triangle at diastolic, a circle at the mean.
    private func nibp() -> N {
        let points = model.nibpPoints
        let values = points.flatMap { [$0.systolic] + [$0.diastolic, $0.mean].compactMap { $0 } }
        let lo = Swift.min(40, ((values.min() ?? 40) / 20).rounded(.down) * 20)
        let hi = Swift.max(200, ((values.max() ?? 200) / 20).rounded(.up) * 20)
        return frame(id: "trend-nibp", title: "NIBP: systolic ▼, diastolic ▲, mean ●", unit: "mmHg", range: lo...hi, step: 20,
                     metrics: [.nibpSystolic, .nibpDiastolic, .nibpMean], extraHeight: 0) { y, _, _ in
            points.map { p in
                let px = x(p.at)
                var g: [N] = []
                if let d = p.diastolic {
                    g.append(SVG.line(px, y(p.systolic), px, y(d), [("stroke", "#000"), ("stroke-width", "1")]))
                    g.append(SVG.el("path", [("d", "M\(SVG.f(px - 4)) \(SVG.f(y(d) + 5))h8l-4 -7z"), ("fill", "#000")]))
                }
                g.append(SVG.el("path", [("d", "M\(SVG.f(px - 4)) \(SVG.f(y(p.systolic) - 5))h8l-4 7z"), ("fill", "#000")]))
                if let m = p.mean {
                    g.append(SVG.el("circle", [("cx", SVG.f(px)), ("cy", SVG.f(y(m))), ("r", "2.5"), ("fill", "#fff"), ("stroke", "#000")]))
                }
                let text = "\(NumberText.format(p.systolic))/\(p.diastolic.map(NumberText.format) ?? "?")" + (p.mean.map { " (\(NumberText.format($0)))" } ?? "")
                g.append(SVG.el("title", [], [.text("\(fmt.time(p.at)) \(text) mmHg")]))
                return SVG.el("g", [("class", "nibp-point"), ("data-t", String(p.at)), ("data-sys", NumberText.format(p.systolic))], g)
            }
        }
    }

    /// Alert spans by priority (labelled bands) and device problems (disconnects, sensor off).
    private func lanes() -> N {
        let rows: [(String, String)] = [("high", "High"), ("medium", "Medium"), ("low", "Low"), ("devices", "Devices")]
        let rowHeight = 22.0, top = 26.0
        let bottom = top + rowHeight * Double(rows.count)
        var nodes: [N] = [SVG.text("Alerts by priority, and device problems", x: Self.left, y: 14, size: 13, attrs: [("font-weight", "bold")])]
        nodes += markers(top: top, bottom: bottom)
        for (i, row) in rows.enumerated() {
            let ry = top + rowHeight * Double(i)
            nodes.append(SVG.line(Self.left, ry + rowHeight, Self.right, ry + rowHeight, [("stroke", "#ccc"), ("stroke-width", "0.5")]))
            nodes.append(SVG.text(row.1, x: Self.left - 4, y: ry + 15, anchor: "end", size: 10))
        }
        for a in model.summary.alerts {
            let i = rows.firstIndex { $0.0 == a.priority.rawValue } ?? 0
            let ry = top + rowHeight * Double(i)
            let x1 = x(a.raisedAt), x2 = Swift.max(x(a.clearedAt ?? model.end), x1 + 2)
            nodes.append(SVG.rect(x1, ry + 3, x2 - x1, rowHeight - 6, [("fill", "url(#band-\(a.priority.rawValue))"), ("stroke", "#000"), ("stroke-width", "0.6"), ("class", "alert-span")]))
            nodes.append(SVG.text(a.rule + (a.kind == .technical ? " (technical)" : ""), x: x1 + 2, y: ry + 14, size: 9, attrs: [("class", "alert-label")]))
        }
        let devicesY = top + rowHeight * 3
        var openSince: [String: (Int64, DeviceEventKind)] = [:]
        func close(_ device: String, _ at: Int64) {
            guard let (from, kind) = openSince.removeValue(forKey: device) else { return }
            let x1 = x(from), x2 = Swift.max(x(at), x1 + 2)
            nodes.append(SVG.rect(x1, devicesY + 3, x2 - x1, rowHeight - 6, [("fill", kind == .disconnected ? "url(#band-high)" : "url(#band-low)"), ("stroke", "#000"), ("stroke-width", "0.6")]))
            nodes.append(SVG.text("\(device) \(kind == .disconnected ? "disconnected" : "sensor off")", x: x1 + 2, y: devicesY + 14, size: 9))
        }
        for e in model.deviceEvents {
            switch e.kind {
            case .disconnected:
                nodes.append(SVG.el("path", [("d", "M\(SVG.f(x(e.at) - 4)) \(SVG.f(devicesY))h8l-4 6z"), ("fill", "#000"), ("class", "disconnect-marker")]))
                close(e.device, e.at)
                openSince[e.device] = (e.at, .disconnected)
            case .sensorOff:
                if openSince[e.device] == nil { openSince[e.device] = (e.at, .sensorOff) }
            case .connected, .sensorOn, .streaming:
                close(e.device, e.at)
            case .quiet, .resync, .commandSent, .status, .clockStep:
                break
            }
        }
        for device in openSince.keys.sorted() { close(device, model.end) }
        nodes.append(SVG.rect(Self.left, top, Self.right - Self.left, bottom - top, [("fill", "none"), ("stroke", "#000"), ("stroke-width", "0.8")]))
        nodes += timeAxis(bottom)
        return SVG.el("svg", [("id", "trend-alerts"), ("class", "trend"), ("viewBox", "0 0 \(Int(Self.width)) \(SVG.f(bottom + 42))"),
                              ("role", "img"), ("aria-label", "Alerts and device problems against time")], nodes)
    }

    /// Fill patterns shared by every panel (one hidden SVG): grey levels and hatching that survive black-and-white printing.
    static var definitions: N {
        SVG.el("svg", [("width", "0"), ("height", "0"), ("style", "position:absolute"), ("aria-hidden", "true")], [
            SVG.el("defs", [], [
                SVG.el("pattern", [("id", "rems-window"), ("width", "6"), ("height", "6"), ("patternUnits", "userSpaceOnUse"), ("patternTransform", "rotate(45)")], [
                    SVG.line(0, 0, 0, 6, [("stroke", "#999"), ("stroke-width", "1")]),
                ]),
                SVG.el("pattern", [("id", "band-high"), ("width", "4"), ("height", "4"), ("patternUnits", "userSpaceOnUse")], [
                    SVG.rect(0, 0, 4, 4, [("fill", "#d0d0d0")]),
                ]),
                SVG.el("pattern", [("id", "band-medium"), ("width", "5"), ("height", "5"), ("patternUnits", "userSpaceOnUse"), ("patternTransform", "rotate(-45)")], [
                    SVG.rect(0, 0, 5, 5, [("fill", "#eee")]), SVG.line(0, 0, 0, 5, [("stroke", "#888"), ("stroke-width", "1.5")]),
                ]),
                SVG.el("pattern", [("id", "band-low"), ("width", "5"), ("height", "5"), ("patternUnits", "userSpaceOnUse")], [
                    SVG.rect(0, 0, 5, 5, [("fill", "#f6f6f6")]), SVG.el("circle", [("cx", "2.5"), ("cy", "2.5"), ("r", "0.8"), ("fill", "#777")]),
                ]),
            ]),
        ])
    }
}

/// The start of administration plus the longer of 2 h (REMS, reference/alarms-clinical.md A3) and the planned observation.
func earliestDischarge(_ model: ReportModel) -> Int64? {
    guard let start = model.form.administrationStart else { return nil }
    return start + max(120 * 60_000, model.session.plan.observeMilliseconds ?? 0)
}
