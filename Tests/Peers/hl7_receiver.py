#!/usr/bin/env python3
"""An HL7 v2 MLLP receiver for the forwarder's tests, built on python-hl7's MLLP server
(hl7.mllp.start_hl7_server). It acknowledges every message and validates it with hl7apy
(HL7 v2.6 message structure) and with the IHE PCD-01 / PCD-04 rules below, which use their own
code table (written from the IEEE 11073-10101 nomenclature and public PCD samples, not from the
bridge's Swift code).

Each received message becomes one JSON line in --log: control id, message type, the rules it
broke ("errors"), and the facts the tests check (metrics, alert phase, ...). Test knobs:
--answer CODE:N (the first N messages get CODE instead of AA), --reject CONTROL_SUBSTRING
(always AR for messages whose control id ends so), --silent (never answer), --die-after N (exit without
answering the Nth message: a receiver killed mid-stream).
"""
import argparse
import asyncio
import json
import os
import re
import sys

import hl7
import hl7.mllp
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

# IEEE 11073-10101 codes and reference ids the receiver accepts (code -> name).
METRICS = {
    150456: "MDC_PULS_OXIM_SAT_O2",
    149530: "MDC_PULS_OXIM_PULS_RATE",
    150448: "MDC_PULS_OXIM_PERF_REL",
    150452: "MDC_PULS_OXIM_PLETH",
    # Both NIBP families occur in real feeds.
    150021: "MDC_PRESS_BLD_NONINV_SYS",
    150022: "MDC_PRESS_BLD_NONINV_DIA",
    150023: "MDC_PRESS_BLD_NONINV_MEAN",
    150301: "MDC_PRESS_CUFF_SYS",
    150302: "MDC_PRESS_CUFF_DIA",
    150303: "MDC_PRESS_CUFF_MEAN",
    149546: "MDC_PULS_RATE_NON_INV",
    147842: "MDC_ECG_HEART_RATE",
    151562: "MDC_RESP_RATE",
    151570: "MDC_AWAY_RESP_RATE",
    151708: "MDC_AWAY_CO2_ET",
    150344: "MDC_TEMP",
}
NIBP = {150021, 150022, 150023, 150301, 150302, 150303, 149546}
UNITS = {
    262688: "MDC_DIM_PERCENT",
    264864: "MDC_DIM_BEAT_PER_MIN",
    264928: "MDC_DIM_RESP_PER_MIN",
    266016: "MDC_DIM_MMHG",
    268192: "MDC_DIM_DEGC",
    262656: "MDC_DIM_DIMLESS",
}
UNIT_OF = {
    150456: 262688, 150448: 262688, 149530: 264864, 149546: 264864, 147842: 264864,
    150021: 266016, 150022: 266016, 150023: 266016, 150301: 266016, 150302: 266016, 150303: 266016,
    151562: 264928, 151570: 264928, 151708: 266016, 150344: 268192, 150452: 262656,
}
DEVICES = {
    69965: "MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS",
    69642: "MDC_DEV_ANALY_SAT_O2_VMD", 69643: "MDC_DEV_ANALY_SAT_O2_CHAN",
    70686: "MDC_DEV_PRESS_BLD_NONINV_VMD", 70687: "MDC_DEV_PRESS_BLD_NONINV_CHAN",
    69798: "MDC_DEV_ECG_VMD", 69799: "MDC_DEV_ECG_CHAN",
    70682: "MDC_DEV_CO2_VMD", 70683: "MDC_DEV_CO2_CHAN",
    69902: "MDC_DEV_METER_TEMP_VMD", 69903: "MDC_DEV_METER_TEMP_CHAN",
}
FACETS = {
    1: (196616, "MDC_EVT_ALARM"),
    3: (68481, "MDC_ATTR_EVENT_PHASE"),
    4: (68482, "MDC_ATTR_ALARM_STATE"),
    5: (68483, "MDC_ATTR_ALARM_INACTIVATION_STATE"),
    6: (68484, "MDC_ATTR_ALARM_PRIORITY"),
    7: (68485, "MDC_ATTR_ALERT_TYPE"),
    8: (68546, "MDC_ATTR_ALERT_TEXT"),
}
DTM = re.compile(r"^\d{14}(\.\d{1,4})?([+-]\d{4})?$")


def field(seg, n):
    """Field n of a python-hl7 segment as text ('' when absent)."""
    try:
        return str(seg[n])
    except (IndexError, KeyError):
        return ""


def cwe(text):
    parts = text.split("^")
    return parts + [""] * (3 - len(parts))


def check_coded(errors, where, text, table):
    code, name, system = cwe(text)[:3]
    if system != "MDC":
        errors.append(f"{where}: coding system {system!r} is not MDC")
        return None
    try:
        c = int(code)
    except ValueError:
        errors.append(f"{where}: code {code!r} is not a number")
        return None
    if table.get(c) != name:
        errors.append(f"{where}: code {c} does not match name {name!r} (expected {table.get(c)!r})")
    return c


def validate_structure(text, errors):
    try:
        msg = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
        msg.validate()
    except Exception as e:  # hl7apy raises several exception types
        errors.append(f"hl7apy 2.6: {type(e).__name__}: {e}")


