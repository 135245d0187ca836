import Foundation
import VitalsCore

extension VitalsDatabase {
    /// A session as one FHIR R4 transaction Bundle (JSON text).
    ///
    /// - Patient: identifier only (the session's patient reference, system
    ///   `urn:vitals-bridge:patient-ref`), created only if none has it (`ifNoneExist`).
    /// - Device: one per device that delivered readings, identified by the room uid and its name.
    /// - Observation: one per valid reading, R4 vital-signs profiles where one exists (SpO2
    ///   `oxygensat` 59408-5 with 2708-6, heart rate 8867-4, respiratory rate 9279-1, body
    ///   temperature 8310-5), each with the LOINC coding and the IEEE 11073-10101 (MDC) coding;
    ///   NIBP as the blood-pressure panel 85354-9 with systolic 8480-6 and diastolic 8462-4 (and
    ///   mean 8478-0) components at the cuff's own measurement time. Metrics without a LOINC
    ///   code carry only the MDC coding and no vital-signs profile. Invalid readings (sensor
    ///   off, artifact, ...) are left out: FHIR's vital-signs profiles require a value.
    /// - DetectedIssue: one per alert event, with its device (author), time and priority
    ///   (severity high/moderate/low).
    ///
    /// Every `fullUrl` is a `urn:uuid:` derived from the room uid and the row id, so exporting
    /// twice gives the same bundle.
    public func fhirBundle(session sessionID: Int64) throws(StoreError) -> String {
        let s = try session(id: sessionID)
        let readings = try readings(session: sessionID)
        let alertEvents = try alertEvents(session: sessionID)
        let room = try roomIdentity()
        let attached = try devices(session: sessionID)
        var entries: [[String: Any]] = []
        func uuid(_ kind: String, _ id: String) -> String { "urn:uuid:" + Self.stableUUID("\(room.uid)/\(kind)/\(id)") }

        let patientURL = uuid("patient", String(sessionID))
        var patient: [String: Any] = ["resourceType": "Patient"]
        var patientRequest: [String: Any] = ["method": "POST", "url": "Patient"]
        if let ref = s.plan.patientRef {
            patient["identifier"] = [["system": "urn:vitals-bridge:patient-ref", "value": ref]]
            patientRequest["ifNoneExist"] = "identifier=urn:vitals-bridge:patient-ref|\(ref)"
        }
        entries.append(["fullUrl": patientURL, "resource": patient, "request": patientRequest])

        var deviceNames = attached.map(\.name)
        for r in readings where !deviceNames.contains(r.device) { deviceNames.append(r.device) }
        var deviceURL: [String: String] = [:]
        for name in deviceNames {
            let url = uuid("device", name)
            deviceURL[name] = url
            let profile = attached.first { $0.name == name }?.profile
            var device: [String: Any] = [
                "resourceType": "Device",
                "identifier": [["system": "urn:vitals-bridge:room:\(room.uid):device", "value": name]],
                "deviceName": [["name": name, "type": "user-friendly-name"]],
            ]
            if let profile { device["modelNumber"] = profile }
            entries.append([
                "fullUrl": url, "resource": device,
                "request": ["method": "POST", "url": "Device", "ifNoneExist": "identifier=urn:vitals-bridge:room:\(room.uid):device|\(name)"],
            ])
        }

        let mdcSystem = "urn:iso:std:iso:11073:10101"
        let loincSystem = "http://loinc.org"
        func quantity(_ m: Metric, _ v: Double) -> [String: Any] {
            ["value": v, "unit": m.displayUnit, "system": "http://unitsofmeasure.org", "code": m.ucum]
        }
        func coding(_ m: Metric) -> [[String: Any]] {
            var c: [[String: Any]] = []
            if let l = m.loinc { c.append(["system": loincSystem, "code": l]) }
            if m == .spo2 { c.append(["system": loincSystem, "code": "2708-6"]) }
            c.append(["system": mdcSystem, "code": String(m.mdcCode), "display": m.mdcReference])
            return c
        }
        let category: [[String: Any]] = [[
            "coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"]],
        ]]
        func profile(_ m: Metric) -> String? {
            switch m {
            case .spo2: "http://hl7.org/fhir/StructureDefinition/oxygensat"
            case .pulse, .hr, .nibpPulse: "http://hl7.org/fhir/StructureDefinition/heartrate"
            case .resp, .awrr: "http://hl7.org/fhir/StructureDefinition/resprate"
            case .temp: "http://hl7.org/fhir/StructureDefinition/bodytemp"
            case .pi, .pleth, .etco2, .nibpSystolic, .nibpDiastolic, .nibpMean: nil
            }
        }
        func observation(id: String, code: [[String: Any]], profile: String?, time: Int64, device: String) -> [String: Any] {
            var o: [String: Any] = [
                "resourceType": "Observation", "status": "final",
                "code": ["coding": code],
                "subject": ["reference": patientURL],
                "effectiveDateTime": Timestamp.iso8601(milliseconds: time),
                "identifier": [["system": "urn:vitals-bridge:room:\(room.uid):observation", "value": id]],
            ]
            if let profile {
                o["meta"] = ["profile": [profile]]
                o["category"] = category
            }
            if let d = deviceURL[device] { o["device"] = ["reference": d] }
            return o
        }

        // NIBP readings of one measurement (same device and time) become one panel.
        struct BPKey: Hashable {
            var device: String
            var time: Int64
        }
        var panels: [BPKey: [StoredReading]] = [:]
        var panelOrder: [BPKey] = []
        for r in readings where r.flags.isPhysiologicallyValid {
            switch r.metric {
            case .nibpSystolic, .nibpDiastolic, .nibpMean:
                let k = BPKey(device: r.device, time: r.deviceTime ?? r.hostTime)
                if panels[k] == nil { panelOrder.append(k) }
                panels[k, default: []].append(r)
            case .spo2, .pulse, .pi, .pleth, .nibpPulse, .hr, .resp, .awrr, .etco2, .temp:
                var o = observation(
                    id: "reading-\(r.id)", code: coding(r.metric), profile: profile(r.metric),
                    time: r.metric.isEpisodic ? (r.deviceTime ?? r.hostTime) : r.hostTime, device: r.device)
                o["valueQuantity"] = quantity(r.metric, r.value)
                entries.append(["fullUrl": uuid("reading", String(r.id)), "resource": o, "request": ["method": "POST", "url": "Observation"]])
            }
        }
        for k in panelOrder {
            let rows = panels[k]!
            guard rows.contains(where: { $0.metric == .nibpSystolic }), rows.contains(where: { $0.metric == .nibpDiastolic }) else { continue }
            let first = rows.map(\.id).min()!
            var o = observation(
                id: "bp-\(first)",
                code: [["system": loincSystem, "code": "85354-9"], ["system": mdcSystem, "code": "150020", "display": "MDC_PRESS_BLD_NONINV"]],
                profile: "http://hl7.org/fhir/StructureDefinition/bp", time: k.time, device: k.device)
            o["component"] = rows.sorted { $0.metric < $1.metric }.map { r -> [String: Any] in
                ["code": ["coding": coding(r.metric)], "valueQuantity": quantity(r.metric, r.value)]
            }
            entries.append(["fullUrl": uuid("bp", String(first)), "resource": o, "request": ["method": "POST", "url": "Observation"]])
        }

        for e in alertEvents {
            let a = e.event
            let severity = switch a.priority {
            case .high: "high"
            case .medium: "moderate"
            case .low: "low"
            }
            var issue: [String: Any] = [
                "resourceType": "DetectedIssue", "status": "final",
                "code": [
                    "coding": [["system": mdcSystem, "code": "196616", "display": "MDC_EVT_ALARM"]],
                    "text": "\(a.event.rawValue): \(a.rule)",
                ],
                "severity": severity,
                "patient": ["reference": patientURL],
                "identifiedDateTime": Timestamp.iso8601(milliseconds: a.hostTime),
                "detail": a.message + (a.by.map { " (by \($0))" } ?? ""),
                "identifier": [["system": "urn:vitals-bridge:room:\(room.uid):alert-event", "value": String(e.id)]],
            ]
            if let d = a.device, let url = deviceURL[d] { issue["author"] = ["reference": url] }
            entries.append(["fullUrl": uuid("alert-event", String(e.id)), "resource": issue, "request": ["method": "POST", "url": "DetectedIssue"]])
        }

        let bundle: [String: Any] = [
            "resourceType": "Bundle", "type": "transaction",
            "timestamp": Timestamp.iso8601(milliseconds: s.endedAt ?? readings.last?.hostTime ?? s.startedAt),
            "entry": entries,
        ]
        do {
            let data = try JSONSerialization.data(withJSONObject: bundle, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw .invalidValue(name: "session", value: String(sessionID), reason: "cannot encode the FHIR bundle: \(error)")
        }
    }

    /// A UUID-shaped name made from `name` by two FNV-1a 64-bit hashes (version nibble 8,
    /// RFC 9562's "custom"): the same name always gives the same id.
    static func stableUUID(_ name: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var h = seed
            for b in name.utf8 {
                h ^= UInt64(b)
                h = h &* 0x100_0000_01b3
            }
            return h
        }
        var hi = fnv(0xcbf2_9ce4_8422_2325)
        var lo = fnv(0x8422_2325_cbf2_9ce4)
        hi = (hi & ~0xF000) | 0x8000  // version 8
        lo = (lo & ~(0xC000_0000_0000_0000)) | 0x8000_0000_0000_0000  // RFC variant
        let h = Self.hex16(hi)
        let l = Self.hex16(lo)
        let all = h + l
        let c = Array(all)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// 16 lowercase hex digits.
    static func hex16(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
