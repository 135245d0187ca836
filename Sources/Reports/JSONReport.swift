import Foundation
import Store
import VitalsCore

/// The report for an EHR interface: the REMS form's fields and the summary figures as one JSON
/// object (docs/REPORT.md documents the schema, `"schema": "vitals-report/1"`). Times are ISO 8601
/// UTC; a field the record cannot answer is `null`, never left out.
public enum JSONReport {
    /// The schema's name and version; a change that breaks a reader changes the number.
    public static let schema = "vitals-report/1"

    /// The object, pretty-printed with sorted keys.
    public static func render(_ m: ReportModel, generatedAt: Int64) -> String {
        let s = m.session
        let f = m.form
        func t(_ ms: Int64?) -> Any { ms.map { Timestamp.iso8601(milliseconds: $0) } ?? NSNull() }
        func v<T>(_ x: T?) -> Any { x.map { $0 as Any } ?? NSNull() }
        let doseChoice: Any
        let doseOther: Any
        switch f.dose {
        case .mg56: doseChoice = "56mg"; doseOther = NSNull()
        case .mg84: doseChoice = "84mg"; doseOther = NSNull()
        case let .other(text): doseChoice = "other"; doseOther = text
        case .notRecorded: doseChoice = NSNull(); doseOther = NSNull()
        }
        func range(_ a: REMSForm.RangeAnswer) -> [String: Any] {
            [
                "answer": v(a.answer), "note": v(a.note),
                "checks": a.checks.map { c in
                    [
                        "metric": c.bound.metric.name, "limit": c.bound.limit, "bound": c.bound.isLowerBound ? "min" : "max",
                        "limit_value": v(c.limitValue), "value": v(c.value), "unit": c.bound.metric.displayUnit,
                        "at": t(c.at), "within": v(c.holds),
                    ] as [String: Any]
                },
            ]
        }
        let form: [String: Any] = [
            "treatment_date": String(Timestamp.iso8601(milliseconds: f.treatmentAt).prefix(10)),
            "dose": doseChoice, "dose_other": doseOther, "dose_as_written": v(s.plan.dose), "lot": v(f.lot),
            "nasal_devices": m.doseDevices.map { ["number": $0.number, "at": t($0.at), "by": v($0.by)] as [String: Any] },
            "administration_start": t(f.administrationStart), "monitoring_end": t(f.monitoringEnd),
            "total_minutes": v(f.totalMinutes), "at_least_120_minutes": v(f.atLeastTwoHours),
            "blood_pressures": f.bloodPressures.map { bp in
                [
                    "point": bp.key, "at": t(bp.measurement?.at), "systolic": v(bp.measurement?.systolic),
                    "diastolic": v(bp.measurement?.diastolic), "minute_from_dose": v(bp.minuteFromDose),
                    "device": v(bp.measurement?.device),
                ] as [String: Any]
            },
            "vitals_in_range_before_administration": range(f.vitalsBeforeAdministration),
            "vitals_in_range_before_completion": range(f.vitalsBeforeCompletion),
            "suggested_ready_minute": ["minute": v(f.readySuggestion.minute), "explanation": f.readySuggestion.explanation, "is_suggestion": true] as [String: Any],
            "effects": f.effects.map { e in
                [
                    "effect": e.kind.rawValue, "occurred": v(e.occurred), "resolved_at": t(e.resolvedAt),
                    "observations": e.observations.map { o in
                        ["at": t(o.at), "status": o.status.rawValue, "text": o.text, "by": v(o.by)] as [String: Any]
                    },
                ] as [String: Any]
            },
            "concomitant_medications": Dictionary(uniqueKeysWithValues: f.concomitant.answers.map { ($0.key, v($0.answer)) }),
        ]
        let alerts = m.summary.alerts
        let summary: [String: Any] = [
            "metrics": m.summary.summaries.map { x in
                [
                    "metric": x.metric.name, "unit": x.metric.displayUnit, "count": x.count, "flagged_count": x.invalidCount,
                    "min": v(x.minimum), "median": v(x.median), "max": v(x.maximum),
                ] as [String: Any]
            },
            "nibp_measurements": m.nibpPoints.count,
            "alerts": [
                "physiological": alerts.filter { $0.kind == .physiological }.count,
                "technical": alerts.filter { $0.kind == .technical }.count,
                "high": alerts.filter { $0.priority == .high }.count,
                "unacknowledged": alerts.filter { $0.acknowledgedAt == nil }.count,
            ],
            "disconnects": m.deviceEvents.filter { $0.kind == .disconnected }.count,
        ]
        let root: [String: Any] = [
            "schema": schema, "generated_at": t(generatedAt),
            "session": [
                "id": s.id, "room": s.room, "patient_ref": v(s.plan.patientRef), "clinician": v(s.plan.clinician),
                "medication": v(s.plan.medication), "route": v(s.plan.route), "started_at": t(s.startedAt),
                "dose_at": t(s.doseAt), "ended_at": t(s.endedAt), "end_reason": v(s.endReason),
                "rules": m.limits.source, "limits": m.limits.values,
            ] as [String: Any],
            "rems_form": form,
            "summary": summary,
            "alerts": alerts.map { a in
                [
                    "id": a.id, "rule": a.rule, "kind": a.kind.rawValue, "priority": a.priority.rawValue,
                    "metric": v(a.metric?.name), "message": a.message, "raised_at": t(a.raisedAt),
                    "escalated_at": t(a.escalatedAt), "acknowledged_at": t(a.acknowledgedAt),
                    "acknowledged_by": v(a.acknowledgedBy), "acknowledgement_note": v(m.acknowledgementNotes[a.id]),
                    "cleared_at": t(a.clearedAt),
                ] as [String: Any]
            },
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8)
        else { return "{}\n" }
        return text + "\n"
    }
}
