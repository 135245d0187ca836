#!/usr/bin/env bash
# Forwarder into a local PostgreSQL: throughput and catch-up after an outage (docs/CENTRAL.md).
#
#   scripts/central-bench.sh [READINGS] [OUTAGE_SECONDS]
#
# 1. Throughput: READINGS (default 200000) synthetic readings in a room database, then
#    `vitals forward --once --to postgres://…` times the whole backlog into an empty central database.
# 2. Catch-up: a live room writing 128 readings a second (about a 32-device room at 4 values a second),
#    `vitals forward` following it; the server is stopped for OUTAGE_SECONDS (default 30) and started
#    again; the script reports how long after the restart the central copy equals the room again.
# Starts a throwaway cluster on a free port in a temporary directory (as user postgres when run as
# root) and removes it afterwards. Needs a built `vitals` (swift build) and Debian's postgresql.
set -euo pipefail
READINGS=${1:-200000}
OUTAGE=${2:-30}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VITALS=${VITALS:-$ROOT/.build/debug/vitals}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=$(mktemp -d /tmp/vitals-central-bench-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DIR"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$DIR/data" -U vitals --auth=trust -E UTF8 >/dev/null
pg_start() { as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" -l "$DIR/log" -w start >/dev/null; }
pg_start
as_pg "$PGBIN/createdb" -h "$DIR" -p "$PORT" -U vitals central
URL="postgres://vitals@127.0.0.1:$PORT/central?sslmode=disable"
psql_n() { as_pg "$PGBIN/../bin/psql" -h "$DIR" -p "$PORT" -U vitals -d central -XAtq -c "$1"; }
"$VITALS" central init --url "$URL" >/dev/null
ROOMS=$(mktemp -d /tmp/vitals-central-rooms-XXXXXX)
trap 'cleanup; rm -rf "$ROOMS"' EXIT

# 1. Throughput.
"$(dirname "$VITALS")/vitals-test-writer" --db "$ROOMS/a.db" --room bench-a --count "$READINGS" >/dev/null
start=$(date +%s.%N)
"$VITALS" forward --db "$ROOMS/a.db" --to "$URL" --once >/dev/null
end=$(date +%s.%N)
n=$(psql_n "SELECT count(*) FROM readings")
python3 - "$n" "$start" "$end" <<'PY'
import sys
n, a, b = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"throughput: {n} readings in {b-a:.2f} s = {n/(b-a):.0f} readings/s (forward --once, empty central database)")
PY

# 2. Catch-up after an outage, with a live room.
(while true; do "$(dirname "$VITALS")/vitals-test-writer" --db "$ROOMS/b.db" --room bench-b --count 128 >/dev/null; sleep 1; done) &
pids+=($!)
"$VITALS" forward --db "$ROOMS/b.db" --to "$URL" >"$ROOMS/forward.log" 2>&1 &
pids+=($!)
sleep 5
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
sleep "$OUTAGE"
pg_start
restart=$(date +%s.%N)
room_uid=""
while true; do
  room_n=$(sqlite3 "$ROOMS/b.db" "SELECT count(*) FROM readings WHERE t <= CAST(strftime('%s','now') AS INTEGER) * 1000 - 1000" 2>/dev/null || echo 0)
  central_n=$(psql_n "SELECT count(*) FROM readings r JOIN rooms ON rooms.room_id = r.room_id WHERE rooms.name = 'bench-b'" 2>/dev/null || echo 0)
  if [ -n "$central_n" ] && [ "$central_n" -ge "$room_n" ] && [ "$room_n" -gt 0 ]; then break; fi
  sleep 0.2
done
done_at=$(date +%s.%N)
lag=$(psql_n "SELECT lag_rows || ' rows, ' || round(lag_seconds::numeric, 1) || ' s' FROM forwarder_heartbeats h JOIN rooms r USING (room_id) WHERE r.name = 'bench-b'")
python3 - "$restart" "$done_at" "$OUTAGE" <<'PY'
import sys
a, b, o = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
print(f"catch-up: {b-a:.1f} s after the server came back from a {o} s outage (room writing 128 readings/s)")
PY
echo "heartbeat after catch-up: lag $lag"
