#!/bin/bash
# make report: the adversarial suite and its figures.
#   tests/attacks/report.sh FUZZER...     (BUILD, FUZZ_SECONDS from make)
# Runs the attack scenarios (tests/unit/test_host_attacks.c, with the
# hostile-peer figures: client frames kept under a QUERY flood and next
# to a restart loop), the fuzzers for FUZZ_SECONDS each
# (tools/run-fuzz.sh), the fault-injection matrix
# (tests/unit/test_fault_injection.c), the load test
# (tests/unit/test_load.c) and the conservation tests
# (tests/unit/test_conservation.c: per path, sent = delivered + counted
# drops), then prints one summary. Exits non-zero when anything failed.
# Progress: each part opens with its place and the time so far
# ("== [2/5] 41 s: fault injection ..."), and its results print as they
# come, one line per test and per fuzzer.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
build=${BUILD:-build}
seconds=${FUZZ_SECONDS:-5}
status=0

part=0
section() {
    part=$((part + 1))
    printf '\n== [%d/5] %d s: %s\n' "$part" "$SECONDS" "$1"
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# A cmocka program: its test lines as each ends, then its own figure
# lines; in $ran, the lines the summary reads.
run_cmocka() { # program figure-pattern
    "$1" >"$log" 2>&1 &
    local pid=$!
    local line seen=" "
    tail -n +1 -s 0.2 -f --pid=$pid "$log" 2>/dev/null |
        while IFS= read -r line; do # each test once (a test may repeat its name)
            [[ $line =~ ^\[\ \ \ \ \ \ \ OK\ \]|^\[\ \ FAILED\ \ \]\ [a-z] ]] || continue
            [[ $seen == *" ${line##* } "* ]] && continue
            seen+="${line##* } "
            echo "  $line"
        done
    wait $pid || status=1
    grep -E "$2" "$log"
    # what the summary reads: each test's result once, and the figures
    ran=$(grep -E '^\[       OK \]|^\[  FAILED  \] [a-z]' "$log" | awk '!seen[$NF]++'
          grep -E "$2" "$log")
}

section "attack scenarios (malicious apps as host processes: tests/unit/test_host_attacks.c)"
run_cmocka "$build/test/tests/test_host_attacks" \
    '^(attack scenarios|uart hog|crash loop|uart query flood|restart churn):'
attacks=$ran

section "fault injection (driver x fault: tests/unit/test_fault_injection.c)"
run_cmocka "$build/test/tests/test_fault_injection" '^fault injection:'
faults=$ran

section "load (tests/unit/test_load.c)"
run_cmocka "$build/test/tests/test_load" '^(load|overload):'
load=$ran

section "conservation (each path flooded: tests/unit/test_conservation.c)"
run_cmocka "$build/test/tests/test_conservation" '^conservation:'
conservation=$ran

section "fuzzers, ${seconds}s each (tools/run-fuzz.sh)"
tools/run-fuzz.sh "$seconds" "$@" >"$log" 2>&1 &
pid=$!
tail -n +1 -s 0.2 -f --pid=$pid "$log" 2>/dev/null | grep --line-buffered -E '^\[' | sed -u 's/^/  /'
wait $pid || status=1
fuzz=$(cat "$log")
executions=$(grep -oE '[0-9]+ executions' <<<"$fuzz" | awk '{s += $1} END {print s + 0}')
findings=$(grep -c 'FAILED' <<<"$fuzz")

printf '\n== summary, after %d s\n' "$SECONDS"
echo "  scenarios:  $(grep -oE '[0-9]+ run, [0-9]+ contained' <<<"$attacks")"
echo "  fuzzing:    $# fuzzers, $executions executions, $findings findings"
echo "  faults:     $(grep -oE '[0-9]+ faults injected in [0-9]+ cases, [0-9]+ survived' <<<"$faults")"
echo "  load:       $(grep -oE '[0-9]+ clients, [0-9]+ operations' <<<"$load"), $(grep -oE 'worst wait.*' <<<"$load")"
echo "              $(grep -oE 'drops by reason: .*' <<<"$load")"
echo "              $(grep -oE 'leaks: .*' <<<"$load")"
echo "  overload:   $(grep -E '^overload: ' <<<"$load" | sed 's/^overload: //')"
echo "  hostile peer: $(grep -E '^uart query flood: ' <<<"$attacks" | sed 's/^uart query flood: //')"
echo "  restart churn: $(grep -E '^restart churn: ' <<<"$attacks" | sed 's/^restart churn: //')"
balanced=$(grep -cE '\[       OK \] conservation_' <<<"$conservation")
echo "  conservation: $balanced of $(grep -cE '\] conservation_' <<<"$conservation") floods balanced (sent = delivered + counted drops, per stage)"
grep -E '^conservation: ' <<<"$conservation" | sed 's/^conservation: /                /'
if [[ $status -ne 0 ]]; then
    echo "  RESULT: FAILED"
else
    echo "  RESULT: all contained, survived and held"
fi
exit $status
