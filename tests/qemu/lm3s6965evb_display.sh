#!/bin/bash
# The display on the lm3s6965evb under QEMU, by picture: QEMU's SSD0323
# OLED on SSI0, driven by capsules/ssd0323.h over the SPI mux and shared
# in windows (boards/common/display.h), captured with QMP's screendump
# (512 x 256: QEMU draws each pixel 4 x 4) and compared pixel by pixel.
#
# The image is vmux-display.elf (the board with VMUX_DISPLAY); the apps
# the picture test's: the painter under the two sensors' names, the
# flooder under udp_echo's (userland/apps/painter, flooder; the host
# board's test, tests/check/host_board_screen.sh, runs the same). After
# the painters are done: each painter's window shows its pattern in
# window coordinates, crypto_app's window nobody draws in is black, the flooder's holds only
# its greys, the strip only the kernel's, every attempt outside a window
# was refused, and the painters' updates went on beside the flooder.
# Runs under -icount; waits for the board's lines, never for a time;
# QMP's quit ends it.
. "$(dirname "$0")/lm3s6965evb.bash"

qmp=$(mktemp -u)
keyboard=$(mktemp -u)
shot=$(new_tmp)
mkfifo "$qmp.in" "$qmp.out" "$keyboard"
tmp_files+=("$qmp.in" "$qmp.out" "$keyboard")
typed() { cat "$keyboard"; }

gave_up=
give_up() { echo "(gave up: $1)"; gave_up=1; return 1; }
qmp() { # one QMP command; its answer in $reply
    reply=
    [[ -z $gave_up ]] || return 1
    echo "$1" >&5
    while read -t 30 -r reply <&6; do
        [[ $reply == *'"return"'* || $reply == *'"error"'* ]] && return 0
    done
    give_up "no answer to $1"
}

board_start "$images/vmux-display.elf" typed -nic none -icount "$QEMU_ICOUNT,sleep=on" \
    -chardev "pipe,id=qmp,path=$qmp" -mon chardev=qmp,mode=control \
    -device "loader,file=$images/apps-display.bin,addr=0x10000"
exec 5<>"$qmp.in" 6<>"$qmp.out" 7<>"$keyboard"
read -t 30 -r greeting <&6
qmp '{"execute":"qmp_capabilities"}'

wait_for '^sensor-a: [0-9]+ updates, the longest took' &&
    wait_for '^sensor-b: [0-9]+ updates, the longest took' &&
    wait_for '^udp_echo: [0-9]+00 rounds'
qmp "{\"execute\":\"screendump\",\"arguments\":{\"filename\":\"$shot\"}}"
qmp '{"execute":"quit"}'
exec 5>&- 6<&- 7>&-
board_wait

# The picture as 64 lines of 128 hex digits (a pixel's grey), from the
# PPM: its header, then rows of 512 RGB pixels; a pixel of the OLED is a
# 4 x 4 block, read at its second row and column.
rows=$(tail -c $((512 * 256 * 3)) "$shot" | od -An -v -tu1 -w1536 |
    awk 'NR % 4 == 2 { s = ""; for (x = 0; x < 128; x++) s = s sprintf("%x", int($(12 * x + 4) / 17)); print s }')
row() { sed -n "$(($1 + 1))p" <<<"$rows"; }
window() { for ((r = $2; r < $2 + $4; r++)); do row "$r" | cut -c$(($1 + 1))-$(($1 + $3)); done; }
pattern=$(for ((y = 0; y < 18; y++)); do
    for ((x = 0; x < 64; x++)); do printf '%x' $(((x + y) % 16)); done; echo; done)

check screendump_is_512x256 '[[ $(head -c 15 "$shot" | tr "\n" " ") == "P6 512 256 255 " ]]'
check picture_has_64_rows '[[ $(wc -l <<<"$rows") -eq 64 ]]'
expect painters_refused_every_outside_attempt_a '^sensor-a: pattern drawn in 64x28; 9 of 9 outside attempts refused'
expect painters_refused_every_outside_attempt_b '^sensor-b: pattern drawn in 64x28; 9 of 9 outside attempts refused'
check window_sensor_a_shows_its_pattern_in_window_coordinates '[[ $(window 0 8 64 18) == "$pattern" ]]'
check window_sensor_b_shows_its_pattern_in_window_coordinates '[[ $(window 64 8 64 18) == "$pattern" ]]'
check painter_drew_its_count '[[ -n $(window 0 26 64 10 | tr -d "0\n") ]]'
check window_nobody_draws_in_stays_black '[[ -z $(window 64 36 64 28 | tr -d "0\n") ]]'
check flooders_window_holds_only_its_greys '[[ -z $(window 0 36 64 28 | tr -d "12\n") ]]'
check status_strip_holds_only_the_kernels_greys '[[ -z $(window 0 0 128 8 | tr -d "0fc3\n") ]]'
check status_strip_shows_the_uptime '[[ -n $(window 0 1 24 5 | tr -d "0\n") ]]'
for p in sensor-a sensor-b; do
    us=$(grep -aE "^$p: 20 updates, the longest took [0-9]+ us" "$out" | grep -oE '[0-9]+ us' | grep -oE '[0-9]+')
    check "flooder_does_not_stop_${p}_updating (${us:-no} us)" '[[ -n $us && $us -le 50000 ]]'
done
expect_not no_process_faulted 'faulted'
finish
