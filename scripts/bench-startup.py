#!/usr/bin/env python3
"""Figure 7 of issue 7: how soon a release `vitals run` is ready.

Ready is the `ready:` line the daemon logs on stderr once devices are enumerated (udev, unless
--no-udev is given, and a devices file with one simulated oximeter on a pty), the database is
open and the rules are loaded. Time from just before the child is spawned (fork and exec
included) to the read() of that line from its stderr pipe, monotonic clock. The database exists
(a first run, not timed, creates it and records into it); the rules are the shipped ones. Each
timed run is stopped with SIGTERM and waited for before the next. Median of --runs runs.
Prints the part {"figures": [7.startup]} on stdout.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from bench_common import Child, MasimoLines, Pty, emit, figure, log, write_devices_file


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vitals", required=True, help="the release vitals binary")
    ap.add_argument("--rules", required=True, help="the shipped rule file")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--no-udev", action="store_true", help="attach only the devices file's port")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="vitals-bench-startup.")
    pty = None
    times = []
    try:
        pty = Pty(os.path.join(tmp, "ox1"))
        devices = os.path.join(tmp, "devices.yaml")
        write_devices_file(devices, [(pty.link, "masimo-ascii", "ox1")])
        db = os.path.join(tmp, "room.sqlite")
        argv = [args.vitals, "run", "--db", db, "--rules", args.rules, "--devices", devices,
                "--format", "jsonl", "--room", "bench"] + (["--no-udev"] if args.no_udev else [])
        lines = MasimoLines()
        for k in range(args.runs + 1):
            child = Child(argv)
            try:
                ready = child.wait_for_stderr("ready:", 30)
                if k > 0:
                    times.append((ready - child.started) / 1e6)
                # A few seconds of data the first time, so later runs open a database with a session in it.
                for _ in range(3 if k == 0 else 0):
                    pty.write_all(lines.line(97))
                    time.sleep(0.3)
                pty.drain()
                status = child.stop()
                if status != 0:
                    raise RuntimeError(f"vitals run exited {status}: {child.stderr_lines[-5:]}")
            finally:
                if child.proc.poll() is None:
                    child.proc.kill()
                    child.proc.wait()
    finally:
        if pty is not None:
            pty.close()
        shutil.rmtree(tmp, ignore_errors=True)

    # Baseline: the process alone, start to exit, with no database, rules or devices.
    bare = []
    for _ in range(args.runs):
        t0 = time.monotonic_ns()
        subprocess.run([args.vitals, "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        bare.append((time.monotonic_ns() - t0) / 1e6)
    bare_median = statistics.median(bare)

    median = statistics.median(times)
    log(f"7.startup: median {median:.1f} ms, runs {', '.join(f'{t:.1f}' for t in times)}; "
        f"`vitals --version` median {bare_median:.1f} ms")
    udev = "udev off (--no-udev)" if args.no_udev else "udev enumeration and monitor on"
    emit([figure(
        "7.startup", 7, "Startup: `vitals run` ready (devices enumerated, database open, rules loaded)",
        median, "ms (median)", [],
        f"median of {len(times)} runs (min {min(times):.1f}, max {max(times):.1f} ms) after one untimed run that "
        f"created the database; shipped rules, a devices file with one pty port, {udev}; from just before spawn "
        "to the read of the `ready:` line on stderr; baseline: the same binary's `--version`, spawn to exit, "
        f"median of {len(bare)}",
        baseline={"name": "`vitals --version`, spawn to exit, median", "value": bare_median, "unit": "ms"},
        details=[{"value": min(times), "unit": "ms min"}, {"value": max(times), "unit": "ms max"}])
        | {"goal": "(figure only, ms)"}])


if __name__ == "__main__":
    main()
