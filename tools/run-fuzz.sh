#!/bin/bash
# Run libFuzzer targets, each from its seed corpus.
#   tools/run-fuzz.sh SECONDS FUZZER...       for a time each (make fuzz)
#   tools/run-fuzz.sh --runs N FUZZER...      N inputs each, from seed 1
# The second is what make test runs: the same inputs on every machine,
# however fast or loaded, so its result does not depend on the machine
# (a slower one takes longer, and finds the same). FUZZ_RUNS_<name>
# (FUZZ_RUNS_fuzz_syscalls=3000) sets one fuzzer's count.
# Each run starts from tests/fuzz/corpus/<name>/ (read only: new inputs go
# to a scratch directory). Prints one result line per fuzzer and a closing
# "N passed, N failed" line; a crash or finding is a failure, and its
# reproducer is kept in build/fuzz/findings/.
set -u
runs=
if [[ $1 == --runs ]]; then
    runs=$2
    shift 2
else
    seconds=$1
    shift
fi
root=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
for bin in "$@"; do
    name=$(basename "$bin")
    seeds="$root/tests/fuzz/corpus/$name"
    scratch=$(mktemp -d)
    findings="$(dirname "$bin")/findings/$name"
    mkdir -p "$findings"
    log=$(mktemp)
    if [[ -n $runs ]]; then
        count_var=FUZZ_RUNS_$name
        bound=(-runs="${!count_var:-$runs}" -seed=1 -timeout=120)
        how="from seed 1"
    else
        bound=(-max_total_time="$seconds" -timeout=10)
        how="in ${seconds}s"
    fi
    "$bin" "${bound[@]}" -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$findings/" "$scratch" "$seeds" >"$log" 2>&1
    rc=$?
    done_runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    if [[ $rc -eq 0 ]]; then
        echo "[       OK ] $name: ${done_runs:-0} executions $how, 0 findings"
        pass=$((pass + 1))
    else
        echo "[  FAILED  ] $name: finding after ${done_runs:-?} executions (reproducer in $findings)"
        tail -30 "$log"
        fail=$((fail + 1))
    fi
    rm -rf "$scratch" "$log"
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
