# Sourced by tests/qemu/*.sh: run a vmux image for the lm3s6965evb under
# QEMU, UART0 decoded by vmuxterm --plain, and check what came out.
#
#   board_run IMAGE FEED [QEMU ARGS...]    (or board_start, then board_wait)
#       Runs QEMU (hard timeout 60 s) until the image ends it through
#       semihosting. FEED is a command whose output is typed into
#       vmuxterm ("@mgmt clients" lines), which has the image's management
#       key (it answers the board's challenges for commands that change
#       anything). Sets $out (vmuxterm's output,
#       QEMU's stderr included: panic reports arrive there too) and
#       $status (QEMU's exit status; 124 on timeout).
#   board_start_typed IMAGE [QEMU ARGS...]
#       The same for an image with no test-mode exit (vmux.elf), driven
#       step by step: QEMU's machine protocol on a pipe (qmp), lines
#       typed into vmuxterm with `type_line`, and board_quit to end it.
#   qmp JSON                one QMP command; its answer line in $reply
#   type_line TEXT          TEXT typed into vmuxterm ("@crypto_app hi")
#   wait_for REGEX [N]      wait (at most 30 s, while QEMU runs) for a
#                           line of $out (N of them); once one wait
#                           failed, nothing waits again
#   board_quit              QMP quit, then board_wait
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

board_start() { # image feed qemu-args...
    local image=$1 feed=$2
    shift 2
    out=$(new_tmp)
    STATUS_FILE=$(new_tmp)
    export STATUS_FILE
    echo 124 >"$STATUS_FILE"
    $feed | timeout 60 "$term" --plain --key "$images/mgmt.key" --exec bash -c \
        'qemu-system-arm -M lm3s6965evb -nographic -monitor none -serial stdio \
             -semihosting-config enable=on,target=native -kernel "$@"
         echo $? >"$STATUS_FILE"' qemu "$image" "$@" >"$out" 2>&1 &
    board_pid=$!
}

board_wait() {
    wait "$board_pid"
    status=$(cat "$STATUS_FILE")
}

board_run() { # image feed qemu-args...
    board_start "$@"
    board_wait
}

board_start_typed() { # image qemu-args...
    local image=$1
    shift
    qmp_pipe=$(mktemp -u)
    keyboard=$(mktemp -u)
    mkfifo "$qmp_pipe.in" "$qmp_pipe.out" "$keyboard"
    tmp_files+=("$qmp_pipe.in" "$qmp_pipe.out" "$keyboard")
    board_start "$image" "cat $keyboard" -chardev "pipe,id=qmp,path=$qmp_pipe" \
        -mon chardev=qmp,mode=control "$@"
    exec 5<>"$qmp_pipe.in" 6<>"$qmp_pipe.out" 7<>"$keyboard"
    read -t 30 -r reply <&6
    qmp '{"execute":"qmp_capabilities"}'
}

gave_up=
give_up() { echo "(gave up: $1)"; gave_up=1; return 1; }

qmp() { # json
    reply=
    [[ -z $gave_up ]] || return 1
    echo "$1" >&5
    while read -t 30 -r reply <&6; do
        [[ $reply == *'"return"'* || $reply == *'"error"'* ]] && return 0
    done
    give_up "no answer to $1"
}

type_line() { echo "$1" >&7; }

wait_for() { # regex [count]
    local tries=0
    until (($(grep -acE "$1" "$out") >= ${2:-1})); do
        [[ -z $gave_up ]] || return 1
        ((tries++ < 300)) && kill -0 "$board_pid" 2>/dev/null || give_up "waiting for $1"
        sleep 0.1
    done
}

board_quit() {
    qmp '{"execute":"quit"}'
    exec 5>&- 6<&- 7>&-
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
    [[ $fail -eq 0 ]] || { echo "--- board output:"; cat "$out"; }
    echo "$pass passed, $fail failed"
    [[ $fail -eq 0 ]]
}
