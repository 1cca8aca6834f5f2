#!/bin/bash
# The RNG (0x40001) and low-level debug (0x8) drivers on the lm3s6965evb,
# from two processes at once (random-a, random-b: tests/qemu/apps/random),
# on the board's test image (vmux-test.elf: the kernel-alone image leaves
# the low-level debug driver out), under -icount so that the run is the
# same every time.
#  - Each process gets its 40-byte draws (two chunks of the RNG mux each)
#    and a draw of 0 bytes; no draw repeats another, in a process or
#    across them, and none is all zeroes.
#  - The low-level debug lines come out on the kernel's channel in Tock's
#    text, with the process's name.
#  - Honesty check of boards/lm3s6965evb/seed.h: QEMU has no entropy to
#    give (its ADC noise restarts at every start, -icount makes the
#    timebase a count of instructions), so a second boot draws the very
#    same bytes. Should that ever change, seed.h and docs/syscalls.md
#    must say so.
. "$(dirname "$0")/lm3s6965evb.bash"

run_once() {
    board_run "$images/vmux-test.elf" true -nic none -icount shift=4 \
        -device "loader,file=$images/apps-rng.bin,addr=0x10000"
}

run_once
check exits_qemu_with_status_0 '[[ $status == 0 ]]'
for p in random-a random-b; do
    expect "${p}_finds_the_driver" "^$p: rng driver: SUCCESS"
    expect "${p}_draw_1" "^$p: draw 1: SUCCESS, 40 bytes: [0-9a-f]{80}$"
    expect "${p}_draw_2" "^$p: draw 2: SUCCESS, 40 bytes: [0-9a-f]{80}$"
    expect "${p}_draws_0_bytes" "^$p: draw of 0 bytes: SUCCESS, 0 bytes$"
    expect "${p}_debug_prints" "^kernel: LowLevelDebug: App $p prints 0x2a$"
    expect "${p}_debug_prints_two" "^kernel: LowLevelDebug: App $p prints 0x[0-9a-f]{1,8} 0x28$"
    expect "${p}_debug_alert" "^kernel: LowLevelDebug: App $p alert code 0x1$"
    expect "${p}_done" "^$p: done$"
done
mapfile -t draws < <(grep -aoE '^random-[ab]: draw [12]: SUCCESS, 40 bytes: [0-9a-f]{80}$' "$out" |
                     grep -oE '[0-9a-f]{80}$')
check four_draws '[[ ${#draws[@]} -eq 4 ]]'
check no_draw_repeats '[[ $(printf "%s\n" "${draws[@]}" | sort -u | wc -l) -eq 4 ]]'
check no_draw_is_zeroes '! printf "%s\n" "${draws[@]}" | grep -qx "0*"'
# the word the debug line printed is the first 4 bytes of draw 1
word_a=$(grep -aoE '^kernel: LowLevelDebug: App random-a prints 0x[0-9a-f]+ 0x28$' "$out" |
         grep -oE '0x[0-9a-f]+ ' | head -1)
first_a=$(grep -aoE '^random-a: draw 1: SUCCESS, 40 bytes: [0-9a-f]{8}' "$out" | grep -oE '[0-9a-f]{8}$')
check debug_word_is_the_drawn_word '[[ -n $first_a && $(( ${word_a:-0} )) -eq $(( 16#$first_a )) ]]'
expect_not no_process_faulted 'faulted'
expect_not every_format_known '<\?>'
first_run=$(printf "%s\n" "${draws[@]}")

run_once
mapfile -t draws < <(grep -aoE '^random-[ab]: draw [12]: SUCCESS, 40 bytes: [0-9a-f]{80}$' "$out" |
                     grep -oE '[0-9a-f]{80}$')
check second_boot_exits_with_status_0 '[[ $status == 0 ]]'
check qemu_gives_no_entropy_the_same_bytes_every_boot \
    '[[ ${#draws[@]} -eq 4 && $(printf "%s\n" "${draws[@]}") == "$first_run" ]]'
finish
