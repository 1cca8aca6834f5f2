#!/bin/bash
# The SPI and I2C buses on the lm3s6965evb under QEMU, with QEMU's own
# devices on its command line: a TMP105 at 0x48, an AT24C32 EEPROM at
# 0x50 (backed by a file), a DS1338 clock at 0x68 on I2C0, an SD card on
# SSI0 (PD0 its select). The image (vmux-buses-test.elf: the board, with
# the SD card given to buses-a) runs the two sensors (the temperature
# each second; sensor-a's start count in the EEPROM only it is given)
# and the test app under two names (tests/qemu/apps/buses).
#   - the temperature the processes read is what the test sets on the
#     TMP105 through QEMU's machine protocol (qom-set), and both sensors
#     read the same value in the same second; so does the kernel's
#     thermo client, with the DS1338's date
#   - buses-a talks to the SD card (CMD0 answers 0x01, in one transfer
#     and as a held transaction of two, one turn), and is refused the
#     OLED, the EEPROM and an empty address (RESERVE, as for a device
#     that is there); buses-b is refused the SD card, a transfer and the
#     TMP105; sensor-b is refused the EEPROM
#   - the management channel's "buses": each client and its tally, the
#     turns, the refusals, one reading shared
#   - the EEPROM's record outlives QEMU: a second run counts start 2
#   - a third run without the TMP105: its readers get NOACK (QEMU's
#     controller answers nothing at all for a missing device: the driver
#     pends its own interrupt), and only they: the EEPROM and the clock
#     go on (start 3, the clock's date)
# Every step waits for the line that says the last one happened, never
# for a time. Runs under -icount; QMP's quit ends each run.
. "$(dirname "$0")/lm3s6965evb.bash"

eeprom=$(new_tmp)
sd=$(new_tmp)
truncate -s 4096 "$eeprom"   # an AT24C32, erased to zeroes here
truncate -s 1M "$sd"         # QEMU wants a power of two
devices=(-device tmp105,address=0x48,id=tmp105
         -drive "if=none,id=eeprom,format=raw,file=$eeprom"
         -device at24c-eeprom,address=0x50,rom-size=4096,drive=eeprom
         -device ds1338,address=0x68
         -drive "if=sd,format=raw,file=$sd")

qmp=$(mktemp -u)
keyboard=$(mktemp -u)
mkfifo "$qmp.in" "$qmp.out" "$keyboard"
tmp_files+=("$qmp.in" "$qmp.out" "$keyboard")
typed() { cat "$keyboard"; }

gave_up=
give_up() { echo "(gave up: $1)"; gave_up=1; return 1; }
# One QMP command; its answer (the "return" or "error" line) in $reply.
qmp() {
    reply=
    [[ -z $gave_up ]] || return 1
    echo "$1" >&5
    while read -t 30 -r reply <&6; do
        [[ $reply == *'"return"'* || $reply == *'"error"'* ]] && return 0
    done
    give_up "no answer to $1"
}
# Wait (at most 60 s, while QEMU runs) for a line of the board's output.
wait_for() {
    local tries=0
    until grep -aqE "$1" "$out"; do
        [[ -z $gave_up ]] || return 1
        ((tries++ < 600)) && kill -0 "$board_pid" 2>/dev/null || give_up "waiting for $1"
        sleep 0.1
    done
}
temperature() { # millidegrees
    qmp "{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/tmp105\",\"property\":\"temperature\",\"value\":$1}}"
}
start() {
    gave_up=
    board_start "$images/vmux-buses-test.elf" typed -nic none -icount shift=4 \
        -chardev "pipe,id=qmp,path=$qmp" -mon chardev=qmp,mode=control "${devices[@]}" \
        -device "loader,file=$images/apps-buses.bin,addr=0x10000"
    exec 5<>"$qmp.in" 6<>"$qmp.out" 7<>"$keyboard"
    read -t 30 -r greeting <&6
    qmp '{"execute":"qmp_capabilities"}'
}
stop() {
    qmp '{"execute":"quit"}'
    exec 5>&- 6<&- 7>&-
    board_wait
}
# The second at which both sensors read temperature $1 (empty if none).
same_second() {
    local s
    for s in $(grep -aoE "^sensor-a: second [0-9]+: temperature $1 C" "$out" | awk '{print $3}' |
               tr -d :); do
        grep -aqE "^sensor-b: second $s: temperature $1 C" "$out" && { echo "$s"; return; }
    done
}

