#!/bin/bash
# Tests by picture on the host board: the screen shared in windows
# (boards/common/display.h), checked pixel by pixel from what the board
# shows ("screen" on the management channel, a hex digit a pixel) and
# from its PNG ("screen FILE").
#
# Two painters (userland/apps/painter) run under the names of the two
# sensor windows and draw the same pattern in window coordinates, then
# try every way out of their windows; a flooder (userland/apps/flooder)
# redraws the udp_echo window without a pause; crypto_app's window has
# nobody. After the script: each painter's window shows the pattern,
# exactly, wherever the window is; the empty window is black; the
# flooder's holds only its greys; the kernel's strip only its own; every
# outside attempt was refused and counted; and the painters' updates
# went on beside the flooder, the longest within a bound of turns.
#
# The board runs on its virtual clock; the script waits for lines of
# output (events), never for a time.
set -u
source "$(dirname "$0")/../host_board.bash"
png=$(host_tmp .png)

board_exec --app "$apps/painter.so@sensor-a" --app "$apps/painter.so@sensor-b" \
    --app "$apps/flooder.so@udp_echo"

wait_for '^sensor-a: [0-9]+ updates, the longest took' &&
    wait_for '^sensor-b: [0-9]+ updates, the longest took' &&
    wait_for '^udp_echo: [0-9]+00 rounds' 2 &&
    say "@mgmt screen" && wait_for '^mgmt: screen row 63: ' &&
    say "screen $png" && wait_for '^mgmt: screen: .* written'
board_end

awaited
# the picture: row y is line y (0..63), a hex digit a pixel
rows=$(grep -aE '^mgmt: screen row [0-9]{2}: [0-9a-f]{128}$' "$out" | tail -64 | sed 's/.*: //')
row() { sed -n "$(($1 + 1))p" <<<"$rows"; }
# the pixels of window (x, y, w, h), one line per row
window() { for ((r = $2; r < $2 + $4; r++)); do row "$r" | cut -c$(($1 + 1))-$(($1 + $3)); done; }
# the painter's pattern in its top 18 rows: grey (x + y) % 16
pattern=$(for ((y = 0; y < 18; y++)); do
    for ((x = 0; x < 64; x++)); do printf '%x' $(((x + y) % 16)); done; echo; done)

if [[ $(wc -l <<<"$rows") -eq 64 ]]; then ok picture_has_64_rows; else bad picture_has_64_rows; fi
expect painters_refused_every_outside_attempt_a '^sensor-a: pattern drawn in 64x28; 9 of 9 outside attempts refused'
expect painters_refused_every_outside_attempt_b '^sensor-b: pattern drawn in 64x28; 9 of 9 outside attempts refused'
if [[ $(window 0 8 64 18) == "$pattern" ]]; then ok window_sensor_a_shows_its_pattern_in_window_coordinates;
else bad window_sensor_a_shows_its_pattern_in_window_coordinates; fi
if [[ $(window 64 8 64 18) == "$pattern" ]]; then ok window_sensor_b_shows_its_pattern_in_window_coordinates;
else bad window_sensor_b_shows_its_pattern_in_window_coordinates; fi
# the painters' last update, 20, below their pattern (digits from x 2)
a_count=$(window 0 26 64 10 | tr -d '0\n' | wc -c)
if [[ $a_count -gt 0 ]]; then ok painter_drew_its_count; else bad painter_drew_its_count; fi
if [[ $(window 64 36 64 28 | tr -d '0\n') == "" ]]; then ok window_nobody_draws_in_stays_black;
else bad window_nobody_draws_in_stays_black; fi
if [[ $(window 0 36 64 28 | tr -d '12\n') == "" ]]; then ok flooders_window_holds_only_its_greys;
else bad flooders_window_holds_only_its_greys; fi
if [[ $(window 0 0 128 8 | tr -d '0fc3\n') == "" ]]; then ok status_strip_holds_only_the_kernels_greys;
else bad status_strip_holds_only_the_kernels_greys; fi
if [[ $(window 0 1 24 5 | tr -d '0\n') != "" ]]; then ok status_strip_shows_the_uptime;
else bad status_strip_shows_the_uptime; fi
# outside: 8 frames of each painter, and one of the flooder's per round;
# too long: one write of each painter
outside=$(grep -aoE 'refused: outside [0-9]+' "$out" | tail -1 | grep -oE '[0-9]+$')
size=$(grep -aoE ', size [0-9]+' "$out" | tail -1 | grep -oE '[0-9]+$')
if [[ ${outside:-0} -ge 116 && ${size:-0} -eq 2 ]]; then ok outside_attempts_counted;
else bad "outside_attempts_counted (outside ${outside:-none}, size ${size:-none})"; fi
# the painters were served beside the flooder: each update (a frame and
# a 4-digit number: 2 requests, a chunk each) within 10 ms of virtual time
for p in sensor-a sensor-b; do
    us=$(grep -aE "^$p: 20 updates, the longest took [0-9]+ us" "$out" | grep -oE '[0-9]+ us' | grep -oE '[0-9]+')
    if [[ -n $us && $us -le 10000 ]]; then ok "flooder_does_not_stop_${p}_updating (${us} us)";
    else bad "flooder_does_not_stop_${p}_updating (${us:-no} us)"; fi
done
# the PNG: signature, 512 x 256, 8-bit grey
head=$(od -An -tx1 -N26 "$png" | tr -d ' \n')
if [[ $head == 89504e470d0a1a0a0000000d4948445200000200000001000800* ]]; then ok png_written_512x256_grey;
else bad "png_written_512x256_grey ($head)"; fi
report
