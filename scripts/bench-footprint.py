#!/usr/bin/env python3
"""Figure 6: the footprint of a release `vitals run` with 34 simulated devices (issue 18 goal 2).

Each device is a `vitals simulate PROFILE --scenario stable --link PATH` process (the profile's
own encoder at the device's real pace, answering host commands as the device does, so the
SunTech cuffs take the measurements the daemon asks for and the multi-parameter monitors hold
their association); the links are fixed ports in a devices file. `vitals run --format jsonl`
runs with the shipped rules. After a warm-up (every device streaming), CPU is utime and stime
from /proc/PID/stat over the measured window, as a percentage of one core of wall time;
context switches are summed over the threads (/proc/PID/task/*/status); peak RSS is VmHWM from
/proc/PID/status at the end (the whole run, start-up included).

The baseline is the same binary in the same run on the same simulators with
VITALS_BENCH_PER_PORT_READERS=1: the reader path before issue 18 (a reader thread per port,
every read handed to the daemon's queue). The two runs alternate (`--rounds`), each round
measuring both, and the medians are reported. Prints the part {"figures": [6.footprint]}.
"""
import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time

from bench_common import (Child, check, emit, figure, log, proc_cpu_seconds, proc_cpu_times, proc_status_kib,
                          proc_thread_switches, switches_between, write_devices_file)

DEFAULT_MIX = "nonin-df7:16,masimo-ascii:8,suntech-advantage:8,philips-intellivue:1,ge-s5:1"
BASELINE_ENV = "VITALS_BENCH_PER_PORT_READERS"


