#!/bin/bash
# Restarts on the lm3s6965evb: remnant marks its stack, waits 200 ms and
# exits asking for a restart, again and again, next to the bystander
# "alive". A restart is a new client of the slot (policy: a client's
# data is wiped before anyone else sees it), so every life must find
# none of the marks the last one left: the kernel wipes a process's RAM
# before each start. The bystander carries on throughout.
. "$(dirname "$0")/lm3s6965evb.bash"

board_run "$images/vmux-test.elf" true -nic none \
    -device "loader,file=$images/apps-remnant.bin,addr=0x10000"
check exits_qemu_with_status_0 '[[ $status == 0 ]]'
lives=$(grep -acE '^remnant: life: [0-9]+ marks of an earlier life found' "$out")
check remnant_restarted_many_times '[[ $lives -ge 5 ]]'
expect first_life_clean '^remnant: life: 0 marks of an earlier life found'
expect_not buffers_wiped_no_life_sees_the_last_ones_memory '^remnant: life: [1-9][0-9]* marks'
# Its heap is memory it grows with sbrk and uses at once: the MPU is
# reprogrammed for the new break before the process runs on.
expect_not sbrk_memory_usable_at_once '^kernel: process remnant faulted'
check alive_keeps_running '[[ $(grep -acE "^alive: alive [0-9]+, pattern intact" "$out") -ge 20 ]]'
finish
