#!/bin/bash
# vmuxterm's own commands and exit status (tools/vmuxterm/main.c): --help
# and "/help" list what a user may type; "@NAME text" for a client the
# board has not announced names the client only; a line starting with '/'
# that is no command is refused, not sent; with --exec, vmuxterm exits
# with the board's status when the board ends by itself (so `make run`
# fails when the board cannot start), and 0 when it stops the board.
# The board here is a shell that ends as soon as it gets its first byte,
# the frame "/query" sends: every typed line before it has been handled.
set -u
source "$(dirname "$0")/plant.bash"
build=${BUILD:-build}
term="$root/$build/release/vmuxterm"

help=$("$term" --help 2>&1)
result help_exits_0 0 $?
for entry in 'send_to_a_client:@NAME TEXT' 'query:/query' 'stats:/stats' 'help:/help' \
             'mgmt_help:@mgmt help'; do
    grep -qF -- "${entry#*:}" <<<"$help"
    result "usage_lists_${entry%%:*}" 0 $?
done
"$term" --no-such-option >/dev/null 2>&1
result bad_option_exits_2 2 $?

out=$(printf '/help\n@nosuch hi\n/bogus\n/query\n' |
      timeout 20 "$term" --plain --exec bash -c 'head -c 1 >/dev/null; exit 3' 2>&1)
status=$?
grep -qF '/stats        this end' <<<"$out"
result slash_help_lists_the_commands 0 $?
grep -qE '^vmuxterm: no client named nosuch \(' <<<"$out"
result unknown_client_is_named_alone 0 $?
grep -q 'nosuch hi' <<<"$out"
result unknown_client_message_has_no_text 1 $?
grep -qF 'unknown command /bogus' <<<"$out"
result unknown_slash_command_refused 0 $?
result exits_with_the_boards_status 3 "$status"
grep -qE '^vmuxterm: bash ended with status 3$' <<<"$out"
result says_the_board_failed 0 $?

timeout 20 "$term" --plain --exec true </dev/null >/dev/null 2>&1
result board_ending_well_exits_0 0 $?
timeout 20 "$term" --plain --quit-after 0 --exec sleep 30 </dev/null >/dev/null 2>&1
result stopping_the_board_exits_0 0 $?
[ "$fail" -eq 0 ] || echo "$out"
summary
