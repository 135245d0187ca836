#!/usr/bin/env bash
# Builds one libFuzzer binary over VitalsCore + DeviceProtocols and runs it for each profile
# for a bounded time (default 60 s each; `make fuzz FUZZ_SECONDS=300`). Crashes land in fuzz-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p fuzz-out
# One module: the sources minus their cross-module imports.
for f in Sources/VitalsCore/*.swift Sources/DeviceProtocols/*.swift Sources/DeviceProtocols/*/*.swift Fuzz/FuzzEntry.swift; do
  sed -e '/^import VitalsCore$/d' -e '/^@testable import/d' "$f" > "$work/$(basename "$(dirname "$f")")_$(basename "$f")"
done
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name Fuzz "$work"/*.swift -o fuzz-out/decoder-fuzzer \
  > fuzz-out/build.log 2>&1 || { cat fuzz-out/build.log; exit 1; }
profiles=$(FUZZ_PROFILE=list fuzz-out/decoder-fuzzer -runs=0 2>/dev/null | tail -n 1)
status=0
for p in $profiles; do
  corpus="fuzz-out/corpus-$p"
  mkdir -p "$corpus"
  # Seed with the profile's fixtures' device bytes so the fuzzer starts from valid frames.
  for s in Fixtures/$p/*.script; do
    [ -e "$s" ] || continue
    # Seeds of at most 1 KiB: short inputs keep the executions a second high.
    python3 scripts/script-bytes.py "$s" | split -b 1024 -a 2 - "$corpus/seed-$(basename "$s" .script)-" || true
  done
  echo "== $p (${seconds}s)"
  if ! FUZZ_PROFILE=$p fuzz-out/decoder-fuzzer "$corpus" -max_total_time="$seconds" -max_len=1024 \
        -artifact_prefix="fuzz-out/$p-" -print_final_stats=1 2>"fuzz-out/$p.log"; then
    echo "CRASH in $p: see fuzz-out/$p.log"; status=1
  fi
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "fuzz-out/$p.log" | sed "s/^/  $p /"
done
exit $status
