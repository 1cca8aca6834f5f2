#!/bin/bash
# The host board's pins end to end: two instances of the buttons app
# (userland/apps/buttons) listen to every button; buttons are pressed
# from the management channel ("press NAME", typed into vmuxterm as
# "@mgmt press up", which vmuxterm authenticates with the key both were
# given: a press changes what processes see). Both instances hear a press; only one of them holds
# LED 0 (the first to use it) and toggles it, the other is refused
# (RESERVE, counted); "pins" shows the LED lit, its holder and the
# counters; once the
# holder is stopped the LED is off and free, and a press reaches only the
# instance still running. Each step waits for the line that shows the
# last one happened (the simulated press is never merged into its
# release, chips/sim/sim_gpio.h), never for a time.
set -u
source "$(dirname "$0")/../host_board.bash"

# The board runs until the script ends it.
board_pty --app "$apps/buttons.so@buttons-a" --app "$apps/buttons.so@buttons-b"

wait_for '^buttons-a: listening to 5 buttons' && wait_for '^buttons-b: listening to 5 buttons'
holder=$(grep -oE '^buttons-[ab]: led 0: SUCCESS' "$out" | cut -d: -f1)
other=buttons-a
[[ $holder == buttons-a ]] && other=buttons-b
say "@mgmt press up"
wait_for '^buttons-a: button 0 released' && wait_for '^buttons-b: button 0 released'
wait_for "^$holder: led 0 toggled"
say "@mgmt pins"
wait_for '^mgmt: pins: '
say "stop $holder"
wait_for "^mgmt: stop $holder: SUCCESS"
say "press down"
wait_for "^$other: button 1 released"
say "pins"
wait_for "^mgmt: led 0 led0: 0, free"
say "press nothing"
wait_for '^mgmt: no button named nothing'
board_end
awaited
if [[ -n $holder && $(count "^$other: led 0: RESERVE") == 1 ]]; then
    ok led_held_by_one_instance_the_other_refused
else
    bad led_held_by_one_instance_the_other_refused
fi
expect press_reaches_a '^buttons-a: button 0 pressed$'
expect press_reaches_b '^buttons-b: button 0 pressed$'
expect holder_toggles_the_led "^$holder: led 0 toggled: SUCCESS"
expect pins_show_the_led_lit_by_its_holder "^mgmt: led 0 led0: 1, $holder$"
expect pins_show_led1_is_blinks "^mgmt: led 1 led1: 0, free, only for blink$"
expect pins_count_the_refusal '^mgmt: pins: leds refused 1; buttons edges [0-9]+, merged 0, upcalls [0-9]+, dropped 0'
expect stopped_holder_frees_the_led '^mgmt: led 0 led0: 0, free$'
expect press_reaches_the_running_instance "^$other: button 1 pressed$"
if [[ $(count "^$holder: button 1") == 0 ]]; then ok stopped_instance_hears_nothing;
else bad stopped_instance_hears_nothing; fi
expect unknown_button_named '^mgmt: no button named nothing'
report
