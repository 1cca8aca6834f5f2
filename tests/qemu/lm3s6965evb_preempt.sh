#!/bin/bash
# Preemption on the lm3s6965evb: hog never makes a system call after its
# first line, next to the bystander "alive" (a line every 100 ms). The
# slice timer (GPTM 2A, 10 ms) takes the CPU back from hog; every
# interrupt that leaves work for the kernel ends hog's slice at once, so
# the kernel's ticker (a virtual alarm every 200 ms) is never late by
# more than a fraction of a millisecond, and alive keeps printing (its
# every step waits at most one slice of hog's: the scheduler moves round
# robin after each trap). Run with -icount (time = instructions), so the
# timing checks are exact. Then the bystander alone: the MPU is loaded
# once, however often it traps (regions are reloaded only when a
# different process runs), and its break regions once more, when its
# crt0 moves the break from the initial one (room for the first frame,
# as Tock's) to the end of its .bss.
. "$(dirname "$0")/lm3s6965evb.bash"

board_run "$images/vmux-test.elf" true -nic none \
    -device "loader,file=$images/apps-hog.bin,addr=0x10000"
check exits_qemu_with_status_0 '[[ $status == 0 ]]'
expect hog_runs '^hog: spinning forever without yielding'
check alive_keeps_running '[[ $(grep -acE "^alive: alive [0-9]+, pattern intact" "$out") -ge 20 ]]'
slices=$(grep -aoE '^test: processes: .*slices expired [0-9]+' "$out" | grep -oE '[0-9]+$')
check slice_timer_preempts_hog '[[ ${slices:-0} -ge 300 ]]'
expect interrupts_end_slices '^test: processes: .* irq preempts [1-9][0-9]* of [0-9]+'
# Ticks every 200 ms (10M cycles), late by less than 1 ms (50k cycles).
mapfile -t counters < <(grep -aoE '^ticker: tick [0-9]+ \(counter 0x[0-9a-f]{8}\)' "$out" |
                        grep -oE '0x[0-9a-f]{8}')
check ticker_ticks '[[ ${#counters[@]} -ge 15 ]]'
late=0
for ((i = 1; i < ${#counters[@]}; i++)); do
    d=$(( (counters[i] - counters[i - 1]) & 0xffffffff ))
    (( d < 10000000 || d > 10050000 )) && late=$((late + 1))
done
check ticker_on_time_next_to_hog '[[ $late -eq 0 ]]'
expect_not no_fault 'faulted'
expect mpu_reloaded_on_switches '^test: processes: runs ([0-9]+), .* mpu reprograms [0-9]{3,},'

board_run "$images/vmux-test.elf" true -nic none \
    -device "loader,file=$images/apps-alive.bin,addr=0x10000"
check alone_exits_qemu_with_status_0 '[[ $status == 0 ]]'
check alone_runs '[[ $(grep -acE "^alive: alive [0-9]+, pattern intact" "$out") -ge 30 ]]'
expect alone_mpu_loaded_once '^test: processes: runs [0-9]{2,}, syscalls [0-9]+, mpu reprograms 1, break updates 1,'
finish
