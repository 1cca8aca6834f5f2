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
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
build=${BUILD:-build}
seconds=${FUZZ_SECONDS:-5}
status=0

section() { printf '\n== %s\n' "$1"; }

# A cmocka program's results, one line per test, and its own figure lines.
run_cmocka() { # program figure-pattern
    local out
    out=$("$1" 2>&1) || status=1
    grep -E '^\[       OK \]|^\[  FAILED  \] [a-z]' <<<"$out" | awk '!seen[$NF]++' | sed 's/^/  /'
    grep -E "$2" <<<"$out"
}

section "attack scenarios (malicious apps as host processes: tests/unit/test_host_attacks.c)"
attacks=$(run_cmocka "$build/test/tests/test_host_attacks" \
    '^(attack scenarios|uart hog|crash loop|uart query flood|restart churn):')
echo "$attacks"

section "fault injection (driver x fault: tests/unit/test_fault_injection.c)"
faults=$(run_cmocka "$build/test/tests/test_fault_injection" '^fault injection:')
echo "$faults"

section "load (tests/unit/test_load.c)"
load=$(run_cmocka "$build/test/tests/test_load" '^(load|overload):')
echo "$load"

section "conservation (each path flooded: tests/unit/test_conservation.c)"
conservation=$(run_cmocka "$build/test/tests/test_conservation" '^conservation:')
echo "$conservation"

section "fuzzers, ${seconds}s each (tools/run-fuzz.sh)"
fuzz=$(tools/run-fuzz.sh "$seconds" "$@" 2>&1) || status=1
grep -E '^\[' <<<"$fuzz" | sed 's/^/  /'
executions=$(grep -oE '[0-9]+ executions' <<<"$fuzz" | awk '{s += $1} END {print s + 0}')
findings=$(grep -c 'FAILED' <<<"$fuzz")

section "summary"
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
