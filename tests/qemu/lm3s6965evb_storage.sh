#!/bin/bash
# Storage on the lm3s6965evb's SD card under QEMU (vmux-storage.elf: the
# SD card driver in SPI mode over the SPI mux, the storage mux, the
# key-value store 0x50003 and isolated storage 0x50004), with QEMU's SD
# card on SSI0 backed by a fresh image, and storage_demo beside the four
# demo apps (apps-demo-storage.bin).
#   1. first boot on the fresh image: the store mounts, the kernel counts
#      boot 1, storage_demo its boot 1 and writes log line 1; then QEMU is
#      killed (kill -9: a power cut, nothing flushed) while the other apps
#      run on
#   2. the same image again: the store mounts, every acknowledged value
#      is there (the kernel's boot 2, the demo's boot 2 and both log
#      lines, nothing else); "storage" on the management channel shows
#      the store mounted and storage_demo's write id using its quota.
#      QEMU is killed as soon as the apps are started: in the middle of
#      the kernel's and storage_demo's writes, wherever they are
#   3. the same image a third time: it mounts; what run 2 acknowledged
#      is there and what it did not may be there or not, never half:
#      the demo counts boot 3 (its run-2 write was cut) or boot 4, the
#      kernel likewise, every log line is whole and in order
# Every step waits for the line that says the last one happened, never
# for a time. Runs under -icount.
. "$(dirname "$0")/lm3s6965evb.bash"

sd=$(new_tmp)
truncate -s 1M "$sd"         # QEMU wants a power of two
pidfile=$(new_tmp)

run() { # the board on the image, talking
    rm -f "$pidfile"
    board_start_talking "$images/vmux-storage.elf" -nic none -pidfile "$pidfile" \
        -drive "if=sd,format=raw,file=$sd" \
        -device "loader,file=$images/apps-demo-storage.bin,addr=0x10000"
}

power_cut() { # kill -9 QEMU, the one this script started
    local pid
    pid=$(cat "$pidfile" 2>/dev/null)
    [[ -n $pid ]] && kill -9 "$pid"
    exec 4>&-
    board_wait
}

# --- 1: a fresh card
run
wait_for 'storage_demo:   log: boot 1, log line 1'
wait_for 'kernel: storage: kernel boot 1 on this device \(SUCCESS\)'
power_cut
expect first_boot_of_the_kernel_on_a_fresh_card 'kernel: storage: kernel boot 1 on this device \(SUCCESS\)'
expect first_boot_of_storage_demo 'storage_demo: boot 1 of this app on this storage; its region: 4096 bytes, 1 log lines'
expect first_log_line 'storage_demo:   log: boot 1, log line 1'
expect every_app_started 'kernel: apps: 5 started, 0 without room'

# --- 2: after the cut
run
wait_for 'storage_demo:   log: boot 2, log line 2'
wait_for 'kernel: storage: kernel boot 2 on this device'
say '@mgmt storage'
wait_for 'mgmt: storage mux: turns'
expect kernel_boot_count_survived_the_cut 'kernel: storage: kernel boot 2 on this device \(SUCCESS\)'
expect demo_boot_count_survived_the_cut 'storage_demo: boot 2 of this app on this storage; its region: 4096 bytes, 2 log lines'
expect log_line_1_survived_the_cut 'storage_demo:   log: boot 1, log line 1$'
expect log_line_2_written 'storage_demo:   log: boot 2, log line 2$'
check exactly_two_log_lines_shown '(( $(grep -ac "storage_demo:   log:" "$out") == 2 ))'
expect store_mounted_on_the_card 'mgmt: kv store: mounted, 64 blocks'
expect demo_owner_uses_its_quota 'mgmt:   owner 93: used [1-9][0-9]* of quota'
expect demo_region_is_its 'mgmt:   region [0-9]: storage_demo'
expect_not no_failed_kv_request 'mgmt: kv requests: .*failed [1-9]'
out2=$out

# the cut in the middle of the writes: as soon as the apps are started
run
wait_for 'kernel: apps: 5 started'
power_cut
if grep -aq 'storage_demo: boot 3 of' "$out"; then demo_acked=1; else demo_acked=0; fi
if grep -aq 'kernel: storage: kernel boot 3 on this device (SUCCESS)' "$out"; then kernel_acked=1; else kernel_acked=0; fi
echo "(cut: storage_demo's boot 3 acknowledged: $demo_acked, the kernel's: $kernel_acked)"

# --- 3: after a cut mid-workload
run
wait_for 'storage_demo: boot [0-9]+ of this app'
wait_for 'kernel: storage: kernel boot [0-9]+ on this device'
wait_for 'storage_demo:   log: boot [34], log line [34]$'
power_cut
kernel_boot=$(grep -ao 'kernel boot [0-9]* on this device (SUCCESS)' "$out" | grep -o '[0-9]\+' | head -1)
demo_boot=$(grep -ao 'storage_demo: boot [0-9]* of this app' "$out" | grep -o '[0-9]\+' | head -1)
check store_mounts_after_a_mid_workload_cut '[[ -n $kernel_boot && -n $demo_boot ]]'
check kernel_count_acknowledged_or_next '(( kernel_boot == 4 || (kernel_acked == 0 && kernel_boot == 3) ))'
check demo_count_acknowledged_or_next '(( demo_boot == 4 || (demo_acked == 0 && demo_boot == 3) ))'
check demo_log_lines_whole_and_in_order \
    '[[ $(grep -a "storage_demo:   log:" "$out" | grep -acvE "log: boot [0-9]+, log line [0-9]+$") == 0 ]]'
expect log_line_1_still_there 'storage_demo:   log: boot 1, log line 1$'
expect log_line_2_still_there 'storage_demo:   log: boot 2, log line 2$'
expect_not nothing_failed 'storage_demo: (boot counter|boot [0-9]+; log):'
finish