def check_msh(msg, errors, trigger, structure, profile):
    msh = msg.segment("MSH")
    if field(msh, 9) != f"ORU^{trigger}^{structure}":
        errors.append(f"MSH-9 is {field(msh, 9)!r}")
    if field(msh, 12) != "2.6":
        errors.append(f"MSH-12 is {field(msh, 12)!r}")
    if field(msh, 15) != "NE" or field(msh, 16) != "AL":
        errors.append(f"MSH-15/16 are {field(msh, 15)!r}/{field(msh, 16)!r}")
    if field(msh, 18) != "UNICODE UTF-8":
        errors.append(f"MSH-18 is {field(msh, 18)!r}")
    if not field(msh, 21).startswith(profile + "^IHE PCD^"):
        errors.append(f"MSH-21 is {field(msh, 21)!r}")
    app = field(msh, 3).split("^")
    if len(app) < 3 or app[2] != "EUI-64" or not re.fullmatch(r"[0-9A-F]{16}", app[1]):
        errors.append(f"MSH-3 {field(msh, 3)!r} is not NAME^EUI64^EUI-64")
    if not field(msh, 10):
        errors.append("MSH-10 is empty")
    if not DTM.match(field(msh, 7)):
        errors.append(f"MSH-7 {field(msh, 7)!r} is not a DTM")


def check_pcd01(msg, errors, facts):
    check_msh(msg, errors, "R01", "ORU_R01", "PCD_DEC_001")
    obr = msg.segment("OBR")
    if field(obr, 4) != "182777000^monitoring of patient^SCT":
        errors.append(f"OBR-4 is {field(obr, 4)!r}")
    msh7 = field(msg.segment("MSH"), 7)
    seen = set()
    metrics = []
    obxs = msg.segments("OBX")
    for i, obx in enumerate(obxs):
        where = f"OBX {field(obx, 1)}"
        sub = field(obx, 4)
        if not re.fullmatch(r"\d+\.\d+\.\d+\.\d+", sub):
            errors.append(f"{where}: OBX-4 {sub!r} is not MDS.VMD.CHAN.METRIC")
            continue
        mds, vmd, chan, metric = (int(x) for x in sub.split("."))
        if i == 0 and sub != "1.0.0.0":
            errors.append(f"{where}: the first OBX is not the MDS")
        if metric == 0:  # a containment row
            check_coded(errors, where, field(obx, 3), DEVICES)
            if field(obx, 11) != "X":
                errors.append(f"{where}: a containment OBX has status {field(obx, 11)!r}")
            seen.add(sub)
            continue
        for parent in (f"{mds}.0.0.0", f"{mds}.{vmd}.0.0", f"{mds}.{vmd}.{chan}.0"):
            if parent not in seen:
                errors.append(f"{where}: {sub} comes before its container {parent}")
        code = check_coded(errors, where, field(obx, 3), METRICS)
        unit = check_coded(errors, f"{where} OBX-6", field(obx, 6), UNITS)
        if code is not None and unit is not None and UNIT_OF.get(code) != unit:
            errors.append(f"{where}: unit {unit} is wrong for {code}")
        status = field(obx, 11)
        value = field(obx, 5)
        if status not in ("R", "F", "X"):
            errors.append(f"{where}: OBX-11 {status!r}")
        if status == "X" and value:
            errors.append(f"{where}: invalid (X) but has a value")
        if status in ("R", "F"):
            try:
                float(value)
            except ValueError:
                errors.append(f"{where}: value {value!r} is not numeric")
        when = field(obx, 14)
        if not DTM.match(when):
            errors.append(f"{where}: OBX-14 {when!r} is not a DTM")
        elif code in NIBP and when[:14] > msh7[:14]:
            errors.append(f"{where}: NIBP measured {when} after the message time {msh7}")
        if not field(obx, 18).endswith("^EUI-64"):
            errors.append(f"{where}: OBX-18 {field(obx, 18)!r}")
        metrics.append({"code": code, "value": value, "status": status, "time": when, "sub": sub})
    facts["metrics"] = metrics
    facts["device"] = field(obxs[0], 18).split("^")[0] if obxs else ""


