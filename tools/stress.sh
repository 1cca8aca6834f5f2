#!/bin/bash
# The suites that run the board for real, again and again, on a machine
# kept busy: a busy loop on every core (at least two) for the whole run.
# Stops at the first failure and names it: which round, which program,
# and its output.
#   tools/stress.sh RUNS PROGRAM...
# A PROGRAM is a test script (*.sh) or a test binary, as tools/run-tests.sh
# takes them. `make stress` passes the end-to-end, attack, process and
# QEMU suites (STRESS_RUNS rounds, 20 unless set).
set -u
runs=$1
shift
cores=$(nproc 2>/dev/null || echo 2)
(( cores < 2 )) && cores=2
hogs=()
stop_hogs() {
    local pid
    for pid in "${hogs[@]}"; do
        kill "$pid" 2>/dev/null
    done
    wait "${hogs[@]}" 2>/dev/null
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM
for ((i = 0; i < cores; i++)); do
    bash -c 'while :; do :; done' &
    hogs+=($!)
done
echo "stress: $runs rounds of $# programs, $cores busy loops running"
start=$SECONDS
for ((round = 1; round <= runs; round++)); do
    for prog in "$@"; do
        if [[ $prog == *.sh ]]; then
            out=$(bash "$prog" 2>&1); rc=$?
        else
            out=$("$prog" 2>&1); rc=$?
        fi
        if [[ $rc -ne 0 ]]; then
            echo "$out"
            echo "stress: round $round of $runs: $prog FAILED (exit $rc); what failed:"
            grep -aE '^\[  FAILED  \]' <<<"$out" | sort -u
            exit 1
        fi
    done
    echo "stress: round $round of $runs passed ($((SECONDS - start)) s so far)"
done
echo "stress: $runs loaded rounds passed, $# programs each, $cores busy loops"
