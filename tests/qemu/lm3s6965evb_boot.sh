#!/bin/bash
# The lm3s6965evb under QEMU, booting the test image on its own: the
# kernel banner on the kernel channel, the ticker's virtual alarm firing
# every 200 ms, never early, across the 32-bit counter wrap (the test
# image starts the counter 2 s before it), the crypto demo's ciphertext
# equal to the host board's (same portable engine), the ADC mux serving
# a sample and a buffered run, and the image ending QEMU itself with
# exit status 0 through semihosting.
. "$(dirname "$0")/lm3s6965evb.bash"

board_run "$images/vmux-test.elf" true -nic none
check exits_qemu_with_status_0 '[[ $status == 0 ]]'
expect board_says_hello 'board says hello \(protocol v1\)'
expect kernel_banner_on_kernel_channel '^kernel: vmux lm3s6965evb board up: uart mux, alarm mux, crypto mux \(4 key slots\), adc \(4 channels\)'
expect mgmt_channel_up '^mgmt: management channel'
expect crypto_same_ciphertext_as_host '^crypto: AES-128-CTR\("attack at dawn"\) = 7c135f33ed7ddc635d167d5816cf \(SUCCESS\)'
expect crypto_foreign_slot_refused '^crypto: using a slot I do not hold: refused with RESERVE'
expect adc_mux_serves_a_sample '^adc: channel 0: 51[2-9] \(SUCCESS\)'
expect adc_buffered_run '^adc: 8 samples of channel 0 at 1000 Hz:( 51[2-9]){8} \(SUCCESS\)'
expect test_summary '^test: exit after [0-9]+ ms: stack used [0-9]+ of 4096 bytes'
expect_not no_bad_frames 'bad frame'

# Ticks: about 19 in 4 s; each 200 ms (10M cycles at 50 MHz) or a little
# more after the previous one (under a second, however loaded the host),
# never less, including across the wrap.
mapfile -t counters < <(grep -aoE '^ticker: tick [0-9]+ \(counter 0x[0-9a-f]{8}\)' "$out" |
                        grep -oE '0x[0-9a-f]{8}')
check ticker_ticks '[[ ${#counters[@]} -ge 10 ]]'
early=0 late=0 wrapped=0
for ((i = 1; i < ${#counters[@]}; i++)); do
    d=$(( (counters[i] - counters[i - 1]) & 0xffffffff ))
    (( d < 10000000 )) && early=$((early + 1))
    (( d > 50000000 )) && late=$((late + 1))
    (( counters[i] < counters[i - 1] )) && wrapped=$((wrapped + 1))
done
check alarm_never_early '[[ $early -eq 0 ]]'
check alarm_not_late '[[ $late -eq 0 ]]'
check alarm_crossed_the_wrap '[[ $wrapped -eq 1 ]]'
finish
