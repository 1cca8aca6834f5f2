#!/bin/bash
# Typing to the demo's clients on the host board, as a user of `make run`
# does in vmuxterm: "@crypto_app TEXT" reaches crypto_app's console only,
# and crypto_app answers with the line's AES-128-CTR; "@mgmt bogus" is
# named as an unknown command before the list of commands (vmuxterm
# authenticates it with the key both were given); "@nosuch hi" is
# answered by vmuxterm with the client's name alone. The other demo
# clients (the sensors) hear nothing of it. Each step waits for the line
# that shows the last one happened, never for a time.
set -u
source "$(dirname "$0")/../host_board.bash"

# The board runs until the script ends it.
board_pty --app "$apps/sensor.so@sensor-a" --app "$apps/crypto_app.so"

wait_for '^crypto_app: type a line to encrypt it'
say "@crypto_app attack at noon"
wait_for '^crypto_app: AES-128-CTR\("attack at noon"\)'
say "@mgmt bogus"
wait_for '^mgmt: commands: '
say "@nosuch hi"
say "@mgmt ps"
wait_for '^mgmt: [0-9]+ crypto_app '
board_end
awaited
# AES-128-CTR of "attack at noon" under crypto_app's key and counter
# (NIST SP 800-38A's example key; openssl enc -aes-128-ctr agrees)
expect typed_line_reaches_its_client_which_answers \
    '^crypto_app: AES-128-CTR\("attack at noon"\) = 8df8ab12fb0b5cd186f2781a85f0$'
expect client_releases_its_slot_after_each_line '^crypto_app: released the slot: SUCCESS'
if grep -q '^sensor-a: .*noon' "$out"; then bad confidentiality_console_input_reaches_only_its_client;
else ok confidentiality_console_input_reaches_only_its_client; fi
if grep -A1 -E '^mgmt: unknown command: bogus$' "$out" | grep -qE '^mgmt: commands: '; then
    ok mgmt_names_the_unknown_command_before_its_help
else
    bad mgmt_names_the_unknown_command_before_its_help
fi
expect vmuxterm_names_the_unknown_client '^vmuxterm: no client named nosuch \('
if grep -q 'nosuch hi' "$out"; then bad unknown_client_named_without_the_text;
else ok unknown_client_named_without_the_text; fi
report
