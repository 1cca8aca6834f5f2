#!/bin/bash
# System call costs on the lm3s6965evb under QEMU with -icount shift=0
# (one instruction = 1 ns of virtual time): the bench apps
# (tests/qemu/apps/bench) print instructions per call; `make
# bench-lm3s6965evb` prints the same figures (docs/performance.md). Most
# only have to be there and stay under generous bounds, so a regression
# that doubles a path is caught; the two the design aims at (a bare-svc
# null command at most 150, a bare-svc switch at most 250) are held to
# those aims, which -icount makes exact.
. "$(dirname "$0")/lm3s6965evb.bash"

board_run "$images/vmux-test.elf" true -nic none -icount shift=0 \
    -device "loader,file=$images/apps-bench.bin,addr=0x10000"
check exits_qemu_with_status_0 '[[ $status == 0 ]]'
figure() { # app
    grep -aoE "^$1: 1000 calls, [0-9]+ ticks, [0-9]+\.[0-9] instructions per (call|switch)$" "$out" |
        grep -oE '[0-9]+\.[0-9] instructions' | cut -d. -f1
}
null=$(figure bench-null-1) raw=$(figure bench-raw-5) upcall=$(figure bench-upcall-2) yield=$(figure bench-yield-3)
switch_a=$(figure bench-switch-a-4) switch_b=$(figure bench-switch-b-4)
check null_command_round_trip '[[ -n $null && $null -le 300 ]]'
check raw_svc_round_trip '[[ -n $raw && $raw -le 250 ]]'
check command_yield_upcall '[[ -n $upcall && $upcall -le 1600 ]]'
check yield_round_trip '[[ -n $yield && $yield -le 700 ]]'
check process_switch '[[ -n $switch_a && -n $switch_b && $switch_a -le 700 && $switch_b -le 700 ]]'
expect_not no_missing_upcalls 'UPCALLS MISSING'
check raw_svc_round_trip_meets_the_aim '[[ -n $raw && $raw -le 150 ]]'

board_run "$images/vmux-test.elf" true -nic none -icount shift=0 \
    -device "loader,file=$images/apps-bench2.bin,addr=0x10000"
check image2_exits_qemu_with_status_0 '[[ $status == 0 ]]'
swraw_a=$(figure bench-swraw-a-1) swraw_b=$(figure bench-swraw-b-1)
check process_switch_meets_the_aim \
    '[[ -n $swraw_a && -n $swraw_b && $swraw_a -le 250 && $swraw_b -le 250 ]]'
finish
