#!/bin/bash
# Typing to the demo's clients on the lm3s6965evb under QEMU, as a user of
# `make run BOARD=lm3s6965evb` does: the test board image (vmux-test.elf,
# with the management channel, ended by "@test exit") and the demo's apps
# (apps-demo.bin). "@crypto_app TEXT" reaches crypto_app's console only,
# and the process answers with the line's AES-128-CTR; "@mgmt bogus" is
# named as an unknown command before the list of commands; "@nosuch hi"
# is answered by vmuxterm with the client's name alone. Every step waits
# for the line that shows the last one happened (lm3s6965evb.bash).
. "$(dirname "$0")/lm3s6965evb.bash"

board_start_talking "$images/vmux-test.elf" -nic none \
    -device "loader,file=$images/apps-demo.bin,addr=0x10000"
wait_for '^crypto_app: type a line to encrypt it' &&
    say "@crypto_app attack at noon" &&
    wait_for '^crypto_app: AES-128-CTR\("attack at noon"\)' &&
    say "@mgmt bogus" && wait_for '^mgmt: commands: ' &&
    say "@nosuch hi" && say "@mgmt ps" && wait_for '^mgmt: [0-9]+ crypto_app '
board_end

check exits_qemu_with_status_0 '[[ $status == 0 ]]'
# NIST SP 800-38A's example key and crypto_app's counter; openssl
# enc -aes-128-ctr agrees
expect typed_line_reaches_its_client_which_answers \
    '^crypto_app: AES-128-CTR\("attack at noon"\) = 8df8ab12fb0b5cd186f2781a85f0$'
check client_releases_its_slot_after_each_line \
    '[[ $(grep -ac "^crypto_app: released the slot: SUCCESS" "$out") == 2 ]]'
expect_not confidentiality_console_input_reaches_only_its_client '^(sensor-.|udp_echo|policy_probe): .*noon'
check mgmt_names_the_unknown_command_before_its_help \
    'grep -aA1 "^mgmt: unknown command: bogus$" "$out" | grep -q "^mgmt: commands: "'
expect vmuxterm_names_the_unknown_client '^vmuxterm: no client named nosuch \('
expect_not unknown_client_named_without_the_text 'nosuch hi'
expect_not no_process_faulted 'faulted'
finish
