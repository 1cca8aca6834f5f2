#!/bin/bash
# Run test programs and print one summary at the end.
#   tools/run-tests.sh [--check] PROGRAM...
#   ONLY="PATH..." tools/run-tests.sh [--check] PROGRAM...
# --check runs the capability and layer checks first, as tests of their own.
# cmocka binaries report "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)";
# scripts report a closing "N passed, N failed" line. A program that exits
# non-zero without reporting a failure counts as one failure (a crash).
# Each program's output opens with "=== [K/N] PROGRAM"; the summary names
# the command that reruns each program that failed (make test ONLY=...).
# ONLY picks programs from the list (make test ONLY=...): each word a
# program's path (tests/qemu/lm3s6965evb_io.sh, build/test/tests/test_rr),
# its source (tests/unit/test_rr.c, tests/fuzz/fuzz_tbf.c) or its name
# (test_rr, lm3s6965evb_io.sh, lm3s6965evb_io); the checks run only if it
# names check-capabilities or check-layers.
set -u
passed=0
failed=0
failed_programs=()
checks=()
if [[ ${1:-} == --check ]]; then
    shift
    checks=(capabilities layers)
fi

# The programs ONLY names, among the ones given.
if [[ -n ${ONLY:-} ]]; then
    picked=() picked_checks=()
    for want in $ONLY; do
        found=
        name=$(basename "$want")
        name=${name%.c}
        for check in "${checks[@]}"; do
            [[ $name == "check-$check" ]] && picked_checks+=("$check") && found=1
        done
        for prog in "$@"; do
            base=$(basename "$prog")
            if [[ $prog == "$want" || $base == "$name" || ${base%.sh} == "$name" ]]; then
                picked+=("$prog"); found=1
            fi
        done
        if [[ -z $found ]]; then
            echo "run-tests: ONLY=$want names no test program; they are:" >&2
            printf '  %s\n' "${checks[@]/#/check-}" "$@" >&2
            exit 2
        fi
    done
    checks=("${picked_checks[@]}")
    set -- "${picked[@]}"
fi
total=$((${#checks[@]} + $#))
step=0

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

for check in "${checks[@]}"; do
    step=$((step + 1))
    echo "=== [$step/$total] check-$check"
    if out=$(tools/check-$check.sh . 2>&1); then
        passed=$((passed + 1)); echo "[       OK ] ${check}_check"
    else
        failed=$((failed + 1)); failed_programs+=("check-$check"); echo "$out"
    fi
done

for prog in "$@"; do
    step=$((step + 1))
    echo "=== [$step/$total] $prog"
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
echo "[==========] $((passed + failed)) test(s) run from $total program(s)."
echo "[  PASSED  ] $passed test(s)."
if [[ $failed -ne 0 ]]; then
    echo "[  FAILED  ] $failed test(s), in: ${failed_programs[*]}"
    for prog in "${failed_programs[@]}"; do
        echo "  rerun: make test ONLY=$prog"
    done
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
