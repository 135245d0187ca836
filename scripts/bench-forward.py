#!/usr/bin/env python3
"""Figures 9 of issue 18 (goal 5): the forwarder, through a release `vitals forward`.

9.forward.mllp: readings a second `vitals forward --once` delivers into a local python-hl7 MLLP
  receiver (Tests/Peers/hl7_receiver.py --no-validate: it parses and ACKs each message, hl7apy
  validation is skipped so the receiver is not what is measured), one message at a time, each
  waiting for its ACK, as in production (PCD-01: one message per device per 1 s period).
9.forward.postgres: readings a second `vitals forward --once` delivers into a local PostgreSQL
  (a throwaway cluster on a free port, `vitals central init`), into an empty central database.
  Both from the same room database: 2 clinic-year sessions (vitals-test-writer
  --clinic-sessions 2: one monitor, SpO2, pulse, EtCO2, awRR at 1 Hz, NIBP every 5 min).
9.forward.lag: a live room writing a 32-device room's 128 readings a second (one commit a
  second through the real ReadingWriter, as scripts/central-bench.sh does) with `vitals forward`
  following it into PostgreSQL: for each commit, the time from the writer's report of its commit
  (its `committed` line) to the moment the central database holds those readings, polled every 20 ms through one psql
  session. p50, p99 and max over --seconds commits.
Prints the part {"figures": [...]} on stdout. Needs Debian's postgresql and PyPI hl7.
"""
import argparse
import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time

from bench_common import check, emit, figure, log, percentile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def as_pg(argv):
    return (["runuser", "-u", "postgres", "--"] + argv) if os.getuid() == 0 else argv


def count(db):
    c = sqlite3.connect(db)
    n = c.execute("SELECT count(*) FROM readings").fetchone()[0]
    c.close()
    return n


