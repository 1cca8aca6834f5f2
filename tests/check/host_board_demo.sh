#!/bin/bash
# The host board end to end, as `make run` shows it: vmux under vmuxterm
# for a bounded time, with the demo apps as processes (and a process that
# never yields). Each client's output arrives under its own name; the two
# sensors share ADC readings; a host program's datagram is echoed by the
# udp_echo process; the policy probe is refused everything; the
# management channel lists, stops and restarts processes (vmuxterm
# answering the board's challenges with the key both were given).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
term="$root/$build/release/vmuxterm"
vmux="$root/$build/release/vmux"
apps="$root/$build/release/apps"
out=$(mktemp)
udp_reply=$(mktemp)
key=$(mktemp)
trap 'rm -f "$out" "$udp_reply" "$key"' EXIT
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$key"
port=$((20000 + $$ % 20000))

(sleep 1.2; echo "@mgmt ps"; sleep 0.4; echo "stop sensor-b"; sleep 0.4; echo "start sensor-b";
 sleep 0.4; echo "clients"; sleep 4) |
    timeout 30 "$term" --plain --quit-after 6500 --key "$key" --exec "$vmux" --mgmt-key "$key" \
        --udp-forward "$port:2007" \
        --run-for 6300 --app "$apps/sensor.so@sensor-a" --app "$apps/sensor.so@sensor-b" \
        --app "$apps/udp_echo.so" --app "$apps/crypto_app.so" --app "$apps/policy_probe.so" \
        --app "$apps/hog.so" >"$out" 2>&1 &
# a host program reaches the udp_echo process through the forwarded port
sleep 2
exec 3<>"/dev/udp/127.0.0.1/$port"
printf 'ping from the host\n' >&3
timeout 3 head -c 19 <&3 >"$udp_reply" || true
exec 3<&-
wait

pass=0; fail=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
bad() { echo "[  FAILED  ] $1"; fail=$((fail + 1)); }
expect() { # name pattern
    if grep -qE "$2" "$out"; then ok "$1"; else bad "$1 (no line matching: $2)"; fi
}
expect board_says_hello 'board says hello \(protocol v1\)'
expect channels_are_announced_by_name 'channel sensor-b is [0-9]+'
expect kernel_banner_on_kernel_channel '^kernel: vmux host board up'
expect kernel_crypto_demo_encrypts '^crypto: AES-128-CTR\("attack at dawn"\) = [0-9a-f]{28} \(SUCCESS\)'
expect alarm_mux_ticks '^ticker: tick 1 '
expect kernel_udp_echo_on_reserved_port '^udp-echo: echoing UDP on board port 7'
expect crypto_process_encrypts '^crypto_app: AES-128-CTR\("attack at dawn"\) = [0-9a-f]{28}'
expect udp_echo_process_bound '^udp_echo: echoing on port 2007'
if grep -q '^ping from the host$' "$udp_reply"; then ok host_gets_udp_echo_from_process;
else bad host_gets_udp_echo_from_process; fi
expect probe_bind_bound_port_busy "^policy_probe: UDP bind port 2007 \(udp_echo's\): refused with BUSY"
expect probe_bind_reserved_port_refused '^policy_probe: UDP bind port 80 .*: refused with RESERVE'
expect probe_send_from_other_port_refused '^policy_probe: UDP send from port 2007 while bound to 4000: refused'
expect probe_console_sees_only_its_own '^policy_probe: console input read for 1 s: received 0 byte'
expect probe_continuous_adc_refused '^policy_probe: ADC continuous sampling without the capability: refused'
expect probe_everything_refused '^policy_probe: 33 of 33 attempts refused'
expect hog_started '^hog: spinning forever'
# the sensors keep sampling while the hog spins: preemption works
a=$(grep -cE '^sensor-a: second [0-9]+: channel 0 = [0-9]+' "$out")
if [ "$a" -ge 4 ]; then ok "sensors_progress_beside_a_busy_process ($a samples)";
else bad "sensors_progress_beside_a_busy_process (only $a samples)"; fi
# both sensors report the same value for the same second: one shared reading
shared=0; differ=0
while read -r second value; do
    other=$(grep -E "^sensor-b: second $second: channel 0 = " "$out" | head -1 | sed 's/.*= //')
    [ -z "$other" ] && continue
    if [ "$other" = "$value" ]; then shared=$((shared + 1)); else differ=$((differ + 1)); fi
done < <(grep -E '^sensor-a: second [0-9]+: channel 0 = ' "$out" | sed -E 's/^sensor-a: second ([0-9]+): channel 0 = ([0-9]+)/\1 \2/')
if [ "$shared" -ge 2 ] && [ "$differ" -eq 0 ]; then ok "sensors_share_one_reading ($shared seconds)";
else bad "sensors_share_one_reading (same $shared, different $differ)"; fi
expect mgmt_lists_processes '^mgmt: [0-9]+ hog +ready'
expect mgmt_stops_a_process '^mgmt: stop sensor-b: SUCCESS'
expect mgmt_restarts_it '^mgmt: start sensor-b: SUCCESS'
expect restarted_process_gets_a_new_channel 'sensor-b closed \(channel [0-9]+\)'
if grep -q 'bad frame' "$out"; then bad no_bad_frames; else ok no_bad_frames; fi
[ "$fail" -eq 0 ] || cat "$out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
