#!/bin/bash
# The host board's UART on a TCP socket and on a PTY: vmuxterm attaches
# to a board that is running already (whose first announcements went to
# nobody, unless vmuxterm was quick enough to see them), asks for the
# channel list again, and labels output by client name.
# Event driven: each step waits for the line that says the last one is
# done (the board's "UART on ...", then the names and a tick in
# vmuxterm's output), within a generous bound, never for a time.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
term="$root/$build/release/vmuxterm"
vmux="$root/$build/release/vmux"
source "$root/tests/events.bash"
pass=0; fail=0
log=$(mktemp)
out=$(mktemp)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    rm -f "$log" "$out"
}
trap cleanup EXIT

attach_case() { # name uart-spec attach-regex
    local name=$1 board term_pid target
    : >"$log"; : >"$out"
    "$vmux" --uart "$2" 2>"$log" &
    board=$!; pids+=("$board")
    if out=$log watch_pid=$board wait_for "$3"; then
        target=$(grep -aoE "$3" "$log" | head -1 | sed -E 's/^UART on //')
        if [[ $target == /dev/* ]]; then
            "$term" --plain "$target" >"$out" 2>&1 &
        else
            "$term" --plain --tcp "$target" >"$out" 2>&1 &
        fi
        term_pid=$!; pids+=("$term_pid")
        watch_pid=$term_pid wait_for '^vmuxterm: channel kernel is 1' &&
            watch_pid=$term_pid wait_for '^ticker: tick'
        kill "$term_pid"; wait "$term_pid" 2>/dev/null
    fi
    kill "$board"; wait "$board" 2>/dev/null
    if grep -q '^vmuxterm: channel kernel is 1' "$out" && grep -q '^ticker: tick' "$out"; then
        echo "[       OK ] $name"; pass=$((pass + 1))
    else
        echo "[  FAILED  ] $name"; cat "$log" "$out"; fail=$((fail + 1))
    fi
}

attach_case tcp_attach_late_gets_names tcp 'UART on 127\.0\.0\.1:[0-9]+' # a free port
attach_case pty_attach_late_gets_names pty 'UART on /dev/pts/[0-9]+'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
