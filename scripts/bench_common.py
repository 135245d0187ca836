"""Shared parts of the `vitals run` benchmarks (figures 5-7 of issue 7): the figure objects
scripts/bench-report.py merges (fields as in Benchmarks/Benchmarks/PipelineBenchmarks/Figure.swift),
a child process whose stdout and stderr are read as raw lines without buffering delays, pseudo
terminals with a symlink (a fixed port in a devices file), and Masimo ASCII 1 lines.

Standard library only: the harness must run wherever `make bench` does.
"""
import datetime
import json
import os
import select
import subprocess
import sys
import time
import tty


def check(goal, quantity, value, limit, at_most):
    """One goal of a figure: `value <= limit` when at_most, else `value >= limit`."""
    if at_most:
        ratio = (limit / value) if value > 0 else float("inf")
        met = value <= limit
    else:
        ratio = value / limit
        met = value >= limit
    return {"goal": goal, "quantity": quantity, "value": value, "limit": limit,
            "comparison": "<=" if at_most else ">=", "ratio": ratio, "met": met}


def figure(fid, section, name, value, unit, checks, note, baseline=None, details=None):
    """A figure as scripts/bench-report.py expects it; `details` are further measured values
    ({value, unit}) shown beside the main one (p50 and max beside a p99)."""
    f = {"id": fid, "section": section, "figure": name, "measured": {"value": value, "unit": unit},
         "baseline": baseline, "checks": checks, "note": note}
    if details:
        f["details"] = details
    return f


def emit(figures):
    """Prints the part: {"figures": [...]} on stdout (the only thing a section prints there)."""
    json.dump({"figures": figures}, sys.stdout, indent=2)
    sys.stdout.write("\n")


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-p * len(sorted_values) // 100)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class LineReader:
    """Splits what a pipe delivers into lines; `os.read` on the raw descriptor, so a line is
    seen the moment its newline arrives (no Python buffering between the child and us)."""

    def __init__(self, fd):
        self.fd = fd
        self.pending = b""
        self.closed = False
        os.set_blocking(fd, False)

    def read_available(self):
        """The complete lines readable now (possibly none)."""
        lines = []
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                self.closed = True
                break
            self.pending += chunk
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            lines.append(line.decode("utf-8", "replace"))
        return lines


class Child:
    """A `vitals` child with stdout and stderr read line by line; stderr lines are kept."""

    def __init__(self, argv, stdout=True, env=None):
        self.argv = argv
        self.started = time.monotonic_ns()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, env=env,
                                     stdout=subprocess.PIPE if stdout else subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, bufsize=0)
        self.out = LineReader(self.proc.stdout.fileno()) if stdout else None
        self.err = LineReader(self.proc.stderr.fileno())
        self.stderr_lines = []
        self.stdout_lines = []

    @property
    def pid(self):
        return self.proc.pid

    def poll_lines(self, timeout):
        """Waits up to `timeout` s for output; returns (stdout lines, stderr lines, time read ns)."""
        fds = [r.fd for r in (self.out, self.err) if r is not None and not r.closed]
        if not fds:
            return [], [], time.monotonic_ns()
        ready, _, _ = select.select(fds, [], [], timeout)
        now = time.monotonic_ns()
        out = self.out.read_available() if self.out is not None and self.out.fd in ready else []
        err = self.err.read_available() if self.err.fd in ready else []
        self.stdout_lines += out
        self.stderr_lines += err
        return out, err, now

    def wait_for_stderr(self, needle, timeout):
        """The monotonic time (ns) at which a stderr line containing `needle` was read."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, err, now = self.poll_lines(max(0.0, deadline - time.monotonic()))
            if any(needle in line for line in err):
                return now
            if self.proc.poll() is not None and self.err.closed:
                break
        raise RuntimeError(f"{self.argv[0]} {self.argv[1]}: no '{needle}' on stderr; last lines: {self.stderr_lines[-8:]}")

    def drain(self):
        self.poll_lines(0)

    def stop(self, sig=15, timeout=20):
        """Stops the child (SIGTERM by default) and waits for it; returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.poll_lines(0.05)
        if self.proc.poll() is None:
            self.proc.kill()
        return self.proc.wait()


class Pty:
    """A pseudo-terminal whose slave has a symlink (a fixed port for a devices file); writes go
    into the master, the device side. The slave stays open here so the master never sees EIO
    while `vitals run` reopens it."""

    def __init__(self, link):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.link = link
        os.symlink(os.ttyname(self.slave), link)
        os.set_blocking(self.master, False)

    def write_all(self, data):
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.master, view)
            except BlockingIOError:
                select.select([], [self.master], [], 1)
                continue
            view = view[n:]

    def drain(self):
        """Discards what the host wrote to the device (commands on connect)."""
        try:
            while os.read(self.master, 4096):
                pass
        except (BlockingIOError, OSError):
            pass

    def close(self):
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.unlink(self.link)
        except OSError:
            pass


class MasimoLines:
    """Masimo Radical-7 ASCII 1 lines as MasimoASCIIEncoder writes them
    (reference/protocols-spo2.md 2.3): one line a second of device time, ending CR LF."""

    def __init__(self):
        self.clock = datetime.datetime(2026, 1, 1, 9, 0, 0)

    def line(self, spo2, pulse=72):
        stamp = self.clock.strftime("%m/%d/%y %H:%M:%S")
        self.clock += datetime.timedelta(seconds=1)
        return (f"{stamp} SN=---------- SPO2={spo2:03d}% BPM={pulse:03d} PI=02.50% SPCO=--.-% SPMET=--.-% "
                f"DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000800\r\n").encode("ascii")


def write_devices_file(path, entries):
    """A devices file of fixed ports: entries are (port, profile, label)."""
    with open(path, "w") as fh:
        fh.write("devices:\n")
        for port, profile, label in entries:
            fh.write(f"  - port: {port}\n    profile: {profile}\n    label: {label}\n")


def proc_cpu_times(pid):
    """(utime, stime) of a process, in seconds (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def proc_cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    return sum(proc_cpu_times(pid))


def proc_context_switches(pid):
    """Voluntary context switches of every thread of a process (/proc/PID/task/*/status)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as fh:
                for line in fh:
                    if line.startswith("voluntary_ctxt_switches:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def proc_status_kib(pid, key):
    """A `kB` field of /proc/PID/status (VmHWM, VmRSS), in KiB."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)
