#!/bin/bash
# tools/run-tests.sh, as `make test` and `make unit` use it: each
# program's output opens with its place in the run ("=== [2/3] PROGRAM");
# the summary names the command that reruns each program that failed
# ("rerun: make test ONLY=PROGRAM"); ONLY runs only the programs it names,
# by path or by name, and refuses a name that is none of them. The
# programs here are three small scripts in a scratch directory; and
# `make test` passes ONLY on to the runner.
set -u
source "$(dirname "$0")/plant.bash"
build=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in first second third; do
    status=0
    [ $name = second ] && status=1
    printf '#!/bin/bash\necho "%s ran"\necho "%s passed, %s failed"\nexit %s\n' \
        $name $((1 - status)) $status $status >"$tmp/$name.sh"
done
runner="$root/tools/run-tests.sh"

out=$(cd "$root" && "$runner" "$tmp/first.sh" "$tmp/second.sh" "$tmp/third.sh" 2>&1)
result a_failing_run_fails 1 $?
grep -qxF "=== [2/3] $tmp/second.sh" <<<"$out"
result each_program_shows_its_place_in_the_run 0 $?
grep -qxF "  rerun: make test ONLY=$tmp/second.sh" <<<"$out"
result a_failure_names_the_command_that_reruns_it 0 $?
grep -q "rerun: make test ONLY=$tmp/first.sh" <<<"$out"
result a_program_that_passed_is_not_named 1 $?
[ "$fail" -eq 0 ] || echo "$out"

out=$(cd "$root" && ONLY="$tmp/third.sh" "$runner" "$tmp/first.sh" "$tmp/second.sh" "$tmp/third.sh" 2>&1)
result only_by_path_passes 0 $?
grep -q '^third ran$' <<<"$out" && ! grep -qE '^(first|second) ran$' <<<"$out"
result only_by_path_runs_that_program_alone 0 $?
grep -qxF "=== [1/1] $tmp/third.sh" <<<"$out"
result only_counts_what_it_runs 0 $?

out=$(cd "$root" && ONLY="second" "$runner" "$tmp/first.sh" "$tmp/second.sh" "$tmp/third.sh" 2>&1)
result only_by_name_fails_with_its_program 1 $?
grep -q '^second ran$' <<<"$out" && ! grep -qE '^(first|third) ran$' <<<"$out"
result only_by_name_runs_that_program_alone 0 $?

out=$(cd "$root" && ONLY="nosuch" "$runner" "$tmp/first.sh" 2>&1)
result only_naming_nothing_is_refused 2 $?
grep -qF "ONLY=nosuch names no test program" <<<"$out"
result only_naming_nothing_says_so 0 $?

out=$(cd "$root" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -n --no-print-directory \
      BUILD="$build" test ONLY=tests/check/some_test.sh 2>&1)
grep -qF 'ONLY="tests/check/some_test.sh" tools/run-tests.sh --check' <<<"$out"
result make_test_passes_only_on 0 $?
summary
