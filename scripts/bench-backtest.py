#!/usr/bin/env python3
"""Figure 8 of issue 18 (goal 4): `vitals rules backtest` over a clinic-year, end to end.

The room database is built once by `vitals-test-writer --clinic-sessions 2000` (2,000 sessions
of 2 h: SpO2, pulse, EtCO2, airway respiration rate at 1 Hz, NIBP every 5 min, about 58 million
readings; see Sources/vitals-test-writer/ClinicYear.swift) into --data (default
.bench-data/clinic-year.sqlite, kept out of git), and reused by later runs while its recipe
file says the same sessions. Then the release `vitals rules backtest --rules Rules/ketamine.yaml`
runs over every session: wall time from spawn to exit (reading SQLite included) and the child's
peak RSS (ru_maxrss from wait4). Prints the part {"figures": [8.backtest]} on stdout.
"""
import argparse
import json
import os
import subprocess
import time

from bench_common import check, emit, figure, log

SESSIONS = 2000
HOURS = 2


def build(writer, data, sessions, hours):
    recipe_path = data + ".json"
    recipe = {"sessions": sessions, "hours": hours, "generator": "vitals-test-writer --clinic-sessions"}
    try:
        with open(recipe_path) as fh:
            if json.load(fh).get("recipe") == recipe and os.path.exists(data):
                log(f"backtest: reusing {data}")
                return json.load(open(recipe_path))
    except (OSError, ValueError):
        pass
    os.makedirs(os.path.dirname(data) or ".", exist_ok=True)
    partial = data + ".partial"
    for p in (partial, partial + "-wal", partial + "-shm", data, data + "-wal", data + "-shm", recipe_path):
        if os.path.exists(p):
            os.remove(p)
    log(f"backtest: building {data} ({sessions} sessions of {hours} h; a few minutes, once)")
    t0 = time.monotonic()
    out = subprocess.run([writer, "--db", partial, "--room", "clinic-year", "--clinic-sessions", str(sessions),
                          "--session-hours", str(hours)], check=True, capture_output=True, text=True).stdout
    # "clinic-year N sessions R readings ..."
    words = out.split()
    readings = int(words[words.index("readings") - 1])
    os.rename(partial, data)
    info = {"recipe": recipe, "readings": readings, "bytes": os.path.getsize(data),
            "build_seconds": time.monotonic() - t0}
    with open(recipe_path, "w") as fh:
        json.dump(info, fh)
    log(f"backtest: built {readings} readings in {info['build_seconds']:.0f} s, {info['bytes'] / 2**20:.0f} MiB")
    return info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vitals", required=True, help="the release vitals binary")
    ap.add_argument("--writer", required=True, help="the release vitals-test-writer binary")
    ap.add_argument("--rules", required=True)
    ap.add_argument("--data", default=".bench-data/clinic-year.sqlite")
    ap.add_argument("--sessions", type=int, default=SESSIONS)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()

    info = build(args.writer, args.data, args.sessions, HOURS)
    walls, peaks, last = [], [], ""
    import tempfile
    for _ in range(args.runs):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t0 = time.monotonic()
            proc = subprocess.Popen([args.vitals, "rules", "backtest", "--rules", args.rules, "--db", args.data],
                                    stdout=out, stderr=err)
            # wait4 rather than wait: the child's own peak RSS (KiB on Linux).
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.monotonic() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            if proc.returncode != 0:
                raise RuntimeError(f"backtest exited {proc.returncode}: {err.read().decode()[-500:]}")
            walls.append(wall)
            peaks.append(usage.ru_maxrss)
            last = out.read().decode()
    peak_kib = max(peaks)
    wall = sorted(walls)[len(walls) // 2]
    rate = info["readings"] / wall
    total_line = next((l for l in last.splitlines() if l.startswith("total")), "").split()
    log(f"backtest: {wall:.1f} s, {rate / 1e6:.2f} M readings/s, peak RSS {peak_kib / 1024:.0f} MiB; {total_line}")
    emit([figure(
        "8.backtest", 8,
        f"Backtest a clinic-year: `vitals rules backtest` with Rules/ketamine.yaml over {args.sessions:,} sessions of 2 h "
        f"({info['readings'] / 1e6:.1f} M readings), end to end",
        wall, "s",
        [check("<= 15 s end to end (issue 18)", "s", wall, 15.0, at_most=True)],
        f"median of {len(walls)} run(s) from spawn to exit, reading SQLite included; {rate / 1e6:.2f} M readings/s; "
        f"peak RSS {peak_kib / 1024:.0f} MiB (ru_maxrss); database {info['bytes'] / 2**30:.2f} GiB built once by "
        f"vitals-test-writer --clinic-sessions in {info['build_seconds']:.0f} s; backtest alerts: "
        f"{' '.join(total_line[1:]) if total_line else '?'}; {os.cpu_count()} CPUs (one worker thread each)",
        details=[{"value": rate / 1e6, "unit": "M readings/s"}, {"value": peak_kib / 1024, "unit": "MiB peak RSS"}])])


if __name__ == "__main__":
    main()
