#!/usr/bin/env bash
# Messages per second `vitals forward --once` sustains into a local python-hl7 MLLP receiver
# (Tests/Peers/hl7_receiver.py --no-validate: python-hl7 parses and ACKs each message, hl7apy
# validation is skipped so that the receiver is not what is measured). One message at a time,
# each waiting for its ACK, as in production. Not run by the tests.
#   scripts/forward-throughput.sh [ROOM.sqlite]   (default: a fresh `vitals demo` database)
set -euo pipefail
cd "$(dirname "$0")/.."
vitals=.build/release/vitals
[ -x "$vitals" ] || vitals=.build/debug/vitals
work=$(mktemp -d)
trap 'kill "$receiver" 2>/dev/null || true; rm -rf "$work"' EXIT
db=${1:-}
if [ -z "$db" ]; then
  "$vitals" demo --directory "$work/demo" >/dev/null
  db="$work/demo/demo.sqlite"
fi
# The cursor goes into a copy, not the original; SQLite's backup copies the WAL's commits too.
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' "$db" "$work/room.sqlite"
python3 -u Tests/Peers/hl7_receiver.py --log "$work/received.jsonl" --no-validate > "$work/port" &
receiver=$!
for _ in $(seq 100); do grep -q PORT "$work/port" && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$work/port")
start=$(date +%s.%N)
"$vitals" forward --once --db "$work/room.sqlite" --to "mllp://127.0.0.1:$port" --log-level warning
end=$(date +%s.%N)
n=$(wc -l < "$work/received.jsonl")
python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); print(f'{n} messages in {s:.2f} s: {n / s:.0f} messages/s ($(basename "$vitals" )) from $(nproc) cores shared')" "$n" "$start" "$end"
