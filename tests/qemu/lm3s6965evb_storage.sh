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
#   3. the next boot cut at each of its write points in turn (under gdb,
#      below), each followed by a boot on the same image
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
    [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null # gdb may have cut it already
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

# --- 3: a cut at every write point of the next boot. gdb (QEMU's gdb
# server, the image halted until it is attached) counts the card's block
# writes and erases (sd_spi's sd_write and sd_erase) and, at the k-th,
# kills QEMU before it reaches the card: every write before it is on the
# card, that one and the rest never happen (QEMU's card writes a block
# at once: a torn block is the host board's test's, test_kv_crash). A
# first run only counts them. Each cut is followed by a boot on the same
# image: it mounts, what the cut run acknowledged is there, what it did
# not may be there or not, never half: each count is 3 or 4 (4 when its
# 3 was acknowledged), the log lines whole, the first two still there.
base=$(new_tmp)
cp "$sd" "$base"
gdb_sock=$(mktemp -u)
gdb_out=$(new_tmp)
gdb_script=$(new_tmp)
cat >"$gdb_script" <<GDB
set \$n = 0
break sd_write
break sd_erase
commands 1 2
  silent
  set \$n = \$n + 1
  printf "write point %d\\n", \$n
  if \$n == \$cut
    printf "cut at write point %d\\n", \$n
    shell kill -9 \$(cat "$pidfile")
  end
  continue
end
continue
GDB

cut_run() { # k: cut at the k-th write point (0: none, only count)
    rm -f "$pidfile" "$gdb_sock"
    board_start_talking "$images/vmux-storage.elf" -nic none -pidfile "$pidfile" -S \
        -chardev "socket,path=$gdb_sock,server=on,wait=off,id=gdb0" -gdb chardev:gdb0 \
        -drive "if=sd,format=raw,file=$sd" \
        -device "loader,file=$images/apps-demo-storage.bin,addr=0x10000"
    local tries=0
    until [[ -S $gdb_sock ]] || ! kill -0 "$board_pid" 2>/dev/null || ((tries++ > 2000)); do
        sleep 0.01 # until QEMU's gdb server is listening (an event, not a time)
    done
    gdb-multiarch -batch -nx -ex "set confirm off" -ex "target remote $gdb_sock" \
        -ex "set \$cut = $1" -x "$gdb_script" "$images/vmux-storage.elf" >"$gdb_out" 2>&1 &
    gdb_pid=$!
}
tmp_files+=("$gdb_sock")

cut_run 0
wait_for 'storage_demo: boot 3 of this app'
wait_for 'kernel: storage: kernel boot 3 on this device'
power_cut
wait "$gdb_pid"
points=$(grep -c '^write point' "$gdb_out")
echo "(a boot writes at $points points)"
check the_boot_has_write_points '(( points >= 3 ))'

cut_ok=0
for ((k = 1; k <= points; k++)); do
    cp "$base" "$sd"
    cut_run "$k"
    board_out=$out out=$gdb_out
    wait_for "cut at write point $k\$" # bounded: a cut that never comes fails, never hangs
    out=$board_out
    power_cut
    wait "$gdb_pid"
    grep -q "cut at write point $k" "$gdb_out" || { not_ok "cut_at_write_point_$k" "gdb did not cut"; continue; }
    demo_acked=0 kernel_acked=0
    grep -aq 'storage_demo: boot 3 of' "$out" && demo_acked=1
    grep -aq 'kernel: storage: kernel boot 3 on this device (SUCCESS)' "$out" && kernel_acked=1
    run
    wait_for 'storage_demo: boot [0-9]+ of this app'
    wait_for 'kernel: storage: kernel boot [0-9]+ on this device'
    power_cut
    kernel_boot=$(grep -ao 'kernel boot [0-9]* on this device (SUCCESS)' "$out" | grep -o '[0-9]\+' | head -1)
    demo_boot=$(grep -ao 'storage_demo: boot [0-9]* of this app' "$out" | grep -o '[0-9]\+' | head -1)
    bad=$(grep -a 'storage_demo:   log:' "$out" | grep -acvE 'log: boot [0-9]+, log line [0-9]+$')
    why=
    [[ -n $kernel_boot && -n $demo_boot ]] || why="no mount"
    (( kernel_boot == 4 || (kernel_acked == 0 && kernel_boot == 3) )) || why+=" kernel boot $kernel_boot (acknowledged 3: $kernel_acked)"
    (( demo_boot == 4 || (demo_acked == 0 && demo_boot == 3) )) || why+=" demo boot $demo_boot (acknowledged 3: $demo_acked)"
    (( bad == 0 )) || why+=" $bad log lines not whole"
    grep -aqE 'storage_demo:   log: boot 1, log line 1$' "$out" || why+=" log line 1 lost"
    grep -aqE 'storage_demo:   log: boot 2, log line 2$' "$out" || why+=" log line 2 lost"
    grep -aqE 'storage_demo: (boot counter|boot [0-9]+; log):' "$out" && why+=" the demo failed"
    if [[ -z $why ]]; then
        cut_ok=$((cut_ok + 1))
    else
        not_ok "remount_after_a_cut_at_write_point_$k" "$why"
        cat "$out"
    fi
done
check "every_cut_remounts_with_what_was_acknowledged_and_nothing_half ($cut_ok of $points)" \
    '(( points > 0 && cut_ok == points ))'
finish
