import Foundation
import Plot
import Store
import VitalsCore

/// The session report as one self-contained HTML page: inline CSS and SVG only, no scripts, fonts,
/// images or links to fetch, so it opens on an offline room PC and in an EHR's attachment viewer.
/// The print CSS fits both A4 and Letter (the page size is the printer's; margins 12 mm).
public enum HTMLReport {
    typealias N = Node<HTML.BodyContext>

    /// The page, times in `timeZone`; `generatedAt` is printed in the footer.
    public static func render(_ model: ReportModel, timeZone: TimeZone = .current, generatedAt: Int64) -> String {
        let fmt = LocalTimeFormatter(timeZone: timeZone)
        let s = model.session
        let html = HTML(
            .head(
                .meta(.charset(.utf8)),
                .title("Session \(s.id) report, room \(s.room)"),
                .style(css)
            ),
            .body(
                .group([TrendChart.definitions]),
                header(model, fmt),
                remsForm(model, fmt),
                trends(model, timeZone: timeZone),
                alertsSection(model, fmt),
                eventsSection(model, fmt),
                .footer(.p(.text("Generated \(fmt.dateTime(generatedAt)) by vitals from the room's record (session \(s.id)). Values are as the devices sent them; computed answers say so; blank fields are for the clinician.")))
            )
        )
        return html.render()
    }

    // MARK: - Sections

    static func row(_ name: String, _ value: String?, dataKey: String? = nil) -> Node<HTML.TableContext> {
        .tr(.th(.text(name)), .td(dataKey.map { N.attribute(named: "data-field", value: $0) } ?? .empty, .text(value ?? "")))
    }

    static func header(_ m: ReportModel, _ fmt: LocalTimeFormatter) -> N {
        let s = m.session
        var end = s.endedAt.map { fmt.dateTime($0) } ?? "open (report made \(fmt.dateTime(m.summary.now)))"
        if let r = s.endReason { end += ", \(r)" }
        return .header(
            .h1(.text("Dosing session \(s.id): monitoring report")),
            .table(
                .class("header"),
                row("Room", s.room),
                row("Patient reference", s.plan.patientRef),
                row("Clinician", s.plan.clinician),
                row("Medication", s.plan.medication),
                row("Dose and route", [s.plan.dose, s.plan.route].compactMap { $0 }.joined(separator: ", ")),
                row("Lot number", s.plan.lot, dataKey: "lot"),
                row("Session started", fmt.dateTime(s.startedAt)),
                row("Dose (first device)", m.form.administrationStart.map(fmt.dateTime) ?? "not recorded"),
                row("Session ended", end),
                row("Rule set (limits used here)", "\(m.limits.source); session's own limits: "
                    + (s.plan.limits.isEmpty ? "none" : s.plan.limits.sorted { $0.key < $1.key }.map { "\($0.key)=\(NumberText.format($0.value))" }.joined(separator: " "))),
                row("Devices", m.summary.devices.map { "\($0.name) (\($0.profile))" }.joined(separator: "; "))
            )
        )
    }

    static func yesNo(_ b: Bool?) -> String { b.map { $0 ? "Yes" : "No" } ?? "" }