class Psql:
    """One psql session; `query` sends a statement and reads its one-line answer."""

    def __init__(self, pgbin, sock_dir, port):
        self.proc = subprocess.Popen(as_pg([f"{pgbin}/psql", "-h", sock_dir, "-p", str(port), "-U", "vitals",
                                            "-d", "central", "-XAtq"]),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def query(self, sql):
        self.proc.stdin.write(sql.rstrip(";") + ";\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vitals", required=True, help="the release vitals binary")
    ap.add_argument("--writer", required=True, help="the release vitals-test-writer binary")
    ap.add_argument("--sessions", type=int, default=2, help="clinic-year sessions in the throughput room")
    ap.add_argument("--seconds", type=int, default=60, help="commits measured for the lag")
    args = ap.parse_args()

    pgbin = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1]
    tmp = tempfile.mkdtemp(prefix="vitals-bench-forward.")
    if os.getuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
        os.chmod(tmp, 0o755)
    procs = []
    pg_started = False
    port = free_port()
    data = os.path.join(tmp, "pg")
    try:
        subprocess.run(as_pg([f"{pgbin}/initdb", "-D", data, "-U", "vitals", "--auth=trust", "-E", "UTF8"]),
                       check=True, capture_output=True)
        subprocess.run(as_pg([f"{pgbin}/pg_ctl", "-D", data, "-o",
                              f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1", "-l", f"{tmp}/pg.log", "-w", "start"]),
                       check=True, capture_output=True)
        pg_started = True
        subprocess.run(as_pg([f"{pgbin}/createdb", "-h", tmp, "-p", str(port), "-U", "vitals", "central"]),
                       check=True, capture_output=True)
        url = f"postgres://vitals@127.0.0.1:{port}/central?sslmode=disable"
        subprocess.run([args.vitals, "central", "init", "--url", url], check=True, capture_output=True)
        rooms = os.path.join(tmp, "rooms")
        os.makedirs(rooms)

        # The throughput room, and a copy for each destination (each keeps its own cursor anyway).
        room = os.path.join(rooms, "a.sqlite")
        subprocess.run([args.writer, "--db", room, "--room", "bench-forward", "--clinic-sessions", str(args.sessions)],
                       check=True, capture_output=True)
        readings = count(room)

        # MLLP into python-hl7.
        received = os.path.join(tmp, "received.jsonl")
        receiver = subprocess.Popen(["python3", "-u", os.path.join(ROOT, "Tests/Peers/hl7_receiver.py"),
                                     "--log", received, "--no-validate"], stdout=subprocess.PIPE, text=True)
        procs.append(receiver)
        mllp_port = None
        while mllp_port is None:
            line = receiver.stdout.readline()
            if not line:
                raise RuntimeError("the HL7 receiver exited before it listened")
            if line.startswith("PORT"):
                mllp_port = int(line.split()[1])
        t0 = time.monotonic()
        subprocess.run([args.vitals, "forward", "--once", "--db", room, "--to", f"mllp://127.0.0.1:{mllp_port}",
                        "--log-level", "warning"], check=True)
        mllp_s = time.monotonic() - t0
        with open(received) as fh:
            messages = sum(1 for _ in fh)
        receiver.terminate()
        receiver.wait(10)
        mllp_rate = readings / mllp_s
        log(f"forward mllp: {readings} readings, {messages} messages in {mllp_s:.2f} s = {mllp_rate:.0f} readings/s")

        # PostgreSQL.
        psql = Psql(pgbin, tmp, port)
        t0 = time.monotonic()
        subprocess.run([args.vitals, "forward", "--once", "--db", room, "--to", url, "--log-level", "warning"], check=True)
        pg_s = time.monotonic() - t0
        central = int(psql.query("SELECT count(*) FROM readings"))
        pg_rate = central / pg_s
        log(f"forward postgres: {central} readings in {pg_s:.2f} s = {pg_rate:.0f} readings/s")

        # Lag of a live 32-device room.
        live = os.path.join(rooms, "b.sqlite")
        subprocess.run([args.writer, "--db", live, "--room", "bench-lag", "--count", "128"], check=True, capture_output=True)
        forwarder = subprocess.Popen([args.vitals, "forward", "--db", live, "--to", url, "--log-level", "warning"])
        procs.append(forwarder)
        sql = ("SELECT count(*) FROM readings r JOIN rooms ON rooms.room_id = r.room_id "
               "WHERE rooms.name = 'bench-lag'")
        deadline = time.monotonic() + 30
        while int(psql.query(sql) or 0) < 128:
            if time.monotonic() > deadline:
                raise RuntimeError("the forwarder did not deliver the first commit within 30 s")
            time.sleep(0.05)
        lags = []
        total = 128
        next_commit = time.monotonic()
        for _ in range(args.seconds):
            next_commit += 1.0
            # The writer prints `committed FIRST LAST TOTAL` after each commit: the time is taken
            # when the line that completes the 128 arrives, not at the writer's exit.
            writer = subprocess.Popen([args.writer, "--db", live, "--room", "bench-lag", "--count", "128"],
                                      stdout=subprocess.PIPE, text=True, bufsize=1)
            committed = None
            for line in writer.stdout:
                if line.startswith("committed") and int(line.split()[3]) >= 128:
                    committed = time.monotonic()
                    break
            writer.stdout.read()
            if writer.wait() != 0 or committed is None:
                raise RuntimeError("the room writer failed")
            total += 128
            while int(psql.query(sql) or 0) < total:
                if time.monotonic() - committed > 30:
                    raise RuntimeError("a commit did not reach the central database within 30 s")
                time.sleep(0.02)
            lags.append((time.monotonic() - committed) * 1000)
            time.sleep(max(0.0, next_commit - time.monotonic()))
        psql.close()
        lags.sort()
        p50, p99, worst = percentile(lags, 50), percentile(lags, 99), lags[-1]
        log(f"forward lag: p50 {p50:.0f} p99 {p99:.0f} max {worst:.0f} ms over {len(lags)} commits")
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        if pg_started:
            subprocess.run(as_pg([f"{pgbin}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]), capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)

    emit([
        figure("9.forward.mllp", 9, "Forwarder into a local python-hl7 MLLP receiver (`forward --once`, PCD-01, one message at a time with its ACK)",
               mllp_rate, "readings/s", [],
               f"{readings} readings ({args.sessions} clinic-year sessions: 4 metrics at 1 Hz and NIBP) in {messages} messages, "
               f"{mllp_s:.2f} s; {messages / mllp_s:.0f} messages/s; receiver python-hl7 without hl7apy validation, same machine",
               details=[{"value": messages / mllp_s, "unit": "messages/s"}]),
        figure("9.forward.postgres", 9, "Forwarder into a local PostgreSQL (`forward --once`, empty central database)",
               pg_rate, "readings/s", [],
               f"{central} readings in {pg_s:.2f} s from the same room database; a throwaway cluster on 127.0.0.1"),
        figure("9.forward.lag", 9, "Lag of a live 32-device room (128 readings/s, one commit a second) behind the central PostgreSQL",
               p99, "ms p99", [],
               f"`vitals forward` following the room; for each of {len(lags)} commits, from the writer's `committed` line "
               f"to the central database holding its readings, polled every 20 ms; p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
               f"max {worst:.0f} ms. Includes the forwarder's 250 ms poll and its 1 s reading period",
               details=[{"value": p50, "unit": "ms p50"}, {"value": worst, "unit": "ms max"}]),
    ])


if __name__ == "__main__":
    main()