def measure(args, devices, tmp, sims, labels, baseline, tag):
    """One `vitals run` over the running simulators; its figures as a dict."""
    env = dict(os.environ)
    if baseline:
        env[BASELINE_ENV] = "1"
    else:
        env.pop(BASELINE_ENV, None)
    db = os.path.join(tmp, f"room-{tag}.sqlite")
    run = Child([args.vitals, "run", "--db", db, "--rules", args.rules, "--devices", devices, "--no-udev",
                 "--format", "jsonl", "--room", "bench"], env=env)
    try:
        run.wait_for_stderr("ready:", 60)
        end = time.monotonic() + args.warmup
        while time.monotonic() < end:
            run.poll_lines(0.2)
        sim_cpu0 = sum(proc_cpu_seconds(s.pid) for s in sims)
        (user0, sys0), switches0 = proc_cpu_times(run.pid), proc_thread_switches(run.pid)
        wall0 = time.monotonic()
        end = wall0 + args.seconds
        while time.monotonic() < end:
            run.poll_lines(min(0.5, max(0.0, end - time.monotonic())))
        (user1, sys1), switches1 = proc_cpu_times(run.pid), proc_thread_switches(run.pid)
        wall1 = time.monotonic()
        sim_cpu1 = sum(proc_cpu_seconds(s.pid) for s in sims)
        hwm_kib = proc_status_kib(run.pid, "VmHWM")
        rss_kib = proc_status_kib(run.pid, "VmRSS")
        threads = len(os.listdir(f"/proc/{run.pid}/task"))
        status = run.stop()
        if status != 0:
            raise RuntimeError(f"vitals run exited {status}: {run.stderr_lines[-5:]}")
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
            run.proc.wait()
    streaming = sum(1 for label in labels
                    if any(f"{label}: " in line and "-> streaming" in line for line in run.stderr_lines))
    readings = None
    try:
        with sqlite3.connect(db) as conn:
            readings = conn.execute("SELECT count(*) FROM readings").fetchone()[0]
    except sqlite3.Error as error:
        log(f"footprint: could not count the stored readings: {error}")
    wall = wall1 - wall0
    vol, invol = switches_between(switches0, switches1)
    m = {"wall": wall, "utime": user1 - user0, "stime": sys1 - sys0,
         "cpu_pct": (user1 - user0 + sys1 - sys0) / wall * 100,
         "vcs": vol / wall, "ivcs": invol / wall, "hwm_kib": hwm_kib, "rss_kib": rss_kib, "threads": threads,
         "streaming": streaming, "readings": readings, "sim_pct": (sim_cpu1 - sim_cpu0) / wall * 100}
    log(f"6.footprint {'baseline' if baseline else 'one reader'} ({tag}): {m['cpu_pct']:.2f} % of a core "
        f"(utime {m['utime']:.2f} s, stime {m['stime']:.2f} s) over {wall:.1f} s, {m['vcs']:.0f} voluntary + "
        f"{m['ivcs']:.0f} involuntary switches/s, VmHWM {hwm_kib / 1024:.1f} MiB, {threads} threads, "
        f"{streaming} of {len(labels)} devices streaming, {readings} readings stored")
    if streaming < len(labels):
        log(f"6.footprint: only {streaming} of {len(labels)} devices reached streaming; last lines: {run.stderr_lines[-5:]}")
    return m


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def summary(runs):
    return (f"{median(runs, 'cpu_pct'):.2f} % of a core (utime {median(runs, 'utime'):.2f} s + stime "
            f"{median(runs, 'stime'):.2f} s a {median(runs, 'wall'):.0f} s window), "
            f"{median(runs, 'vcs'):.0f} voluntary + {median(runs, 'ivcs'):.0f} involuntary context switches a second, "
            f"peak RSS {median(runs, 'hwm_kib') / 1024:.1f} MiB, {median(runs, 'threads'):.0f} threads")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vitals", required=True, help="the release vitals binary")
    ap.add_argument("--rules", required=True, help="the shipped rule file")
    ap.add_argument("--devices", default=DEFAULT_MIX, help="profile:count,... (default %(default)s)")
    ap.add_argument("--seconds", type=float, default=60, help="measured window of each run")
    ap.add_argument("--warmup", type=float, default=5, help="seconds after ready before measuring")
    ap.add_argument("--rounds", type=int, default=1, help="rounds of (baseline, one reader)")
    ap.add_argument("--no-baseline", action="store_true", help="measure only the current reader path")
    args = ap.parse_args()

    mix = [(p, int(n)) for p, n in (item.split(":") for item in args.devices.split(","))]
    count = sum(n for _, n in mix)
    tmp = tempfile.mkdtemp(prefix="vitals-bench-footprint.")
    sims = []
    current, baseline = [], []
    try:
        entries = []
        for profile, n in mix:
            for k in range(n):
                label = f"{profile}-{k + 1}"
                link = os.path.join(tmp, label)
                sims.append(subprocess.Popen(
                    [args.vitals, "simulate", profile, "--scenario", "stable", "--link", link],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                entries.append((link, profile, label))
        deadline = time.monotonic() + 60
        while not all(os.path.islink(link) for link, _, _ in entries):
            if time.monotonic() > deadline:
                raise RuntimeError("the simulators did not make their pty links within 60 s")
            time.sleep(0.05)
        devices = os.path.join(tmp, "devices.yaml")
        write_devices_file(devices, entries)
        labels = [label for _, _, label in entries]
        for k in range(args.rounds):
            if not args.no_baseline:
                baseline.append(measure(args, devices, tmp, sims, labels, True, f"b{k}"))
            current.append(measure(args, devices, tmp, sims, labels, False, f"c{k}"))
    finally:
        for s in sims:
            if s.poll() is None:
                s.terminate()
        for s in sims:
            try:
                s.wait(timeout=10)
            except subprocess.TimeoutExpired:
                s.kill()
                s.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    cpu_pct = median(current, "cpu_pct")
    peak_mb = median(current, "hwm_kib") * 1024 / 1e6
    mix_text = " + ".join(f"{n} {p}" for p, n in mix)
    base = None
    base_text = ""
    if baseline:
        base = {"name": "a reader thread per port, same binary and simulators, same run", "value": median(baseline, "cpu_pct"),
                "unit": "% of a core"}
        base_text = f" Baseline (VITALS_BENCH_PER_PORT_READERS=1, the reader path before issue 18): {summary(baseline)}."
    last = current[-1]
    emit([figure(
        "6.footprint", 6,
        f"Footprint: {count} simulated devices at line rate through `vitals run` (CPU % of one core, peak RSS)",
        cpu_pct, "% of a core",
        [check("<= 2% of a core", "% of a core", cpu_pct, 2.0, at_most=True),
         check("<= 50 MB", "MB peak RSS", peak_mb, 50.0, at_most=True)],
        f"{mix_text} (`vitals simulate --scenario stable`, each its own process, on pty links in a devices file), "
        f"shipped rules, --format jsonl; {args.warmup:.0f} s warm-up after ready, then {args.seconds:.0f} s measured, "
        f"median of {len(current)} run(s) alternating with the baseline on the same simulators. One reader thread: "
        f"{summary(current)}; {last['streaming']} of {count} devices streaming, {last['readings']} readings stored.{base_text} "
        f"The {count} simulators together used {median(current, 'sim_pct'):.1f} % of a core",
        baseline=base,
        details=[{"value": median(current, "utime"), "unit": "s utime"},
                 {"value": median(current, "stime"), "unit": "s stime"},
                 {"value": median(current, "vcs"), "unit": "voluntary switches/s"},
                 {"value": median(current, "ivcs"), "unit": "involuntary switches/s"}])])


if __name__ == "__main__":
    main()
