#!/usr/bin/env python3
"""Figure 6 of issue 7: the footprint of a release `vitals run` with 32 simulated devices.

Each device is a `vitals simulate PROFILE --scenario stable --link PATH` process (the profile's
own encoder at the device's real pace, answering host commands as the device does, so the
SunTech cuffs take the measurements the daemon asks for); the links are fixed ports in a devices
file. `vitals run --format jsonl` runs with the shipped rules. After a warm-up (every device
streaming), CPU is utime+stime from /proc/PID/stat over the measured window, as a percentage of
one core of wall time; peak RSS is VmHWM from /proc/PID/status at the end (the whole run,
start-up included). Prints the part {"figures": [6.footprint]} on stdout.
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

from bench_common import (Child, check, emit, figure, log, proc_context_switches, proc_cpu_seconds, proc_cpu_times,
                          proc_status_kib, write_devices_file)

DEFAULT_MIX = "nonin-df7:16,masimo-ascii:8,suntech-advantage:8"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vitals", required=True, help="the release vitals binary")
    ap.add_argument("--rules", required=True, help="the shipped rule file")
    ap.add_argument("--devices", default=DEFAULT_MIX, help="profile:count,... (default %(default)s)")
    ap.add_argument("--seconds", type=float, default=60, help="measured window")
    ap.add_argument("--warmup", type=float, default=5, help="seconds after ready before measuring")
    args = ap.parse_args()

    mix = [(p, int(n)) for p, n in (item.split(":") for item in args.devices.split(","))]
    count = sum(n for _, n in mix)
    tmp = tempfile.mkdtemp(prefix="vitals-bench-footprint.")
    sims = []
    run = None
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
        db = os.path.join(tmp, "room.sqlite")

        run = Child([args.vitals, "run", "--db", db, "--rules", args.rules, "--devices", devices, "--no-udev",
                     "--format", "jsonl", "--room", "bench"])
        run.wait_for_stderr("ready:", 60)
        end = time.monotonic() + args.warmup
        while time.monotonic() < end:
            run.poll_lines(0.2)
        sim_cpu0 = sum(proc_cpu_seconds(s.pid) for s in sims)
        (user0, sys0), switches0 = proc_cpu_times(run.pid), proc_context_switches(run.pid)
        cpu0, wall0 = user0 + sys0, time.monotonic()
        end = wall0 + args.seconds
        while time.monotonic() < end:
            run.poll_lines(min(0.5, max(0.0, end - time.monotonic())))
        (user1, sys1), switches1 = proc_cpu_times(run.pid), proc_context_switches(run.pid)
        cpu1, wall1 = user1 + sys1, time.monotonic()
        sim_cpu1 = sum(proc_cpu_seconds(s.pid) for s in sims)
        hwm_kib = proc_status_kib(run.pid, "VmHWM")
        rss_kib = proc_status_kib(run.pid, "VmRSS")
        threads = len(os.listdir(f"/proc/{run.pid}/task"))
        status = run.stop()
        if status != 0:
            raise RuntimeError(f"vitals run exited {status}: {run.stderr_lines[-5:]}")
        streaming = sum(1 for line in run.stderr_lines if "-> streaming" in line)
        readings = None
        try:
            with sqlite3.connect(db) as conn:
                readings = conn.execute("SELECT count(*) FROM readings").fetchone()[0]
        except sqlite3.Error as error:
            log(f"footprint: could not count the stored readings: {error}")
    finally:
        if run is not None and run.proc.poll() is None:
            run.proc.kill()
            run.proc.wait()
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

    wall = wall1 - wall0
    cpu_pct = (cpu1 - cpu0) / wall * 100
    sim_pct = (sim_cpu1 - sim_cpu0) / wall * 100
    peak_mb = hwm_kib * 1024 / 1e6
    log(f"6.footprint: {cpu_pct:.2f} % of a core over {wall:.1f} s, VmHWM {peak_mb:.1f} MB, "
        f"{streaming} of {count} devices streaming, {readings} readings stored")
    mix_text = " + ".join(f"{n} {p}" for p, n in mix)
    emit([figure(
        "6.footprint", 6,
        "Footprint: 32 simulated devices at line rate for 60 s through `vitals run` (CPU % of one core, peak RSS)",
        cpu_pct, "% of a core",
        [check("<= 2% of a core", "% of a core", cpu_pct, 2.0, at_most=True),
         check("<= 50 MB", "MB peak RSS", peak_mb, 50.0, at_most=True)],
        f"{mix_text} (`vitals simulate --scenario stable`, each its own process, on pty links in a devices file), "
        f"shipped rules, --format jsonl; {args.warmup:.0f} s warm-up after ready, then {wall:.1f} s measured: "
        f"{cpu1 - cpu0:.2f} CPU s (utime {user1 - user0:.2f} + stime {sys1 - sys0:.2f}, /proc/PID/stat), "
        f"{(switches1 - switches0) / wall:.0f} voluntary context switches a second (all threads); peak RSS VmHWM {hwm_kib} KiB "
        f"(VmRSS {rss_kib} KiB at the end), {threads} threads; {streaming} connection transitions to streaming logged, "
        f"{readings} readings stored. The 32 simulators together used {sim_pct:.1f} % of a core on the same machine")])


if __name__ == "__main__":
    main()
