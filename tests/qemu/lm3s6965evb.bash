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
