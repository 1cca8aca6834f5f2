# Sourced by the host board's end-to-end scripts (tests/check/host_board_*.sh):
# the programs they run, their temporary files, a fresh management key
# (vmux and vmuxterm are given the same), the events they wait for
# (tests/events.bash) and their report. The board always runs on its
# virtual clock: what it does between two inputs does not depend on the
# host's speed.
#
#   host_tmp [SUFFIX]        a temporary file, removed at the end
#   board_exec ARGS...       vmuxterm runs the board (--exec vmux ARGS), as
#                            `make run` does; its output in $out
#   board_pty ARGS...        the board on a PTY (vmux ARGS, its own output in
#                            $log), vmuxterm attached to it; output in $out
#   say LINE                 type LINE into vmuxterm
#   board_stop               end the board and wait for vmuxterm
#   board_end                the same for the script's last board
#   ok NAME, bad NAME, expect NAME REGEX, count REGEX
#   awaited                  the check that every awaited line came
#   report                   the summary line (the output too on a
#                            failure); its status is the script's
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-build}
term="$root/$build/release/vmuxterm"
vmux="$root/$build/release/vmux"
apps="$root/$build/release/apps"
source "$root/tests/events.bash"

host_tmp_files=()
host_pids=()
host_cleanup() {
    local pid
    for pid in "${host_pids[@]}"; do
        kill "$pid" 2>/dev/null
    done
    rm -f "${host_tmp_files[@]}"
}
trap host_cleanup EXIT

host_tmp() { # [suffix]
    local f
    f=$(mktemp ${1:+--suffix="$1"})
    host_tmp_files+=("$f")
    echo "$f"
}

out=$(host_tmp)
log=$(host_tmp)
key=$(host_tmp)
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$key"
typing=$(mktemp -u)
mkfifo "$typing"
host_tmp_files+=("$typing")
exec 4<>"$typing"

say() { echo "$1" >&4; }

board_exec() { # vmux args...
    "$term" --plain --key "$key" --exec "$vmux" --mgmt-key "$key" --clock virtual "$@" \
        <"$typing" >"$out" 2>&1 &
    term_pid=$! watch_pid=$!
    host_pids+=("$term_pid")
}

board_pty() { # vmux args...
    "$vmux" --uart pty --clock virtual --mgmt-key "$key" "$@" 2>"$log" &
    board_pid=$! watch_pid=$!
    host_pids+=("$board_pid")
    out=$log wait_for '/dev/pts/[0-9]+'
    local pty
    pty=$(grep -o '/dev/pts/[0-9]*' "$log" | head -1)
    timeout "$BOUND_S" "$term" --plain --key "$key" "$pty" <"$typing" >"$out" 2>&1 &
    term_pid=$!
    host_pids+=("$term_pid")
}

board_stop() { # the board drains its output and ends, and vmuxterm with it
    local pid=${board_pid:-}
    [[ -n $pid ]] || pid=$(ps -o pid= --ppid "$term_pid" | tr -d ' ')
    [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null
    wait "$term_pid"
    board_pid=
}

board_end() { # the last board: its input closed too
    if [[ -n ${board_pid:-} ]]; then # on a PTY: vmuxterm ends with its input
        exec 4>&-
        kill -TERM "$board_pid" 2>/dev/null
    else
        board_stop
        exec 4>&-
    fi
    wait
}

pass=0
fail=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
bad() { echo "[  FAILED  ] $1"; fail=$((fail + 1)); }
expect() { # name regex
    if grep -qaE "$2" "$out"; then ok "$1"; else bad "$1 (no line matching: $2)"; fi
}
count() { grep -caE "$1" "$out"; }
awaited() {
    if [[ ${#missing[@]} -eq 0 ]]; then ok every_awaited_line_came;
    else bad "every_awaited_line_came (none within ${BOUND_S} s: ${missing[*]})"; fi
}
report() {
    [[ $fail -eq 0 ]] || { echo "--- terminal output:"; cat "$out"; }
    echo "$pass passed, $fail failed"
    [[ $fail -eq 0 ]]
}
