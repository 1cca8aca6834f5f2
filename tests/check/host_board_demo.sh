#!/bin/bash
# The host board end to end, as `make run` shows it: vmux under vmuxterm,
# with the demo apps as processes (and a process that never yields).
# Each client's output arrives under its own name; the two sensors share
# ADC readings; a host program's datagram is echoed by the udp_echo
# process; the policy probe is refused everything; the management channel
# lists, stops and restarts processes (vmuxterm answering the board's
# challenges with the key both were given); and an app may not take the
# name of a kernel channel.
#
# The board runs on its virtual clock (vmux --clock virtual: time is the
# work done, as QEMU's -icount), so what it does between two inputs is
# the same however loaded the host is; and the script waits for events
# (a line of output, the echo) before each step, never for a time. The
# only clock it reads is a generous bound after which a missing event is
# a failure.
set -u
source "$(dirname "$0")/../host_board.bash"
udp_reply=$(host_tmp)
img=$(mktemp -u)
host_tmp_files+=("$img")

start_board() {
    port=$((20000 + RANDOM % 20000))
    board_exec --udp-forward "$port:2007" \
        --app "$apps/sensor.so@sensor-a" --app "$apps/sensor.so@sensor-b" \
        --app "$apps/udp_echo.so" --app "$apps/crypto_app.so" --app "$apps/policy_probe.so" \
        --app "$apps/hog.so" --app "$apps/storage_demo.so" --storage "$img"
}

# another program may hold the port: then another one
for attempt in 1 2 3; do
    start_board
    wait_for '^udp_echo: echoing on port 2007' && break
    wait "$term_pid"
    grep -q 'udp forward failed' "$out" || break
    missing=()
done
# a host program reaches the udp_echo process through the forwarded port
grep -q '^udp_echo: echoing on port 2007' "$out" && udp_ask "$port" 'ping from the host' "$udp_reply"
# the management channel, one command after the other's answer
wait_for '^sensor-b: second 2: ' &&
    say "@mgmt ps" && wait_for '^mgmt: [0-9]+ hog +ready' &&
    say "stop sensor-b" && wait_for '^mgmt: stop sensor-b: ' &&
    say "start sensor-b" && wait_for '^mgmt: start sensor-b: ' &&
    say "clients" && wait_for '^mgmt: channel [0-9]+: ticker'
# the restarted sensor samples again, beside the hog: four more seconds
# of its own (its ADC lines: it prints a temperature line each second
# too), and sensor-a's line for the last of them
wait_for '^sensor-b: sampling channel' 2
b_lines=$(grep -acE '^sensor-b: second [0-9]+: channel 0 = ' "$out")
wait_for '^sensor-b: second [0-9]+: channel 0 = [0-9]+' $((b_lines + 4))
a_lines=$(grep -acE '^sensor-a: second [0-9]+: channel 0 = ' "$out")
wait_for '^sensor-a: second [0-9]+: channel 0 = [0-9]+' $((a_lines > 5 ? a_lines + 1 : 6))
wait_for '^policy_probe: [0-9]+ of [0-9]+ attempts refused'
wait_for '^crypto_app: released the slot'
wait_for '^ticker: tick 1 '
wait_for '^storage_demo: +log: boot 1'
board_end

awaited
expect board_says_hello 'board says hello \(protocol v1\)'
expect channels_are_announced_by_name 'channel sensor-b is [0-9]+'
expect kernel_banner_on_kernel_channel '^kernel: vmux host board up'
expect kernel_crypto_demo_encrypts '^crypto: AES-128-CTR\("attack at dawn"\) = [0-9a-f]{28} \(SUCCESS\)'
expect alarm_mux_ticks '^ticker: tick 1 '
expect kernel_udp_echo_on_reserved_port '^udp-echo: echoing UDP on board port 7'
expect crypto_process_encrypts '^crypto_app: AES-128-CTR\("attack at dawn"\) = [0-9a-f]{28}'
expect crypto_process_keys_from_the_rng '^crypto_app: under a key from the RNG: another ciphertext, decrypts to "attack at dawn"'
expect udp_echo_process_bound '^udp_echo: echoing on port 2007'
if grep -q '^ping from the host$' "$udp_reply"; then ok host_gets_udp_echo_from_process;
else bad host_gets_udp_echo_from_process; fi
expect probe_bind_bound_port_busy "^policy_probe: UDP bind port 2007 \(udp_echo's\): refused with BUSY"
expect probe_bind_reserved_port_refused '^policy_probe: UDP bind port 80 .*: refused with RESERVE'
expect probe_send_from_other_port_refused '^policy_probe: UDP send from port 2007 while bound to 4000: refused'
expect probe_console_sees_only_its_own '^policy_probe: console input read for 1 s: received 0 byte'
expect probe_continuous_adc_refused '^policy_probe: ADC continuous sampling without the capability: refused'
expect probe_everything_refused '^policy_probe: 39 of 39 attempts refused'
expect storage_demo_counts_its_first_boot '^storage_demo: boot 1 of this app on this storage'
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
if [ "$shared" -ge 4 ] && [ "$differ" -eq 0 ]; then ok "sensors_share_one_reading ($shared seconds)";
else bad "sensors_share_one_reading (same $shared, different $differ)"; fi
expect mgmt_lists_processes '^mgmt: [0-9]+ hog +ready'
expect mgmt_stops_a_process '^mgmt: stop sensor-b: SUCCESS'
expect mgmt_restarts_it '^mgmt: start sensor-b: SUCCESS'
expect restarted_process_gets_a_new_channel 'sensor-b closed \(channel [0-9]+\)'
if grep -q 'bad frame' "$out"; then bad no_bad_frames; else ok no_bad_frames; fi
if grep -q 'refused: SUCCESS' "$out"; then bad no_success_reported_as_a_refusal;
else ok no_success_reported_as_a_refusal; fi
# an app may not take a kernel channel's name: its output would pass for the kernel's
refusal=$("$vmux" --clock virtual --run-for 0 --app "$apps/hog.so@mgmt" 2>&1 </dev/null)
if [[ $? -ne 0 && $refusal == *"the name mgmt is a kernel name"* ]]; then
    ok board_refuses_an_app_named_as_a_kernel_channel
else bad "board_refuses_an_app_named_as_a_kernel_channel ($refusal)"; fi
report
