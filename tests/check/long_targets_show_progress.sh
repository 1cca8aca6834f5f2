#!/bin/bash
# make report (tests/attacks/report.sh) shows where it is while it runs:
# each part opens with its place ("== [1/5] ..."), and a program's test
# lines print as they come, not when it ends. The programs here are
# stand-ins in a scratch BUILD directory: the attack program prints one
# result and then waits until the test has seen that line on the
# report's output (a report that printed only at the end would never
# show it, and the wait would fail), then finishes. make bench
# (bench/run.sh) numbers its measurements the same way ("bench: [5/51]");
# its count is checked against the calls in the script.
set -u
source "$(dirname "$0")/plant.bash"
source "$root/tests/events.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tests="$tmp/build/test/tests"
mkdir -p "$tests"
go="$tmp/go"
cat >"$tests/test_host_attacks" <<STUB
#!/bin/bash
echo "[       OK ] first_scenario"
until [ -e "$go" ]; do sleep 0.05; done
echo "[       OK ] second_scenario"
echo "attack scenarios: 2 run, 2 contained"
STUB
for prog in test_fault_injection test_load; do
    printf '#!/bin/bash\necho "[       OK ] %s_case"\n' "$prog" >"$tests/$prog"
done
# as cmocka prints: a RUN line before each result
printf '#!/bin/bash\nfor t in a b; do echo "[ RUN      ] conservation_$t"; echo "[       OK ] conservation_$t"; done\n' \
    >"$tests/test_conservation"
chmod +x "$tests"/*

out="$tmp/out"
(cd "$root" && BUILD="$tmp/build" FUZZ_SECONDS=1 tests/attacks/report.sh >"$out" 2>&1; echo $? >"$tmp/rc") &
watch_pid=$!
wait_for '^== \[1/5\] [0-9]+ s: attack scenarios' &&
    wait_for '^  \[       OK \] first_scenario$'
result a_result_shows_while_its_program_still_runs 0 $?
touch "$go"
wait "$watch_pid"
grep -q '^  \[       OK \] second_scenario$' "$out"
result the_rest_follows 0 $?
[[ $(grep -cE '^== \[[1-5]/5\] [0-9]+ s: ' "$out") == 5 ]]
result each_part_shows_its_place 0 $?
grep -q '^  scenarios:  2 run, 2 contained$' "$out" &&
    grep -q '^  conservation: 2 of 2 floods balanced' "$out"
result summary_still_reads_the_figures 0 $?
[[ $(cat "$tmp/rc") == 0 ]]
result report_passes 0 $?
[[ ${#missing[@]} -eq 0 ]] || { echo "missing: ${missing[*]}"; cat "$out"; }

# bench/run.sh: STEPS is the number of measurements it runs, each of
# which calls progress once: 3 uart mux shares, measure's calls (each
# loop's values), 2 dispatch runs, 4 whole-program runs.
bench="$root/bench/run.sh"
steps=$(sed -n 's/^STEPS=\([0-9]*\)$/\1/p' "$bench")
counted=$(awk '
    /^for n in/ { split($0, w, " "); n = 0; for (i = 4; i <= length(w); i++) if (w[i] ~ /^[0-9]+;?$/) n++ }
    /^done/ { n = 0 }
    /measure [a-z0-9_]+ \$n/ { total += n }
    /measure [a-z0-9_]+ [0-9]+\)/ { total += 1 }
    /uart_mux_share \$n/ { total += n }
    END { print total }' "$bench")
# the dispatch loop (null, upcall) and whole() twice per kind
counted=$((counted + 2 + 4))
[[ -n $steps && $counted == "$steps" ]] || echo "bench: STEPS=$steps, measurements counted: $counted"
result bench_counts_its_measurements 0 "$([[ -n $steps && $counted == "$steps" ]]; echo $?)"
summary