# ---------------------------------------------------------------- run 1
start
check qmp_answers '[[ $reply == *return* ]]'
wait_for '^buses-a: done' && wait_for '^buses-b: done'
wait_for '^sensor-a: config: start'
wait_for '^sensor-b: second [0-9]+: temperature 0\.00 C'   # the TMP105 at reset
temperature 23250
wait_for '^sensor-a: second [0-9]+: temperature 23\.25 C' &&
    wait_for '^sensor-b: second [0-9]+: temperature 23\.25 C'
wait_for '^thermo: 23\.25 C, '
temperature -5500
wait_for '^sensor-a: second [0-9]+: temperature -5\.50 C' &&
    wait_for '^sensor-b: second [0-9]+: temperature -5\.50 C'
qmp '{"execute":"qom-get","arguments":{"path":"/machine/peripheral/tmp105","property":"temperature"}}'
read_back=$reply
echo "@mgmt buses" >&7
wait_for '^mgmt: tmp105: readings'
stop
first_out=$out

check exits_qemu_with_status_0 '[[ $status == 0 ]]'
check qom_get_reads_the_value_set '[[ $read_back == *-5500* ]]'
check both_sensors_read_23_25_in_the_same_second '[[ -n $(same_second 23\\.25) ]]'
check both_sensors_read_minus_5_50_in_the_same_second '[[ -n $(same_second -5\\.50) ]]'
expect kernel_reads_the_temperature_and_the_clock \
    '^thermo: 23\.25 C, 20[0-9]{2}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]$'
expect_not no_temperature_failed '^sensor-[ab]: second [0-9]+: temperature: '
expect sd_card_answers_cmd0 '^buses-a: sd: CMD0 answers 0x01$'
expect sd_card_answers_a_held_cmd0 '^buses-a: sd: held CMD0 answers 0x01$'
expect oled_refused_to_a_process '^buses-a: spi select the OLED: RESERVE$'
expect eeprom_refused_to_another_process '^buses-a: i2c read the EEPROM: RESERVE$'
expect empty_address_refused_as_any_other '^buses-a: i2c read 0x22: RESERVE$'
expect sd_card_refused_to_another_process '^buses-b: spi select the SD card: RESERVE$'
expect spi_transfer_refused_without_a_chip '^buses-b: spi transfer: RESERVE$'
expect sensor_refused_to_processes_on_i2c '^buses-b: i2c read the TMP105: RESERVE$'
expect eeprom_refused_to_sensor_b '^sensor-b: config: no EEPROM for me: RESERVE$'
expect sensor_a_counts_its_first_start '^sensor-a: config: start 1, counted in the EEPROM$'
# buses-a's three transfers in two turns: the held pair is one
expect buses_shows_the_sd_card_client \
    '^mgmt: spi buses-a on sd, transfers: taken 3, delivered 3, failed 0, refused 0, departed 0, in flight 0$'
expect held_transaction_is_one_turn '^mgmt: spi mux: turns 2, timeouts 0, held turns cut 0, spurious 0; refused to processes 3$'
expect buses_shows_the_eeprom_client '^mgmt: i2c sensor-a at 0x50, transactions: taken 2, delivered 2, failed 0'
expect i2c_refusals_counted '^mgmt: i2c mux: turns [0-9]+, timeouts 0, held turns cut 0, spurious 0; refused to processes 4$'
expect i2c_nothing_in_flight '^mgmt: i2c, transactions: taken ([0-9]+), delivered \1, failed 0, refused 0, departed 0, in flight 0$'
expect tmp105_readings_counted '^mgmt: tmp105: readings [1-9][0-9]*, shared [0-9]+, errors 0$'
expect_not no_process_faulted 'faulted'

# ---------------------------------------------------------------- run 2
start
wait_for '^sensor-a: config: start'
stop
expect eeprom_record_outlives_the_board '^sensor-a: config: start 2, counted in the EEPROM$'

# ---------------------------------------------------------------- run 3
devices=("${devices[@]:2}")   # no TMP105
start
wait_for '^sensor-b: second [0-9]+: temperature: ' && wait_for '^thermo: '
wait_for '^sensor-a: config: start'
stop
expect missing_sensor_nacks_its_readers '^sensor-b: second [0-9]+: temperature: NOACK$'
expect missing_sensor_nacks_the_kernel_reader '^thermo: \?, 20[0-9]{2}-'
expect others_go_on_beside_a_missing_device '^sensor-a: config: start 3, counted in the EEPROM$'
expect_not no_timeouts_for_a_missing_device 'FAIL'
[[ $fail -eq 0 ]] || { echo "--- first run:"; cat "$first_out"; }
finish
