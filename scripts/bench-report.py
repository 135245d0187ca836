#!/usr/bin/env python3
"""Merges the parts `scripts/bench.sh` collected into docs/BENCHMARKS.md and bench-results.json.

Each part is a JSON object {"figures": [...]}; a figure has id, section, figure, measured
{value, unit}, optional details [{value, unit}] (further measured values shown beside it),
baseline {name, value, unit} or null, checks [{goal, quantity, value, limit,
comparison, ratio, met}] and note. Figures of issue 7 that no part measured (5-7 until
`vitals run` exists) appear as placeholders. Text below NOTES_MARKER in the existing Markdown
file is kept, so hand-written analysis survives a re-run.
"""
import argparse
import datetime
import glob
import json
import os
import platform

NOTES_MARKER = "<!-- Notes below this line are kept when scripts/bench-report.py rewrites the file. -->"

# Figures measured outside PipelineBenchmarks; a part with the same id replaces the placeholder.
PLACEHOLDERS = [
    ("5.latency.run", 5, "Alert latency: last byte of the frame into a pty -> alert line on `vitals run` stdout (p50, p99, max over >= 200 alerts, hold 0)",
     "p99 <= 10 ms"),
    ("5.latency.tail", 5, "Alert latency: last byte into a pty -> alert line printed by a separate `vitals tail` (inotify)",
     "p99 <= 10 ms (issue 18)"),
    ("6.footprint", 6, "Footprint: 32 simulated devices at line rate for 60 s through `vitals run` (CPU % of one core, peak RSS)",
     "<= 2% of a core; <= 50 MB"),
    ("7.startup", 7, "Startup: `vitals run` ready (devices enumerated, database open, rules loaded)",
     "(figure only, ms)"),
    ("8.backtest", 8, "Backtest a clinic-year: `vitals rules backtest` with Rules/ketamine.yaml over 2,000 sessions of 2 h, end to end",
     "<= 15 s end to end (issue 18)"),
    ("9.forward.mllp", 9, "Forwarder into a local python-hl7 MLLP receiver", "(figure only, readings/s)"),
    ("9.forward.postgres", 9, "Forwarder into a local PostgreSQL", "(figure only, readings/s)"),
    ("9.forward.lag", 9, "Lag of a live 32-device room behind the central PostgreSQL", "(figure only, ms)"),
]


def machine():
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    ram = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_bytes": ram,
        "ram": f"{ram / 2**30:.1f} GiB" if ram else "unknown",
        "kernel": platform.release(),
    }


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def row(f):
    checks = f.get("checks") or []
    if f.get("placeholder"):
        return f"| {f['section']} | {f['figure']} | *not measured yet* | - | {f['goal']} | - | *placeholder* |"
    m = f["measured"]
    measured = [f"{fmt(m['value'])} {m['unit']}"]
    measured += [f"{fmt(d['value'])} {d['unit']}" for d in f.get("details") or []]
    measured += [f"{fmt(c['value'])} {c['quantity']}" for c in checks if c["quantity"] != m["unit"]]
    b = f.get("baseline")
    baseline = f"{fmt(b['value'])} {b['unit']} ({b['name']})" if b else "-"
    goals = "<br>".join(c["goal"] for c in checks) or f.get("goal") or "-"
    ratios = "<br>".join(f"{fmt(c['ratio'])}" for c in checks) or "-"
    met = "<br>".join("yes" if c["met"] else "**NO**" for c in checks) or "-"
    return f"| {f['section']} | {f['figure']} | {'<br>'.join(measured)} | {baseline} | {goals} | {ratios} | {met} |"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--keep", help="an earlier bench-results.json whose measured figures stand in for those not measured now")
    args = ap.parse_args()

    figures = {}
    for path in sorted(glob.glob(os.path.join(args.parts, "*.json"))):
        with open(path) as fh:
            text = fh.read().strip()
        if not text:
            continue
        for f in json.loads(text).get("figures", []):
            figures[f["id"]] = f
    if args.keep:
        with open(args.keep) as fh:
            earlier = json.load(fh)
        for f in earlier.get("figures", []):
            if f["id"] in figures or f.get("placeholder"):
                continue
            if not f.get("kept"):
                f["kept"] = earlier.get("date")
                f["note"] = f"(kept from the run of {earlier.get('date')}) " + f.get("note", "")
            figures[f["id"]] = f
    for fid, section, name, goal in PLACEHOLDERS:
        figures.setdefault(fid, {"id": fid, "section": section, "figure": name, "goal": goal,
                                 "placeholder": True, "checks": []})
    ordered = sorted(figures.values(), key=lambda f: (f["section"], f["id"]))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mach = machine()
    missed = [f for f in ordered if any(not c["met"] for c in f.get("checks", []))]

    result = {"date": now, "machine": mach, "figures": ordered}
    with open(args.json, "w") as fh:
        json.dump(result, fh, indent=2, sort_keys=True)
        fh.write("\n")

    kept = ""
    if os.path.exists(args.markdown):
        with open(args.markdown) as fh:
            old = fh.read()
        if NOTES_MARKER in old:
            kept = old.split(NOTES_MARKER, 1)[1].lstrip("\n")

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.sh, scripts/bench-report.py); the same data is in",
        "`bench-results.json`. Release build. Every ratio is against a goal of issue 7 or issue 18, and every",
        "baseline was measured in the same run, because the machine is shared and absolute times drift.",
        "Ratio: measured / goal for a minimum, goal / measured for a maximum; >= 1 means the goal is met.",
        "",
        f"- Date: {now}",
        f"- Machine: {mach['nproc']} CPUs (nproc), {mach['cpu']}, {mach['ram']} RAM, Linux {mach['kernel']}",
        f"- Goals missed: {len(missed)} of {sum(1 for f in ordered if f.get('checks'))} measured figures"
        + (" (" + ", ".join(f["id"] for f in missed) + ")" if missed else ""),
    ]
    kept_ids = [f["id"] for f in ordered if f.get("kept")]
    if kept_ids:
        lines.append(f"- Not re-measured in this run (BENCH_KEEP): {', '.join(kept_ids)}, from the run of "
                     + ", ".join(sorted({f['kept'] for f in ordered if f.get('kept')})))
    lines += [
        "",
        "| # | Figure | Measured | Baseline (same run) | Goal | Ratio | Met |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [row(f) for f in ordered]
    lines += ["", "## How each figure was measured", ""]
    lines += [f"- `{f['id']}`: {f['note']}" for f in ordered if f.get("note")]
    lines += [f"- `{f['id']}`: placeholder; measured once `vitals run` exists (add a section to scripts/bench.sh)."
              for f in ordered if f.get("placeholder")]
    lines += ["", NOTES_MARKER, ""]
    with open(args.markdown, "w") as fh:
        fh.write("\n".join(lines) + ("\n" + kept if kept else ""))


if __name__ == "__main__":
    main()
