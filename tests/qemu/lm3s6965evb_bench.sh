#!/bin/bash
# System call costs on the lm3s6965evb under QEMU with -icount shift=0
# (one instruction = 1 ns of virtual time): the bench apps
# (tests/qemu/apps/bench) print instructions per call; `make
# bench-lm3s6965evb` prints the same figures (docs/performance.md). Each
# is held to its aim, which -icount makes exact: a bare-svc null command
# at most 80 instructions (Tock's "below 80"), through libvmux at most
# 100, a bare-svc switch between two processes at most 200, command +
# yield + upcall at most 600; yield alone stays under a generous bound.
. "$(dirname "$0")/lm3s6965evb.bash"

QEMU_ICOUNT=shift=0 board_run "$images/vmux-test.elf" true -nic none \
    -device "loader,file=$images/apps-bench.bin,addr=0x10000"
check exits_qemu_with_status_0 '[[ $status == 0 ]]'
figure() { # app
    grep -aoE "^$1: 1000 calls, [0-9]+ ticks, [0-9]+\.[0-9] instructions per (call|switch)$" "$out" |
        grep -oE '[0-9]+\.[0-9] instructions' | cut -d. -f1
}
null=$(figure bench-null-1) raw=$(figure bench-raw-5) upcall=$(figure bench-upcall-2) yield=$(figure bench-yield-3)
switch_a=$(figure bench-switch-a-4) switch_b=$(figure bench-switch-b-4)
check null_command_through_libvmux_meets_the_aim '[[ -n $null && $null -le 100 ]]'
check raw_svc_round_trip_meets_the_aim '[[ -n $raw && $raw -le 80 ]]'
check command_yield_upcall_meets_the_aim '[[ -n $upcall && $upcall -le 600 ]]'
check yield_round_trip '[[ -n $yield && $yield -le 400 ]]'
check process_switch_through_libvmux '[[ -n $switch_a && -n $switch_b && $switch_a -le 250 && $switch_b -le 250 ]]'
expect_not no_missing_upcalls 'UPCALLS MISSING'

QEMU_ICOUNT=shift=0 board_run "$images/vmux-test.elf" true -nic none \
    -device "loader,file=$images/apps-bench2.bin,addr=0x10000"
check image2_exits_qemu_with_status_0 '[[ $status == 0 ]]'
swraw_a=$(figure bench-swraw-a-1) swraw_b=$(figure bench-swraw-b-1)
check process_switch_meets_the_aim \
    '[[ -n $swraw_a && -n $swraw_b && $swraw_a -le 200 && $swraw_b -le 200 ]]'
finish
