#!/bin/bash
# Run libFuzzer targets for a bounded time each, from their seed corpora.
#   tools/run-fuzz.sh SECONDS FUZZER...
# Each run starts from tests/fuzz/corpus/<name>/ (read only: new inputs go
# to a scratch directory). Prints one result line per fuzzer and a closing
# "N passed, N failed" line; a crash or finding is a failure, and its
# reproducer is kept in build/fuzz/findings/.
set -u
seconds=$1
shift
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
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$findings/" "$scratch" "$seeds" >"$log" 2>&1
    rc=$?
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    if [[ $rc -eq 0 ]]; then
        echo "[       OK ] $name: ${runs:-0} executions in ${seconds}s, 0 findings"
        pass=$((pass + 1))
    else
        echo "[  FAILED  ] $name: finding after ${runs:-?} executions (reproducer in $findings)"
        tail -30 "$log"
        fail=$((fail + 1))
    fi
    rm -rf "$scratch" "$log"
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
