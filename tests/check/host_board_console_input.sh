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
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
term="$root/$build/release/vmuxterm"
vmux="$root/$build/release/vmux"
apps="$root/$build/release/apps"
out=$(mktemp)
log=$(mktemp)
key=$(mktemp)
typed=$(mktemp -u)
mkfifo "$typed"
trap 'rm -f "$out" "$log" "$key" "$typed"' EXIT
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$key"

source "$root/tests/events.bash"

# The board runs until the script ends it, on its virtual clock.
"$vmux" --uart pty --clock virtual --mgmt-key "$key" --app "$apps/sensor.so@sensor-a" \
    --app "$apps/crypto_app.so" 2>"$log" &
board=$! watch_pid=$!
pass=0; fail=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
bad() { echo "[  FAILED  ] $1"; fail=$((fail + 1)); }
# Each step waits for a line of the terminal's output (wait_for,
# tests/events.bash: once one is missing, none waits again).
out=$log wait_for '/dev/pts/[0-9]+'
pty=$(grep -o '/dev/pts/[0-9]*' "$log" | head -1)
timeout "$BOUND_S" "$term" --plain --key "$key" "$pty" <"$typed" >"$out" 2>&1 &
exec 7>"$typed"

wait_for '^crypto_app: type a line to encrypt it'
echo "@crypto_app attack at noon" >&7
wait_for '^crypto_app: AES-128-CTR\("attack at noon"\)'
echo "@mgmt bogus" >&7
wait_for '^mgmt: commands: '
echo "@nosuch hi" >&7
echo "@mgmt ps" >&7
wait_for '^mgmt: [0-9]+ crypto_app '
exec 7>&-
kill "$board" 2>/dev/null
wait
[[ ${#missing[@]} -eq 0 ]] || bad "every_awaited_line_came (none within ${BOUND_S} s: ${missing[*]})"

expect() { # name pattern
    if grep -qE "$2" "$out"; then ok "$1"; else bad "$1 (no line matching: $2)"; fi
}
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
[[ $fail -eq 0 ]] || { echo "--- terminal output:"; cat "$out"; }
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