    static func remsForm(_ m: ReportModel, _ fmt: LocalTimeFormatter) -> N {
        let f = m.form
        let doseText: String
        switch f.dose {
        case .mg56: doseText = "56 mg"
        case .mg84: doseText = "84 mg"
        case let .other(t): doseText = "Other: \(t)"
        case .notRecorded: doseText = ""
        }
        let devices = m.doseDevices.map { "device \($0.number) at \(fmt.time($0.at))" }.joined(separator: ", ")
        var bpRows: [Node<HTML.TableContext>] = []
        for bp in f.bloodPressures {
            bpRows.append(.tr(
                .attribute(named: "data-checkpoint", value: bp.key),
                .th(.text(bp.label)),
                .td(.class("bp-value"), .text(bp.measurement.map { "\($0.text) mmHg" } ?? "")),
                .td(.class("bp-time"), .text(bp.measurement.map { fmt.time($0.at) } ?? "")),
                .td(.class("bp-minute"), .text(bp.minuteFromDose.map { "\($0 >= 0 ? "+" : "")\($0) min" } ?? "")),
                .td(.text(bp.measurement == nil ? "no qualifying measurement (blank for the clinician)" : "from \(bp.measurement!.device)"))
            ))
        }
        return .section(
            .id("rems-form"),
            .h2("SPRAVATO REMS Patient Monitoring Form: fields from the record"),
            .p(.class("note"), .text("Filled from what the bridge recorded; a blank is left for the clinician, never guessed. Submit the form within 7 days of the session.")),
            .table(
                .class("form"),
                row("Treatment date", fmt.dateTime(f.treatmentAt).prefix(10).description, dataKey: "treatment-date"),
                row("Dose", doseText, dataKey: "dose"),
                row("Lot number", f.lot, dataKey: "lot"),
                row("Nasal devices", devices.isEmpty ? nil : devices),
                row("Start of administration (first device)", f.administrationStart.map(fmt.dateTime), dataKey: "administration-start"),
                row("Completion of monitoring", f.monitoringEnd.map(fmt.dateTime), dataKey: "monitoring-end"),
                .tr(.th("Total minutes, first device to completion"),
                    .td(.attribute(named: "data-field", value: "total-minutes"), .id("total-minutes"), .text(f.totalMinutes.map(String.init) ?? ""))),
                row("At least 120 minutes", yesNo(f.atLeastTwoHours), dataKey: "at-least-120")
            ),
            .h3("Blood pressure at the three required points"),
            .table(.class("bp"), .tr(.th("Point"), .th("BP"), .th("Time"), .th("From dose"), .th("Source")), .group(bpRows)),
            .h3("Vital signs in the acceptable range (computed against the session's limits)"),
            rangeTable("Before administration", "vitals-before-administration", f.vitalsBeforeAdministration, fmt),
            rangeTable("Before completion of monitoring", "vitals-before-completion", f.vitalsBeforeCompletion, fmt),
            .div(
                .class("suggestion"),
                .attribute(named: "data-field", value: "ready-minute"),
                .strong("Suggestion, not a clinical judgement: "),
                .text(f.readySuggestion.minute.map { "vital signs back in range and staying there from minute \($0) after the first device. " } ?? "no minute can be suggested. "),
                .text(f.readySuggestion.explanation + ". The form asks when the patient would have been ready to leave; the clinician answers.")
            ),
            .h3("Sedation, dissociation, respiratory depression (as the clinician recorded them)"),
            .table(
                .class("effects"),
                .tr(.th("Effect"), .th("Occurred"), .th("Resolved"), .th("Observations")),
                .group(f.effects.map { e in
                    .tr(.attribute(named: "data-effect", value: e.kind.rawValue),
                        .th(.text(e.kind.label)), .td(.text(yesNo(e.occurred))), .td(.text(e.resolvedAt.map(fmt.time) ?? "")),
                        .td(.text(e.observations.map { o in
                            "\(fmt.time(o.at)) \(o.status.rawValue)\(o.text.isEmpty ? "" : ": " + o.text)\(o.by.map { " (\($0))" } ?? "")"
                        }.joined(separator: "; "))))
                })
            ),
            .h3("Concomitant medications (as answered at session start)"),
            .table(.class("concomitant"), .group(f.concomitant.answers.map { a in
                .tr(.attribute(named: "data-concomitant", value: a.key), .th(.text(a.label)), .td(.text(yesNo(a.answer))))
            }))
        )
    }

    static func rangeTable(_ title: String, _ key: String, _ a: REMSForm.RangeAnswer, _ fmt: LocalTimeFormatter) -> N {
        .div(
            .class("range"),
            .attribute(named: "data-field", value: key),
            .p(.strong(.text("\(title): ")), .span(.class("answer"), .text(a.answer.map { $0 ? "Yes (computed)" : "No (computed)" } ?? "blank")),
               .text(a.note.map { " (\($0))" } ?? "")),
            .table(
                .class("checks"),
                .tr(.th("Bound"), .th("Value"), .th("Measured"), .th("Within")),
                .group(a.checks.map { c in
                    .tr(.td(.text(c.limitValue.map { "\(c.bound.text($0)) (\(c.bound.limit))" } ?? "\(c.bound.limit): not declared")),
                        .td(.text(c.value.map { "\(NumberText.format($0)) \(c.bound.metric.displayUnit)" } ?? "")),
                        .td(.text(c.at.map(fmt.time) ?? "")),
                        .td(.text(yesNo(c.holds))))
                })
            )
        )
    }

