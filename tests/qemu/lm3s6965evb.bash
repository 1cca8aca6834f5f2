# Sourced by tests/qemu/*.sh: run a vmux image for the lm3s6965evb under
# QEMU, UART0 decoded by vmuxterm --plain, and check what came out.
#
# Determinism. The board's time must not depend on the host's speed, so
# every run uses -icount (QEMU_ICOUNT: time is instructions, 16 ns each):
#   - a test that only watches runs with sleep=off: when the board idles,
#     its clock jumps to its next timer, so the whole run, to its fixed
#     end (the image's exit after VMUX_TEST_EXIT_MS), is the same on any
#     host however loaded (board_run);
#   - a test that talks to the board (typed lines, datagrams) cannot:
#     sleep=off would run the board's clock far ahead of the host's, to
#     its end before the first datagram. It runs with sleep=on (an idle
#     board's clock follows the host's), waits for the board's answer
#     before each next step, and ends the board itself ("@test exit":
#     the image runs with the semihosting argument test-exit=command and
#     has no fixed end): board_start_talking, wait_for, say, board_end.
#     Only the host's inputs land at times that vary; every check is
#     about what the board answered, never about when.
#
#   board_run IMAGE FEED [QEMU ARGS...]    (or board_start, then board_wait)
#       Runs QEMU (hard timeout BOUND_S, 120 s) until the image ends it
#       through semihosting. FEED is a command whose output is typed into
#       vmuxterm, which has the image's management key (it answers the
#       board's challenges for commands that change anything). Sets $out (vmuxterm's output, QEMU's stderr included:
#       panic reports arrive there too) and $status (QEMU's exit status;
#       124 on timeout).
#   board_start_talking IMAGE [QEMU ARGS...]
#       Starts it with sleep=on and no fixed end; type with say.
#   wait_for REGEX [COUNT]  until COUNT (1) lines of $out match; false
#                           (and counted as a failure) after BOUND_S, or
#                           once the board is gone (tests/events.bash)
#   say LINE                type LINE into vmuxterm ("@mgmt ps")
#   board_end               "@test exit", then board_wait
#   expect NAME REGEX       a line of $out matches (grep -E)
#   expect_not NAME REGEX   no line does
#   check NAME CONDITION    a bash condition ([[ ... ]]) holds
#   finish                  prints "N passed, N failed", exit status
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-build}
[[ $build == /* ]] || build="$root/$build"
term="$build/release/vmuxterm"
images="$build/lm3s6965evb"
pass=0
fail=0
tmp_files=()
trap 'rm -f "${tmp_files[@]}"' EXIT

new_tmp() {
    local f
    f=$(mktemp)
    tmp_files+=("$f")
    echo "$f"
}

source "$root/tests/events.bash"   # wait_for, udp_ask, BOUND_S
QEMU_ICOUNT=${QEMU_ICOUNT:-shift=4}
semihosting=enable=on,target=native

board_start() { # image feed qemu-args...
    local image=$1 feed=$2
    shift 2
    out=$(new_tmp)
    STATUS_FILE=$(new_tmp)
    export STATUS_FILE semihosting
    echo 124 >"$STATUS_FILE"
    # fd 4 (the typing end, when talking) stays with the script only, so
    # that closing it ends the feed
    $feed 4>&- | timeout "$BOUND_S" "$term" --plain --key "$images/mgmt.key" --exec bash -c \
        'qemu-system-arm -M lm3s6965evb -nographic -monitor none -serial stdio \
             -semihosting-config "$semihosting" -kernel "$@"
         echo $? >"$STATUS_FILE"' qemu "$image" "$@" >"$out" 2>&1 4>&- &
    board_pid=$! watch_pid=$!
}

board_wait() {
    wait "$board_pid"
    status=$(cat "$STATUS_FILE")
}

board_run() { # image feed qemu-args...
    local image=$1 feed=$2
    shift 2
    board_start "$image" "$feed" -icount "$QEMU_ICOUNT,sleep=off" "$@"
    board_wait
}

# The typing end of vmuxterm's input, held open for the whole run.
typing_feed() { cat "$typing"; }

board_start_talking() { # image qemu-args...
    local image=$1
    shift
    typing=$(new_tmp)
    rm -f "$typing"
    mkfifo "$typing"
    exec 4<>"$typing"
    semihosting=enable=on,target=native,arg=vmux,arg=test-exit=command \
        board_start "$image" typing_feed -icount "$QEMU_ICOUNT,sleep=on" "$@"
}

say() { echo "$1" >&4; }

board_end() {
    say "@test exit"
    exec 4>&- # the feed ends (the pipeline with it, once the board is done)
    board_wait
}

ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
not_ok() { echo "[  FAILED  ] $1${2:+ ($2)}"; fail=$((fail + 1)); }

expect() { # name regex
    if grep -aqE "$2" "$out"; then ok "$1"; else not_ok "$1" "no line matching: $2"; fi
}

expect_not() { # name regex
    if grep -aqE "$2" "$out"; then not_ok "$1" "a line matches: $2"; else ok "$1"; fi
}

check() { # name condition-string
    if eval "$2"; then ok "$1"; else not_ok "$1" "$2"; fi
}

finish() {
    if [[ ${#missing[@]} -ne 0 ]]; then
        not_ok every_awaited_line_came "none within ${BOUND_S} s: ${missing[*]}"
    fi
    [[ $fail -eq 0 ]] || { echo "--- board output:"; cat "$out"; }
    echo "$pass passed, $fail failed"
    [[ $fail -eq 0 ]]
}
