#!/bin/bash
# Run test programs and print one summary at the end.
#   tools/run-tests.sh [--check] PROGRAM...
# --check runs the capability check first, as a test of its own.
# cmocka binaries report "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)";
# scripts report a closing "N passed, N failed" line. A program that exits
# non-zero without reporting a failure counts as one failure (a crash).
set -u
passed=0
failed=0
failed_programs=()

count_program() { # name output exit_code
    local name=$1 out=$2 rc=$3 p=0 f=0 line
    line=$(grep -E '\[  PASSED  \] [0-9]+ test' <<<"$out" | tail -1)
    [[ $line =~ ([0-9]+) ]] && p=${BASH_REMATCH[1]}
    line=$(grep -E '\[  FAILED  \] [0-9]+ test' <<<"$out" | tail -1)
    [[ $line =~ ([0-9]+) ]] && f=${BASH_REMATCH[1]}
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -1)
    if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}
    fi
    if [[ $rc -ne 0 && $f -eq 0 ]]; then
        f=1
    fi
    passed=$((passed + p)); failed=$((failed + f))
    if [[ $f -ne 0 ]]; then
        failed_programs+=("$name")
    fi
}

if [[ ${1:-} == --check ]]; then
    shift
    for check in capabilities layers; do
        echo "=== check: $check"
        if out=$(tools/check-$check.sh . 2>&1); then
            passed=$((passed + 1)); echo "[       OK ] ${check}_check"
        else
            failed=$((failed + 1)); failed_programs+=("check-$check"); echo "$out"
        fi
    done
fi

for prog in "$@"; do
    echo "=== $prog"
    if [[ $prog == *.sh ]]; then
        out=$(bash "$prog" 2>&1); rc=$?
    elif [[ $prog == */fuzz/* ]]; then
        if [[ -n ${FUZZ_RUNS:-} ]]; then
            out=$(tools/run-fuzz.sh --runs "$FUZZ_RUNS" "$prog" 2>&1); rc=$?
        else
            out=$(tools/run-fuzz.sh "${FUZZ_SECONDS:-10}" "$prog" 2>&1); rc=$?
        fi
    else
        out=$("$prog" 2>&1); rc=$?
    fi
    echo "$out"
    count_program "$prog" "$out" "$rc"
done

echo
echo "[==========] $((passed + failed)) test(s) run from $# program(s)."
echo "[  PASSED  ] $passed test(s)."
if [[ $failed -ne 0 ]]; then
    echo "[  FAILED  ] $failed test(s), in: ${failed_programs[*]}"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