    static func trends(_ m: ReportModel, timeZone: TimeZone) -> N {
        let chart = TrendChart(model: m, timeZone: timeZone)
        return .section(
            .id("trends"),
            .h2("Trends"),
            .p(.class("note"), .text("Lines break where readings stop for more than 10 s (or three of the device's intervals) and at flagged readings; flagged readings are left out of the lines and counted under each chart. Solid line: dose; hatched: REMS BP window (\(m.summary.checkpoints.postDoseWindowMinutes.lowerBound)-\(m.summary.checkpoints.postDoseWindowMinutes.upperBound) min after the dose); dashed: earliest discharge (2 h after the first device, or the planned observation if longer); dotted: end. Alert bands: dark grey high, hatched medium, dotted low.")),
            .group(chart.panels().map { N.div(.class("panel"), $0) })
        )
    }

    static func alertsSection(_ m: ReportModel, _ fmt: LocalTimeFormatter) -> N {
        func table(_ kind: AlertKind, _ title: String) -> N {
            let list = m.summary.alerts.filter { $0.kind == kind }
            guard !list.isEmpty else { return .p(.text("\(title): none.")) }
            return .table(
                .class("alerts"),
                .caption(.text(title)),
                .tr(.th("Raised"), .th("Priority"), .th("Rule"), .th("Message"), .th("Escalated"), .th("Acknowledged"), .th("Cleared"), .th("Duration")),
                .group(list.map { a in
                    .tr(.td(.text(fmt.time(a.raisedAt))), .td(.text(a.priority.rawValue)), .td(.text(a.rule)), .td(.text(a.message)),
                        .td(.text(a.escalatedAt.map(fmt.time) ?? "")),
                        .td(.text(a.acknowledgedAt.map { fmt.time($0) + (a.acknowledgedBy.map { " by \($0)" } ?? "") + (m.acknowledgementNotes[a.id].map { ": \($0)" } ?? "") } ?? "not acknowledged")),
                        .td(.text(a.clearedAt.map(fmt.time) ?? "not cleared")),
                        .td(.text(DurationText.readable(milliseconds: (a.clearedAt ?? m.end) - a.raisedAt) + (a.clearedAt == nil ? " so far" : ""))))
                })
            )
        }
        return .section(.id("alerts"), .h2("Alerts"), table(.physiological, "Physiological alerts"), table(.technical, "Technical alerts"))
    }

    static func eventsSection(_ m: ReportModel, _ fmt: LocalTimeFormatter) -> N {
        var rows: [(Int64, String, String, String)] = m.summary.events.map { ($0.at, $0.kind.rawValue, $0.text, $0.by ?? "") }
        rows += m.observations.map { ($0.at, "observed \($0.kind.rawValue): \($0.status.rawValue)", $0.text, $0.by ?? "") }
        rows += m.deviceEvents.filter { $0.kind == .disconnected || $0.kind == .connected || $0.kind == .sensorOff || $0.kind == .sensorOn }
            .map { ($0.at, "device \($0.kind.rawValue)", "\($0.device)\($0.detail.isEmpty ? "" : ": " + $0.detail)", "") }
        rows.sort { $0.0 < $1.0 }
        return .section(
            .id("events"), .h2("Notes and session events"),
            rows.isEmpty ? .p("None.") : .table(
                .class("events"),
                .tr(.th("Time"), .th("Event"), .th("Text"), .th("By")),
                .group(rows.map { r in .tr(.td(.text(fmt.time(r.0))), .td(.text(r.1)), .td(.text(r.2)), .td(.text(r.3))) })
            )
        )
    }

    static let css = """
        body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-size:11pt;color:#000;background:#fff;margin:16px auto;max-width:1000px}
        h1{font-size:16pt;margin:0 0 6px}h2{font-size:13pt;border-bottom:1px solid #000;margin:18px 0 6px}h3{font-size:11pt;margin:12px 0 4px}
        table{border-collapse:collapse;margin:4px 0;width:100%}th,td{border:1px solid #999;padding:2px 5px;text-align:left;vertical-align:top}
        th{background:#eee;font-weight:600}table.header th,table.form th{width:34%}caption{text-align:left;font-weight:600;padding:4px 0}
        .note{font-size:9pt;color:#333}.suggestion{border:1px dashed #000;padding:4px 6px;margin:8px 0}.answer{font-weight:700}
        svg.trend{width:100%;height:auto;display:block;font-family:inherit}.panel{margin:4px 0 10px;break-inside:avoid;page-break-inside:avoid}
        footer{font-size:8pt;color:#333;margin-top:16px;border-top:1px solid #999}
        @page{margin:12mm}
        @media print{body{margin:0;max-width:none;font-size:9.5pt}h2{break-after:avoid}tr,.range,.suggestion{break-inside:avoid}th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}svg.trend{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
        """
}
