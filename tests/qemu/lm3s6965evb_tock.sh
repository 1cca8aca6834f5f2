#!/bin/bash
# Tock apps on the lm3s6965evb: the apps of tests/tock follow Tock's
# conventions only (their own crt0 reading the startup header from r0,
# position-independent code, system calls declaring exactly libtock-c's
# register outputs, packed as elf2tab packs them), all loaded at once.
# Each prints "ok NAME" per check and "done: N ok, M failed"; the kernel
# reports tock-fault's MPU fault and tock-exit's completion code, and
# tock-restart lives again and again, each life as fresh as the first.
# Under -icount: the same instructions, the same result, however loaded
# the machine is.
. "$(dirname "$0")/lm3s6965evb.bash"

board_run "$images/vmux-test.elf" true -nic none -icount shift=4 \
    -device "loader,file=$images/apps-tock.bin,addr=0x10000"
check exits_qemu_with_status_0 '[[ $status == 0 ]]'
for app in abi alarm console exit fault restart; do
    expect "loader_starts_tock_$app" "^kernel: app tock-$app: flash 0x[0-9a-f]{5} [0-9]+K"
done
for app in abi alarm console; do
    expect "tock_${app}_all_checks_pass" "^tock-$app: done: [1-9][0-9]* ok, 0 failed$"
done
expect_not no_check_failed '^tock-[a-z]+: FAIL'
expect abi_register_checks_ran '^tock-abi: ok regs_upcall_keeps_r4_r12$'
expect abi_every_variant_checked '^tock-abi: ok regs_variant_success_u32_u64$'
expect console_line_out '^tock-console: hello from a Tock app$'
expect fault_reported "^kernel: process tock-fault faulted: MemManage, data access violation at 0x2000[0-9a-f]{4}"
expect fault_wrote_below_its_break '^tock-fault: ok write_below_the_break$'
expect exit_code_reported '^kernel: process tock-exit exited: 42$'
check restart_lives_again '[[ $(grep -ac "^tock-restart: life: fresh" "$out") -ge 3 ]]'
expect_not restart_life_is_fresh '^tock-restart: life: NOT fresh'
expect_not only_the_faulting_app_faulted 'process tock-(abi|alarm|console|exit|restart) faulted'
expect_not every_format_known '<\?>'

# The drivers' apps, the board talked to: tock-udp echoes a datagram
# the host sends through QEMU's forwarding.
msg='a datagram for a Tock app'
reply=$(new_tmp)
for attempt in 1 2 3; do
    port=$((30000 + (RANDOM % 20000)))
    board_start_talking "$images/vmux-test.elf" -device "loader,file=$images/apps-tock2.bin,addr=0x10000" \
        -nic "user,model=stellaris,hostfwd=udp:127.0.0.1:$port-:2008"
    if wait_for '^tock-udp: listening'; then
        udp_ask "$port" "$msg" "$reply"
        wait_for '^tock-udp: echoed' && wait_for '^tock-pins: done' && wait_for '^tock-rng: done' &&
            wait_for '^tock-adc: done'
    fi
    board_end
    grep -q 'Could not set up host forwarding' "$out" || break
    missing=() # the port was taken: another one
done
check image2_exits_qemu_with_status_0 '[[ $status == 0 ]]'
for app in pins rng adc udp; do
    expect "tock_${app}_all_checks_pass" "^tock-$app: done: [1-9][0-9]* ok, 0 failed$"
done
check tock_udp_echo_reaches_the_host 'grep -qx "$msg" "$reply"'
expect tock_udp_echoed "^tock-udp: echoed $((${#msg} + 1)) bytes$"
expect_not image2_no_check_failed '^tock-[a-z]+: FAIL'
finish
