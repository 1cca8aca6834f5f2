#!/bin/sh
# The host board end to end: vmux under vmuxterm for a bounded time. Each
# kernel demo client's output arrives under its own name, the management
# channel answers a typed command, and the crypto demo is refused a slot it
# does not hold.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
term="$root/$build/release/vmuxterm"
vmux="$root/$build/release/vmux"
out=$(mktemp)
port=$((20000 + $$ % 20000))
udp_reply=$(mktemp)
trap 'rm -f "$out" "$udp_reply"' EXIT
(sleep 0.6; echo "@mgmt clients"; sleep 1.5) |
    timeout 20 "$term" --plain --quit-after 3000 --exec "$vmux" --udp-forward "$port:7" \
        --run-for 2800 >"$out" 2>&1 &
# a host program reaches the board's UDP echo through the forwarded port
sleep 1
exec 3<>"/dev/udp/127.0.0.1/$port"
printf 'ping from the host\n' >&3
timeout 3 head -c 19 <&3 >"$udp_reply" || true
exec 3<&-
wait
pass=0; fail=0
expect() { # name pattern
    if grep -qE "$2" "$out"; then echo "[       OK ] $1"; pass=$((pass + 1));
    else echo "[  FAILED  ] $1 (no line matching: $2)"; fail=$((fail + 1)); fi
}
expect board_says_hello 'board says hello \(protocol v1\)'
expect channels_are_announced_by_name 'channel crypto is [0-9]+'
expect kernel_banner_on_kernel_channel '^kernel: vmux host board up'
expect crypto_demo_encrypts '^crypto: AES-128-CTR\("attack at dawn"\) = [0-9a-f]{28} \(SUCCESS\)'
expect crypto_foreign_slot_refused '^crypto: using a slot I do not hold: refused with RESERVE'
expect alarm_mux_ticks '^ticker: tick 1 '
expect udp_echo_bound '^udp-echo: echoing UDP on board port 7'
expect udp_echo_echoed '^udp-echo: echoed 19 bytes to 10\.0\.2\.2:[0-9]+ \(SUCCESS\)'
if grep -q '^ping from the host$' "$udp_reply"; then echo "[       OK ] host_gets_udp_echo"; pass=$((pass + 1));
else echo "[  FAILED  ] host_gets_udp_echo"; fail=$((fail + 1)); fi
expect mgmt_answers_typed_command '^mgmt: channel [0-9]+: crypto \(kernel\)'
if grep -q 'bad frame' "$out"; then echo "[  FAILED  ] no_bad_frames"; fail=$((fail + 1));
else echo "[       OK ] no_bad_frames"; pass=$((pass + 1)); fi
[ "$fail" -eq 0 ] || cat "$out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
