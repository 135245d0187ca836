#!/usr/bin/env bash
# `make bench`: the performance figures of issue 7, each beside its limit measured in the same
# run, written to docs/BENCHMARKS.md and bench-results.json. Release build; not part of
# `make test` or CI (it takes a few minutes and the figures depend on the machine).
#
# Every section is a command that prints {"figures": [...]} (see
# Benchmarks/Benchmarks/PipelineBenchmarks/Figure.swift for the fields) into $PARTS;
# scripts/bench-report.py merges the parts, fills the placeholders of figures nobody measured,
# and writes the table. To add a figure, add a `section` line below.
#
# Environment: SWIFT (swift), BENCH_QUICK=1 (short runs, to try the harness),
# BENCH_ONLY=decode,rules,store,replay (a subset of figures 1-4).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SWIFT=${SWIFT:-swift}
PARTS=$(mktemp -d "${TMPDIR:-/tmp}/vitals-bench.XXXXXX")
trap 'rm -rf "$PARTS"' EXIT

# section NAME COMMAND...: runs COMMAND; its stdout is the part NAME. A failing section is
# reported and left out (its figures stay placeholders); the others still run.
section() {
    local name=$1
    shift
    echo "bench: section $name" >&2
    if "$@" >"$PARTS/$name.json"; then
        return 0
    fi
    echo "bench: section $name failed; its figures are left as placeholders" >&2
    rm -f "$PARTS/$name.json"
}

echo "bench: release build of the benchmark package (Benchmarks/)" >&2
(cd Benchmarks && "$SWIFT" build -c release --product PipelineBenchmarks)
BIN="$(cd Benchmarks && "$SWIFT" build -c release --show-bin-path)/PipelineBenchmarks"

PIPELINE_ARGS=(--rules "$ROOT/Rules/ketamine.yaml")
[[ -n "${BENCH_QUICK:-}" ]] && PIPELINE_ARGS+=(--quick)
[[ -n "${BENCH_ONLY:-}" ]] && PIPELINE_ARGS+=(--only "$BENCH_ONLY")

# 1-4: decode, rules, store, replay (in process, no `vitals` binary needed).
section 10-pipeline "$BIN" "${PIPELINE_ARGS[@]}"

# 5-7 need `vitals run`. Add them here; each prints figures whose ids replace the placeholders
# in scripts/bench-report.py (5.latency.run, 5.latency.tail, 6.footprint, 7.startup), e.g.:
#   "$SWIFT" build -c release --product vitals
#   section 50-latency python3 scripts/bench-latency.py --vitals .build/release/vitals
#   section 60-footprint python3 scripts/bench-footprint.py --vitals .build/release/vitals --devices 32 --seconds 60
#   section 70-startup python3 scripts/bench-startup.py --vitals .build/release/vitals

python3 scripts/bench-report.py --parts "$PARTS" --markdown docs/BENCHMARKS.md --json bench-results.json
echo "bench: wrote docs/BENCHMARKS.md and bench-results.json" >&2
