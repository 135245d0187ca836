#!/usr/bin/env python3
"""Validates a FHIR R4 transaction Bundle file with fhir.resources 5.x (FHIR 4.0.1, strict:
types, cardinalities, unknown elements) plus the vital-signs rules the bridge promises:
LOINC and MDC codings, UCUM quantities, the BP panel 85354-9 with systolic 8480-6 and
diastolic 8462-4 components, references that resolve inside the bundle, alert events with
their device and time. Prints one JSON object: {"errors": [...], "counts": {...}}.
"""
import json
import sys

from fhir.resources.bundle import Bundle

LOINC = "http://loinc.org"
MDC = "urn:iso:std:iso:11073:10101"
UCUM = "http://unitsofmeasure.org"


def codes(concept, system):
    return [c.get("code") for c in concept.get("coding", []) if c.get("system") == system]


def main(path):
    errors = []
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    try:
        Bundle(data, strict=True)
    except Exception as e:
        errors.append(f"fhir.resources R4: {e}")
    if data.get("type") != "transaction":
        errors.append("not a transaction bundle")
    entries = data.get("entry", [])
    urls = {e.get("fullUrl") for e in entries}
    counts = {}
    loincs = []
    for i, e in enumerate(entries):
        r = e.get("resource", {})
        kind = r.get("resourceType")
        counts[kind] = counts.get(kind, 0) + 1
        where = f"entry {i} ({kind})"
        req = e.get("request", {})
        if req.get("method") not in ("POST", "PUT") or not req.get("url"):
            errors.append(f"{where}: no transaction request")

        def ref(obj, name):
            target = (obj.get(name) or {}).get("reference")
            if target is None:
                return False
            if target not in urls:
                errors.append(f"{where}: {name} {target} does not resolve in the bundle")
            return True

        if kind == "Observation":
            if not ref(r, "subject"):
                errors.append(f"{where}: no subject")
            ref(r, "device")
            if "effectiveDateTime" not in r:
                errors.append(f"{where}: no effectiveDateTime")
            vital = any(codes(c, "http://terminology.hl7.org/CodeSystem/observation-category") == ["vital-signs"]
                        for c in r.get("category", []))
            loinc = codes(r["code"], LOINC)
            if not codes(r["code"], MDC):
                errors.append(f"{where}: no MDC coding")
            if vital and not loinc:
                errors.append(f"{where}: a vital sign without LOINC")
            loincs.extend(loinc)
            if "85354-9" in loinc:
                comps = {c for comp in r.get("component", []) for c in codes(comp["code"], LOINC)}
                if not {"8480-6", "8462-4"} <= comps:
                    errors.append(f"{where}: BP panel without systolic and diastolic components: {comps}")
                for comp in r.get("component", []):
                    q = comp.get("valueQuantity", {})
                    if q.get("system") != UCUM or q.get("code") != "mm[Hg]":
                        errors.append(f"{where}: BP component quantity {q}")
            else:
                q = r.get("valueQuantity")
                if q is None:
                    errors.append(f"{where}: no value")
                elif q.get("system") != UCUM or not q.get("code"):
                    errors.append(f"{where}: quantity not in UCUM: {q}")
        elif kind == "DetectedIssue":
            if not ref(r, "author"):
                errors.append(f"{where}: no device (author)")
            ref(r, "patient")
            if "identifiedDateTime" not in r:
                errors.append(f"{where}: no time")
    print(json.dumps({"errors": errors, "counts": counts, "loinc": sorted(set(loincs))}))


if __name__ == "__main__":
    main(sys.argv[1])
