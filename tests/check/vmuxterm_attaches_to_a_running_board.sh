#!/bin/bash
# The host board's UART on a TCP socket and on a PTY: vmuxterm attaches
# after the board has started (its first announcements went to nobody),
# asks for the channel list again, and labels output by client name.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
term="$root/$build/release/vmuxterm"
vmux="$root/$build/release/vmux"
pass=0; fail=0
check() { # name output
    if grep -q '^vmuxterm: channel kernel is 1' <<<"$2" && grep -q '^ticker: tick' <<<"$2"; then
        echo "[       OK ] $1"; pass=$((pass + 1))
    else
        echo "[  FAILED  ] $1"; echo "$2"; fail=$((fail + 1))
    fi
}

port=$((30000 + $$ % 20000))
"$vmux" --uart "tcp:$port" --run-for 3000 2>/dev/null &
sleep 0.8
out=$(timeout 10 "$term" --plain --quit-after 1800 --tcp "127.0.0.1:$port" 2>&1)
wait
check tcp_attach_late_gets_names "$out"

log=$(mktemp)
"$vmux" --uart pty --run-for 3000 2>"$log" &
sleep 0.8
pty=$(grep -o '/dev/pts/[0-9]*' "$log" | head -1)
out=$(timeout 10 "$term" --plain --quit-after 1800 "$pty" 2>&1)
wait
rm -f "$log"
check pty_attach_late_gets_names "$out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
