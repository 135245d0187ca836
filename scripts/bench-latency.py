#!/usr/bin/env python3
"""Figure 5 of issue 7: added alert latency, end to end, through a release `vitals run`.

A simulated Masimo Radical-7 (ASCII 1, one line a frame) on a pseudo-terminal is a fixed port
of `vitals run --format jsonl`, with a rule file holding one rule whose hold is 0 (`spo2 < 90`,
no `for`, no latching, clear `spo2 >= 90` with no `clear_for`). The harness alternates lines
showing SpO2 97 and 85, so every 85 line raises the alert and every 97 line clears it. For each
raised alert it takes the monotonic time just before the `write()` that carries the line's last
byte (the whole line is one write) and the time the alert line is read from
(a) `vitals run`'s stdout pipe, (b) the stdout pipe of a separate `vitals tail --format jsonl`
on the same database, woken by inotify (issue 18), and (c) as the baseline of (b), a second tail
with VITALS_NO_INOTIFY=1, which polls `PRAGMA data_version` every 50 ms as tail did before. Pipes are read with select() and os.read() on the raw descriptors, so no
buffering of ours sits between the child's write and the time taken.

Lines are sent faster than a real Radical-7's one a second (the next line goes out 10-60 ms,
at random, after both alert lines of the previous one arrived, so tail's 50 ms poll is sampled
at every phase); device time in the lines still advances a second a line. Prints the part
{"figures": [5.latency.run, 5.latency.tail]} on stdout.
"""
import argparse
import os
import random
import select
import shutil
import tempfile
import time

from bench_common import Child, MasimoLines, Pty, check, emit, figure, log, percentile, write_devices_file

RULES = """\
# Figure 5 of issue 7: one rule whose hold is 0, so the only delay is the bridge's own.
rules:
  - id: bench-spo2-low
    title: "SpO2 {value}% below 90%"
    kind: physiological
    priority: high
    when: spo2 < 90
    clear: spo2 >= 90
"""


