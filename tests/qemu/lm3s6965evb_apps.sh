#!/bin/bash
# The demo apps as MPU-isolated processes on the lm3s6965evb under QEMU:
# the same userland sources as the host board's, built for Cortex-M,
# packed as TBF objects (tools/tbf) and loaded into flash at 0x10000.
# Two sensors share ADC readings (one conversion serves both: the same
# value every second), crypto_app encrypts (and again under a key from
# the RNG, driver 0x40001), policy_probe is refused
# everything, and a datagram from a host socket reaches the udp_echo
# process through the emulated Ethernet (hostfwd to the board's port 2007)
# and comes back. All of it twice: on the board's test image, and on the
# kernel alone (vmux-kernel-test.elf: every virtualizer, but no demo
# clients and no management channel in the kernel: the image whose flash
# the kernel budget is about); the second run's checks end in _kernel_alone.
# Each run waits for what its checks look at, then ends the board
# (lm3s6965evb.bash: the board's clock is its instructions, -icount).
. "$(dirname "$0")/lm3s6965evb.bash"

for image in vmux-test.elf vmux-kernel-test.elf; do
sfx=
[[ $image == vmux-kernel-test.elf ]] && sfx=_kernel_alone

apps=(-device "loader,file=$images/apps-demo.bin,addr=0x10000")
msg='ping the udp_echo process'
reply=$(new_tmp)
for attempt in 1 2 3; do
    port=$((30000 + (RANDOM % 20000)))
    board_start_talking "$images/$image" "${apps[@]}" \
        -nic "user,model=stellaris,hostfwd=udp:127.0.0.1:$port-:2007"
    if wait_for '^udp_echo: echoing on port 2007'; then
        udp_ask "$port" "$msg" "$reply"
        # what the checks below look at, then the end
        wait_for '^sensor-a: second [0-9]+: channel 0' 4 && wait_for '^sensor-b: second [0-9]+: channel 0' 4 &&
            wait_for '^crypto_app: released the slot' &&
            wait_for '^policy_probe: [0-9]+ of [0-9]+ attempts refused'
        [[ -n $sfx ]] || wait_for '^ticker: tick 1 '
    fi
    board_end
    grep -q 'Could not set up host forwarding' "$out" || break
    missing=() # the port was taken: another one
done

check exits_qemu_with_status_0$sfx '[[ $status == 0 ]]'
for app in sensor-a sensor-b udp_echo crypto_app policy_probe; do
    expect "loader_starts_$app$sfx" "^kernel: app $app: flash 0x[0-9a-f]{5} [0-9]+K, RAM 0x2000[0-9a-f]{4} [0-9]+B"
done
expect sensor_a_samples$sfx '^sensor-a: sampling channel 0 of 4, once a second'
expect sensor_b_samples$sfx '^sensor-b: sampling channel 0 of 4, once a second'
# The same reading for the same second: one conversion served both.
declare -A a_value
while read -r s v; do a_value[$s]=$v; done < <(
    grep -aoE '^sensor-a: second [0-9]+: channel 0 = [0-9]+' "$out" | awk '{print $3, $7}' | tr -d :)
same=0 differ=0
while read -r s v; do
    [[ -n ${a_value[$s]:-} ]] || continue
    if [[ ${a_value[$s]} == "$v" ]]; then same=$((same + 1)); else differ=$((differ + 1)); fi
done < <(grep -aoE '^sensor-b: second [0-9]+: channel 0 = [0-9]+' "$out" | awk '{print $3, $7}' | tr -d :)
check sensors_share_readings$sfx '[[ $same -ge 3 && $differ -eq 0 ]]'
expect crypto_app_ciphertext$sfx '^crypto_app: AES-128-CTR\("attack at dawn"\) = 8df8ab12fb0b5cd186f272149df0$'
expect crypto_app_keys_from_the_rng$sfx '^crypto_app: under a key from the RNG: another ciphertext, decrypts to "attack at dawn"$'
expect crypto_app_releases$sfx '^crypto_app: released the slot: SUCCESS'
expect policy_probe_refused_all$sfx '^policy_probe: ([0-9]+) of \1 attempts refused'
expect udp_echo_bound$sfx '^udp_echo: echoing on port 2007'
check host_gets_echo_from_process$sfx 'grep -qx "$msg" "$reply"'
expect mpu_reprogrammed_on_switches$sfx '^test: processes: runs [0-9]+, syscalls [0-9]+, mpu reprograms [1-9][0-9]*, .* faults 0$'
expect_not no_process_faulted$sfx 'faulted'
expect_not no_bad_frames$sfx 'bad frame'
expect_not every_format_known$sfx '<\?>'
if [[ -n $sfx ]]; then
    expect_not no_demo_clients$sfx '^(ticker|crypto|udp-echo|adc): '
    expect_not no_management_channel$sfx '^mgmt: '
else
    expect demo_clients_run '^ticker: tick 1 '
fi
done
finish
