#!/bin/bash
# LED 0x2, button 0x3 and GPIO 0x4 on the lm3s6965evb under QEMU: keys of
# the gamepad pressed through QEMU's machine protocol (QMP, on a pipe
# chardev) reach exactly the process that enabled that button; the LED
# (PF0) and a GPIO pin (PB0) change in the hardware, read back through
# QEMU's monitor; a second process is refused both (RESERVE).
#
# The apps (tests/qemu/apps/buttons): buttons-a takes the LED and GPIO
# pin 0 and listens to button 1 (down); buttons-b listens to button 0
# (up). Every step waits for the line that says the last one happened,
# never for a time: a key goes down only once both apps print that they
# listen, and comes up only once the app reported it. QEMU's gamepad
# leaves its lines low until each key's first press and release
# (chips/lm3s6965/gpio.h), so the test presses and releases every key
# before the apps listen, and checks the lines went high. QMP's
# input-send-event, unlike the monitor's sendkey (which presses and
# releases after a hold time), sends a press and a release as two steps;
# a last key goes through sendkey, as a user would press it.
# At the end the management channel's "pins" shows the LED lit, its
# holder, and the refusals counted. Runs under -icount on the board image
# (vmux.elf: the management channel too), which has no test-mode exit:
# the test ends QEMU with QMP's quit.
. "$(dirname "$0")/lm3s6965evb.bash"

qmp=$(mktemp -u)
keyboard=$(mktemp -u)
mkfifo "$qmp.in" "$qmp.out" "$keyboard"
tmp_files+=("$qmp.in" "$qmp.out" "$keyboard")
typed() { cat "$keyboard"; }

board_start "$images/vmux.elf" typed -nic none -icount shift=4 \
    -chardev "pipe,id=qmp,path=$qmp" -mon chardev=qmp,mode=control \
    -device "loader,file=$images/apps-buttons.bin,addr=0x10000"
exec 5<>"$qmp.in" 6<>"$qmp.out" 7<>"$keyboard"

# Once a wait fails (or QEMU is gone), the rest of the script only
# collects what happened: no more 30 s waits.
gave_up=
give_up() { echo "(gave up: $1)"; gave_up=1; return 1; }
# One QMP command; its answer (the "return" or "error" line) in $reply.
qmp() {
    reply=
    [[ -z $gave_up && ${#missing[@]} -eq 0 ]] || return 1
    echo "$1" >&5
    while read -t 30 -r reply <&6; do
        [[ $reply == *'"return"'* || $reply == *'"error"'* ]] && return 0
    done
    give_up "no answer to $1"
}
# Key qcode down (true) or up (false), as separate input events.
key() {
    local events= k
    for k in "${@:2}"; do
        events+="${events:+,}{\"type\":\"key\",\"data\":{\"down\":$1,\"key\":{\"type\":\"qcode\",\"data\":\"$k\"}}}"
    done
    qmp "{\"execute\":\"input-send-event\",\"arguments\":{\"events\":[$events]}}"
}
# The word at a physical address, from the monitor, as 0x........
word_at() {
    qmp "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"xp /1w $1\"}}"
    [[ $reply =~ (0x[0-9a-f]{8}) ]] && echo "${BASH_REMATCH[1]}"
}
# Lines of the board's output: wait_for (tests/events.bash), which stops
# waiting once one line is missing, as qmp does once an answer is.
# PF0 (the LED) and PB0 (GPIO pin 0): DATA with only that bit in the mask.
LED=0x40025004
PB0=0x40005004
PORT_E=0x400243fc
PF1=0x40025008

read -t 30 -r greeting <&6
qmp '{"execute":"qmp_capabilities"}'
check qmp_answers '[[ $reply == *return* ]]'
wait_for '^buttons-a: ready' && wait_for '^buttons-b: ready'
# the gamepad's lines to their idle (high) level: no app listens yet
before=$(word_at $PORT_E)
key true up down left right ctrl && key false up down left right ctrl
check gamepad_lines_start_low_in_qemu '[[ $before == 0x00000000 ]]'
check gamepad_lines_idle_high_after_a_press '[[ $(word_at $PORT_E) == 0x0000000f && $(word_at $PF1) == 0x00000002 ]]'
echo "@buttons-a go" >&7
echo "@buttons-b go" >&7
wait_for '^buttons-a: listening' && wait_for '^buttons-b: listening'
led_before=$(word_at $LED)
pb0=$(word_at $PB0)

key true down
wait_for '^buttons-a: led toggled'
led_pressed=$(word_at $LED)
key false down
wait_for '^buttons-a: button 1 released'
key true up
wait_for '^buttons-b: gpio 0 set'
key false up
wait_for '^buttons-b: button 0 released'
led_after=$(word_at $LED)
# the monitor's sendkey: a press and a release (which -icount may run
# into one instant: the button driver reports both, button_driver.h)
qmp '{"execute":"human-monitor-command","arguments":{"command-line":"sendkey down"}}'
wait_for '^buttons-a: button 1 released' 2
led_final=$(word_at $LED)
echo "@mgmt pins" >&7
wait_for '^mgmt: pins: '
qmp '{"execute":"quit"}'
exec 5>&- 6<&- 7>&-
board_wait

check exits_qemu_with_status_0 '[[ $status == 0 ]]'
expect a_takes_the_led '^buttons-a: led off: SUCCESS'
expect a_takes_gpio_pin_0 '^buttons-a: gpio 0 set: SUCCESS'
expect a_enables_button_1 '^buttons-a: enable button 1: SUCCESS'
expect b_enables_button_0 '^buttons-b: enable button 0: SUCCESS'
check led_starts_off '[[ $led_before == 0x00000000 ]]'
check gpio_pin_0_driven_high '[[ $pb0 == 0x00000001 ]]'
expect press_reaches_a '^buttons-a: button 1 pressed$'
expect release_reaches_a '^buttons-a: button 1 released$'
expect press_reaches_b '^buttons-b: button 0 pressed$'
expect release_reaches_b '^buttons-b: button 0 released$'
check sendkey_press_and_release_reach_a '[[ $(grep -ac "^buttons-a: button 1 pressed$" "$out") == 2 ]]'
check a_hears_only_button_1 '[[ $(grep -ac "^buttons-a: button" "$out") == 4 ]]'
check b_hears_only_button_0 '[[ $(grep -ac "^buttons-b: button" "$out") == 2 ]]'
expect led_toggled_by_its_holder '^buttons-a: led toggled: SUCCESS'
check led_lit_after_the_press '[[ $led_pressed == 0x00000001 && $led_after == 0x00000001 ]]'
check led_off_after_the_second_press '[[ $led_final == 0x00000000 ]]'
expect led_refused_to_another_process '^buttons-b: led toggle: RESERVE'
expect gpio_pin_refused_to_another_process '^buttons-b: gpio 0 set: RESERVE'
expect pins_show_the_led_and_its_holder '^mgmt: led 0 led: 0, buttons-a$'
expect pins_show_the_gpio_pins_holder '^mgmt: gpio 0 pb0: 1, buttons-a$'
expect pins_show_the_buttons '^mgmt: button 4 select: 0, shared$'
expect pins_count_refusals_and_merges '^mgmt: pins: leds refused 1; buttons edges [0-9]+, merged [0-9]+, upcalls 6, dropped 0, refused 0; gpio edges 0, upcalls 0, dropped 0, refused 1$'
expect_not no_process_faulted 'faulted'
finish