def check_pcd04(msg, errors, facts):
    check_msh(msg, errors, "R40", "ORU_R01", "IHE_PCD_ACM_001")
    obr = msg.segment("OBR")
    if field(obr, 4) != "196616^MDC_EVT_ALARM^MDC":
        errors.append(f"OBR-4 is {field(obr, 4)!r}")
    facts["alert"] = field(obr, 3).split("^")[0]
    by_facet = {}
    for obx in msg.segments("OBX")[1:]:
        sub = field(obx, 4)
        facet = int(sub.rsplit(".", 1)[1])
        by_facet[facet] = obx
    for facet, (code, name) in FACETS.items():
        obx = by_facet.get(facet)
        if obx is None:
            errors.append(f"facet .{facet} is missing")
            continue
        if cwe(field(obx, 3))[:3] != [str(code), name, "MDC"]:
            errors.append(f"facet .{facet}: OBX-3 {field(obx, 3)!r}, expected {code}^{name}^MDC")
    if 2 not in by_facet:
        errors.append("facet .2 (source) is missing")
    elif field(by_facet[2], 2) == "NM":
        check_coded(errors, "facet .2", field(by_facet[2], 3), METRICS)
        check_coded(errors, "facet .2 unit", field(by_facet[2], 6), UNITS)
    value = lambda f: field(by_facet[f], 5) if f in by_facet else ""
    phase, state, inact, prio, kind = value(3), value(4), value(5), value(6), value(7)
    if phase not in ("start", "continue", "end"):
        errors.append(f"phase {phase!r}")
    if state not in ("off", "inactive", "active", "latched"):
        errors.append(f"alarm state {state!r}")
    if inact not in ("enabled", "audio-paused", "audio-off", "alarm-paused", "alarm-off", "alert-acknowledged"):
        errors.append(f"inactivation state {inact!r}")
    if prio not in ("PH", "PM", "PL", "PI", "PN"):
        errors.append(f"priority {prio!r}")
    if kind not in ("SP", "ST", "SA"):
        errors.append(f"alert type {kind!r}")
    if 1 in by_facet and field(by_facet[1], 8).split("~")[1:3] != [prio, kind]:
        errors.append(f"facet .1 OBX-8 {field(by_facet[1], 8)!r} disagrees with priority/type {prio}/{kind}")
    facts.update(phase=phase, state=state, inactivation=inact, priority=prio, alert_type=kind, text=value(8))


class Receiver:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.answer_code, self.answer_left = None, 0
        if args.answer:
            code, n = args.answer.split(":")
            self.answer_code, self.answer_left = code, int(n)
        self.log = open(args.log, "a", encoding="utf-8")

    def record(self, text):
        errors, facts = [], {}
        msg = hl7.parse(text)
        if self.args.no_validate:
            facts = {"control": field(msg.segment("MSH"), 10), "type": field(msg.segment("MSH"), 9), "errors": []}
            self.log.write(json.dumps(facts) + "\n")
            return msg, facts
        msh = msg.segment("MSH")
        kind = field(msh, 9)
        facts["control"] = field(msh, 10)
        facts["type"] = kind
        facts["time"] = field(msh, 7)
        facts["patient"] = field(msg.segment("PID"), 3).split("^")[0] if any(s[0][0] == "PID" for s in msg) else ""
        validate_structure(text, errors)
        if kind.startswith("ORU^R01"):
            check_pcd01(msg, errors, facts)
        elif kind.startswith("ORU^R40"):
            check_pcd04(msg, errors, facts)
        else:
            errors.append(f"unexpected message type {kind!r}")
        facts["errors"] = errors
        self.log.write(json.dumps(facts) + "\n")
        self.log.flush()
        return msg, facts

    async def serve(self, reader, writer):
        """reader/writer are python-hl7's HL7StreamReader/HL7StreamWriter (MLLP framing)."""
        try:
            while not reader.at_eof():
                incoming = await reader.readmessage()
                text = str(incoming)
                self.count += 1
                msg, facts = self.record(text)
                if self.args.raw:
                    with open(self.args.raw, "a", encoding="utf-8") as raw:
                        raw.write(text.replace("\r", "\n").rstrip("\n") + "\n\n")
                if self.args.die_after and self.count >= self.args.die_after:
                    os._exit(0)
                if self.args.silent:
                    continue
                if self.args.delay:
                    await asyncio.sleep(self.args.delay)
                code = "AA"
                if self.answer_left > 0:
                    code, self.answer_left = self.answer_code, self.answer_left - 1
                if self.args.reject and facts["control"].endswith(self.args.reject):
                    code = "AR"
                ack = str(msg.create_ack(ack_code=code, message_id="ACK" + facts["control"][-20:]))
                if code != "AA":
                    ack = ack.replace(f"MSA|{code}|{facts['control']}", f"MSA|{code}|{facts['control']}|refused by the test receiver")
                writer.writemessage(hl7.parse(ack))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError):
            pass
        finally:
            writer.close()


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log", required=True)
    p.add_argument("--tls-cert", help="serve MLLP over TLS with this certificate (PEM) ...")
    p.add_argument("--tls-key", help="... and this key (PEM)")
    p.add_argument("--check", help="validate the message in this file (segments on lines), log it, and exit")
    p.add_argument("--answer")
    p.add_argument("--reject")
    p.add_argument("--silent", action="store_true")
    p.add_argument("--delay", type=float, default=0)
    p.add_argument("--no-validate", action="store_true", help="only log control ids (throughput measurements)")
    p.add_argument("--raw", help="also append each message as received (segments on lines) to this file")
    p.add_argument("--die-after", type=int, default=0)
    args = p.parse_args()
    receiver = Receiver(args)
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            receiver.record(f.read().strip("\n").replace("\n", "\r"))
        return

    tls = None
    if args.tls_cert:
        import ssl
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    server = await hl7.mllp.start_hl7_server(receiver.serve, host="127.0.0.1", port=args.port, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
