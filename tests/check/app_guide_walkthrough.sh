#!/bin/bash
# docs/app-guide.md, walked as a newcomer walks it: every command of its
# ```sh blocks run in order (cd and export in this shell, so the next
# command runs where the guide's would), every file it shows
# ("<!-- file: PATH -->" before a block) written where it says, with HOME
# a fresh folder: apps made with tools/new-app outside the tree, built
# for both boards, run on the host board and under QEMU, installed with
# vmuxload into a copy of the QEMU board's apps image, tested, and
# debugged with gdb. A ```text block right after a command block is what
# its last command must print: its lines are awaited in order ("..." is
# anything), a line starting with "@" is typed into the board (vmuxterm),
# one starting with "$ " is run beside it (a datagram); the command is
# then stopped (tools/run-expect). Nothing waits for a time: each step
# waits for the line it needs, within a bound for a failure. QEMU runs
# with -icount (its time is its instructions); the UDP and gdb ports are
# free ones, so that the test can run beside others.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
guide=$root/docs/app-guide.md
expect_tool=$root/tools/run-expect
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp
# A newcomer's shell: no settings of vmux's or of an outer make (the
# guide's paths are the default build folder's).
unset VMUX_DIR APPS RUN_APPS RUN_ARGS BOARD BUILD MAKEFLAGS MFLAGS MAKELEVEL
port=$((30000 + RANDOM % 20000))
export UDP_PORT=$port KERNEL_UDP_PORT=$((port + 1)) GDB_PORT=$((port + 2))
ICOUNT='-icount shift=4,sleep=on'
pass=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
bad() {
    echo "[  FAILED  ] $1"
    echo "$pass passed, 1 failed (later steps depend on this one: not run)"
    exit 1
}

# A transcript line as an extended regex: literal, "..." for anything.
as_regex() {
    printf '%s' "$1" | sed -e 's/[][\.*^$(){}+?|\\/]/\\&/g' -e 's/\\\.\\\.\\\./.*/g'
}

# One command with its transcript (an array of lines): run until each
# line came, typing and running beside it as the transcript says.
run_transcript() { # command, transcript lines...
    local cmd=$1 line
    shift
    local steps=()
    for line in "$@"; do
        [[ -n $line ]] || continue
        case $line in
            @*) steps+=(--say "$line") ;;
            '$ '*) steps+=(--run "${line#\$ }") ;;
            *) steps+=("$(as_regex "$line")") ;;
        esac
    done
    # Under QEMU the board's clock counts instructions.
    if [[ $cmd == *BOARD=lm3s6965evb* && $cmd != *debug* ]]; then
        RUN_ARGS=$ICOUNT "$expect_tool" "${steps[@]}" -- bash -c "$cmd"
    else
        "$expect_tool" "${steps[@]}" -- bash -c "$cmd"
    fi
}

# The guide, block by block.
mapfile -t lines <"$guide"
n=${#lines[@]}
i=0
file_to=
cd "$root" || exit 1
while ((i < n)); do
    l=${lines[i]}
    if [[ $l =~ ^'<!-- file: '(.*)' -->'$ ]]; then
        file_to=${BASH_REMATCH[1]/#\~/$HOME}
        i=$((i + 1))
        continue
    fi
    if [[ $l != '```'* || $l == '```' ]]; then
        i=$((i + 1))
        continue
    fi
    lang=${l#\`\`\`}
    body=()
    i=$((i + 1))
    while ((i < n)) && [[ ${lines[i]} != '```' ]]; do
        body+=("${lines[i]}")
        i=$((i + 1))
    done
    i=$((i + 1))
    if [[ -n $file_to ]]; then
        mkdir -p "$(dirname "$file_to")"
        printf '%s\n' "${body[@]}" >"$file_to"
        ok "file ${file_to#"$HOME"/}"
        file_to=
        continue
    fi
    [[ $lang == sh ]] || continue
    # The transcript, if a text block follows.
    j=$i
    while ((j < n)) && [[ -z ${lines[j]} ]]; do j=$((j + 1)); done
    transcript=()
    if ((j < n)) && [[ ${lines[j]} == '```text' ]]; then
        j=$((j + 1))
        while ((j < n)) && [[ ${lines[j]} != '```' ]]; do
            transcript+=("${lines[j]}")
            j=$((j + 1))
        done
        i=$((j + 1))
    fi
    last=$((${#body[@]} - 1))
    for k in "${!body[@]}"; do
        cmd=${body[k]}
        [[ -n $cmd ]] || continue
        if ((k == last && ${#transcript[@]} > 0)); then
            out=$(run_transcript "$cmd" "${transcript[@]}" 2>&1) ||
                { printf '%s\n' "$out" | tail -n 30; bad "$cmd (in ${PWD/#$HOME/\~})"; }
        else
            out=$(eval "$cmd" 2>&1 </dev/null; echo "status $?")
            [[ ${out##*status } == 0 ]] ||
                { printf '%s\n' "$out" | tail -n 30; bad "$cmd (in ${PWD/#$HOME/\~})"; }
            # cd and export change this shell: run them here too.
            [[ $cmd == cd\ * || $cmd == export\ * ]] && eval "$cmd"
        fi
        ok "$cmd"
    done
done
((pass > 30)) || bad "the guide has only $pass steps: was it parsed?"
echo "$pass passed, 0 failed"
