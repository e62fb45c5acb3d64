#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build folder (see CMakeLists.txt here) on its seed
# corpus, each for a bounded time, and fails if any of them reports a crash, a leak,
# undefined behaviour or a broken invariant.
#
#   tests/fuzz/run.sh BUILD_DIR
#
# FUZZ_SECONDS  time per target (default 20)
# FUZZ_RUNS     stop each target after this many executions instead (the long run)
# FUZZ_TARGETS  which targets (default all), e.g. "fuzz_sseparser fuzz_credentials"
# FUZZ_MAX_LEN  largest input tried (default 8192)
#
# What a target finds is kept in BUILD_DIR/tests/fuzz/corpus/<target> for the next run;
# a failing input is saved in BUILD_DIR/tests/fuzz/artifacts/<target>/, and the log of
# each run in BUILD_DIR/tests/fuzz/logs/. Seeds in tests/fuzz/corpus/ are never written.
set -euo pipefail

FUZZ_SRC="$(cd "$(dirname "$0")" && pwd)"
BUILD_DIR="$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)"
OUT="$BUILD_DIR/tests/fuzz"
SECONDS_EACH="${FUZZ_SECONDS:-20}"
TARGETS=(${FUZZ_TARGETS:-fuzz_httprequestparser fuzz_httpresponseparser fuzz_chunkeddecoder
    fuzz_sseparser fuzz_requestrewriter fuzz_credentials})

dict_for() {
    case "$1" in
    fuzz_httprequestparser | fuzz_httpresponseparser | fuzz_chunkeddecoder) echo "$FUZZ_SRC/http.dict" ;;
    fuzz_sseparser) echo "$FUZZ_SRC/sse.dict" ;;
    *) echo "$FUZZ_SRC/json.dict" ;;
    esac
}

# Stop at the first report of any kind; symbolized stacks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer >/dev/null; then
    export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer)"
fi

mkdir -p "$OUT/logs"
failed=()
for t in "${TARGETS[@]}"; do
    bin="$OUT/$t"
    if [ ! -x "$bin" ]; then
        echo "FAIL $t: $bin is not built"
        failed+=("$t")
        continue
    fi
    mkdir -p "$OUT/corpus/$t" "$OUT/artifacts/$t"
    limit=(-max_total_time="$SECONDS_EACH")
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
    log="$OUT/logs/$t.log"
    start=$(date +%s)
    rc=0
    # -timeout: one input taking this long is a finding too (a hang on hostile bytes). Every
    # input takes milliseconds; the margin is for a machine busy with other work.
    "$bin" "${limit[@]}" -timeout=30 -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-8192}" \
        -dict="$(dict_for "$t")" -artifact_prefix="$OUT/artifacts/$t/" -print_final_stats=1 \
        "$OUT/corpus/$t" "$FUZZ_SRC/corpus/$t" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(find "$OUT/corpus/$t" -type f | wc -l)
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $t (exit $rc after $(($(date +%s) - start)) s); log: $log"
        grep -E "ERROR|runtime error|invariant|SUMMARY|Test unit written" "$log" | head -20 || true
        failed+=("$t")
    else
        echo "ok   $t: ${execs:-?} executions in $(($(date +%s) - start)) s, corpus $corpus"
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "Fuzzing found problems in: ${failed[*]}"
    exit 1
fi
