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
# BENCH_ONLY=decode,rules,store,replay,latency,footprint,startup,backtest,forward (a subset of the figures),
# BENCH_KEEP=1 (figures not measured this time keep their earlier values from bench-results.json).
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

# BENCH_ONLY splits into the figures of the benchmark package and those of `vitals run`.
ONLY=",${BENCH_ONLY:-},"
wants() { [[ -z "${BENCH_ONLY:-}" || "$ONLY" == *",$1,"* ]]; }
PIPELINE_ONLY=$(tr ',' '\n' <<<"${BENCH_ONLY:-}" | grep -E '^(decode|rules|store|replay)$' | paste -sd, - || true)

# 1-4: decode, rules, store, replay (in process, no `vitals` binary needed).
if [[ -z "${BENCH_ONLY:-}" || -n "$PIPELINE_ONLY" ]]; then
    echo "bench: release build of the benchmark package (Benchmarks/)" >&2
    (cd Benchmarks && "$SWIFT" build -c release --product PipelineBenchmarks)
    BIN="$(cd Benchmarks && "$SWIFT" build -c release --show-bin-path)/PipelineBenchmarks"
    PIPELINE_ARGS=(--rules "$ROOT/Rules/ketamine.yaml")
    [[ -n "${BENCH_QUICK:-}" ]] && PIPELINE_ARGS+=(--quick)
    [[ -n "$PIPELINE_ONLY" ]] && PIPELINE_ARGS+=(--only "$PIPELINE_ONLY")
    section 10-pipeline "$BIN" "${PIPELINE_ARGS[@]}"
fi

# 5-7: a release `vitals run` as a child process, driven through ptys by Python harnesses
# (standard library only): latency, footprint, startup.
if wants latency || wants footprint || wants startup; then
    echo "bench: release build of vitals" >&2
    "$SWIFT" build -c release --product vitals
    VITALS="$("$SWIFT" build -c release --show-bin-path)/vitals"
    if [[ -n "${BENCH_QUICK:-}" ]]; then
        LATENCY_ARGS=(--alerts 20 --warmup 2); FOOTPRINT_ARGS=(--seconds 10); STARTUP_ARGS=(--runs 3)
    else
        LATENCY_ARGS=(); FOOTPRINT_ARGS=(); STARTUP_ARGS=()
    fi
    if wants latency; then
        section 50-latency python3 scripts/bench-latency.py --vitals "$VITALS" "${LATENCY_ARGS[@]}"
    fi
    if wants footprint; then
        section 60-footprint python3 scripts/bench-footprint.py --vitals "$VITALS" \
            --rules "$ROOT/Rules/ketamine.yaml" "${FOOTPRINT_ARGS[@]}"
    fi
    if wants startup; then
        section 70-startup python3 scripts/bench-startup.py --vitals "$VITALS" \
            --rules "$ROOT/Rules/ketamine.yaml" "${STARTUP_ARGS[@]}"
    fi
fi

# 8-9 (issue 18): the clinic-year backtest (its database is built once into .bench-data/, kept
# out of git) and the forwarder into python-hl7 and PostgreSQL.
if wants backtest || wants forward; then
    echo "bench: release build of vitals and vitals-test-writer" >&2
    "$SWIFT" build -c release --product vitals
    "$SWIFT" build -c release --product vitals-test-writer
    RELEASE="$("$SWIFT" build -c release --show-bin-path)"
    if wants backtest; then
        BACKTEST_ARGS=()
        [[ -n "${BENCH_QUICK:-}" ]] && BACKTEST_ARGS=(--sessions 20 --data .bench-data/clinic-quick.sqlite)
        section 80-backtest python3 scripts/bench-backtest.py --vitals "$RELEASE/vitals" \
            --writer "$RELEASE/vitals-test-writer" --rules "$ROOT/Rules/ketamine.yaml" "${BACKTEST_ARGS[@]}"
    fi
    if wants forward; then
        FORWARD_ARGS=()
        [[ -n "${BENCH_QUICK:-}" ]] && FORWARD_ARGS=(--seconds 10)
        section 90-forward python3 scripts/bench-forward.py --vitals "$RELEASE/vitals" \
            --writer "$RELEASE/vitals-test-writer" "${FORWARD_ARGS[@]}"
    fi
fi

# BENCH_KEEP=1: figures this run did not measure keep their values from the existing
# bench-results.json (marked as kept, with their date) instead of becoming placeholders.
REPORT_ARGS=()
if [[ -n "${BENCH_KEEP:-}" && -f bench-results.json ]]; then
    REPORT_ARGS+=(--keep bench-results.json)
fi

python3 scripts/bench-report.py --parts "$PARTS" --markdown docs/BENCHMARKS.md --json bench-results.json "${REPORT_ARGS[@]}"
echo "bench: wrote docs/BENCHMARKS.md and bench-results.json" >&2