def stats_ms(samples_ns):
    ms = sorted(s / 1e6 for s in samples_ns)
    return {"p50": percentile(ms, 50), "p99": percentile(ms, 99), "max": ms[-1], "n": len(ms)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vitals", required=True, help="the release vitals binary")
    ap.add_argument("--alerts", type=int, default=200, help="raised alerts measured (after the warm-up)")
    ap.add_argument("--warmup", type=int, default=10, help="raise/clear cycles not measured")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="vitals-bench-latency.")
    run = tail = tailpoll = pty = None
    try:
        db = os.path.join(tmp, "room.sqlite")
        rules = os.path.join(tmp, "latency-rules.yaml")
        with open(rules, "w") as fh:
            fh.write(RULES)
        pty = Pty(os.path.join(tmp, "ox1"))
        devices = os.path.join(tmp, "devices.yaml")
        write_devices_file(devices, [(pty.link, "masimo-ascii", "ox1")])

        run = Child([args.vitals, "run", "--db", db, "--rules", rules, "--devices", devices, "--no-udev",
                     "--format", "jsonl", "--room", "bench"])
        run.wait_for_stderr("ready:", 30)
        tail = Child([args.vitals, "tail", "--db", db, "--format", "jsonl"])
        poll_env = dict(os.environ, VITALS_NO_INOTIFY="1")
        tailpoll = Child([args.vitals, "tail", "--db", db, "--format", "jsonl"], env=poll_env)
        time.sleep(1.0)  # tail opens the database and starts following
        run.drain()
        tail.drain()
        tailpoll.drain()
        children = (("run", run), ("tail", tail), ("tailpoll", tailpoll))

        lines = MasimoLines()
        raised = {"run": [], "tail": [], "tailpoll": []}
        cleared = {"run": [], "tail": [], "tailpoll": []}
        rng = random.Random(7)

        def send_and_wait(spo2, event):
            """Writes one line; returns the ns from before the write to each child's alert line."""
            data = lines.line(spo2)
            got = {}
            t0 = time.monotonic_ns()
            pty.write_all(data)
            deadline = time.monotonic() + 10
            while len(got) < len(children):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no '{event}' line for SpO2 {spo2} within 10 s (got {sorted(got)}); "
                                       f"run stderr: {run.stderr_lines[-5:]} tail stderr: {tail.stderr_lines[-5:]}")
                for name, child in children:
                    if name in got:
                        continue
                    out, _, now = child.poll_lines(0)
                    if any(f'"event":"{event}"' in line and "bench-spo2-low" in line for line in out):
                        got[name] = now - t0
                if len(got) < len(children):
                    # Wait on every pipe at once; the time is taken right after select returns.
                    fds = [c.out.fd for n, c in children if n not in got]
                    select.select(fds, [], [], 0.5)
            pty.drain()
            return got

        # The first line shows SpO2 97: nothing is active yet, nothing is printed.
        pty.write_all(lines.line(97))
        time.sleep(0.2)
        for cycle in range(args.warmup + args.alerts):
            r = send_and_wait(85, "raised")
            time.sleep(rng.uniform(0.010, 0.060))
            c = send_and_wait(97, "cleared")
            time.sleep(rng.uniform(0.010, 0.060))
            if cycle >= args.warmup:
                for name, _ in children:
                    raised[name].append(r[name])
                    cleared[name].append(c[name])
        status = run.stop()
        tail.stop()
        tailpoll.stop()
        if status != 0:
            raise RuntimeError(f"vitals run exited {status}: {run.stderr_lines[-5:]}")
    finally:
        for c in (tailpoll, tail, run):
            if c is not None and c.proc.poll() is None:
                c.proc.kill()
                c.proc.wait()
        if pty is not None:
            pty.close()
        shutil.rmtree(tmp, ignore_errors=True)

    figures = []
    for key, fid, name, goal, limit in (
        ("run", "5.latency.run",
         "Alert latency: last byte of the frame into a pty -> alert line on `vitals run` stdout (p50, p99, max over >= 200 alerts, hold 0)",
         "p99 <= 10 ms", 10.0),
        ("tail", "5.latency.tail",
         "Alert latency: last byte into a pty -> alert line printed by a separate `vitals tail` (inotify)",
         "p99 <= 10 ms (issue 18)", 10.0),
    ):
        s = stats_ms(raised[key])
        c = stats_ms(cleared[key])
        baseline = None
        if key == "tail":
            b = stats_ms(raised["tailpoll"])
            baseline = {"name": f"the same tail polling data_version every 50 ms (VITALS_NO_INOTIFY=1), "
                                f"same alerts; p50 {b['p50']:.2f} ms, max {b['max']:.2f} ms",
                        "value": b["p99"], "unit": "ms p99"}
            log(f"5.latency.tail baseline (polling): p50 {b['p50']:.2f} p99 {b['p99']:.2f} max {b['max']:.2f} ms")
        log(f"{fid}: raised p50 {s['p50']:.2f} p99 {s['p99']:.2f} max {s['max']:.2f} ms; "
            f"cleared p50 {c['p50']:.2f} p99 {c['p99']:.2f} max {c['max']:.2f} ms")
        figures.append(figure(
            fid, 5, name, s["p99"], "ms p99",
            [check(goal, "ms p99", s["p99"], limit, at_most=True)],
            f"{s['n']} raised alerts (after {args.warmup} warm-up cycles), masimo-ascii lines into a pty, "
            f"rule `spo2 < 90` with no hold; p50 {s['p50']:.2f} ms, p99 {s['p99']:.2f} ms, max {s['max']:.2f} ms. "
            f"The {c['n']} clears between them: p50 {c['p50']:.2f} ms, p99 {c['p99']:.2f} ms, max {c['max']:.2f} ms. "
            "Time from just before the write() of the line (its last byte) to the read() of the alert line "
            "from the child's stdout pipe, monotonic clock",
            baseline=baseline,
            details=[{"value": s["p50"], "unit": "ms p50"}, {"value": s["max"], "unit": "ms max"}]))
    emit(figures)


if __name__ == "__main__":
    main()
