# Sourced by the end-to-end tests (tests/check, tests/qemu), which wait
# for what a board does, never for a time: the only clock they read is a
# bound after which an awaited event counts as missing (a failure, never
# a time anything is expected to take).
#
#   wait_for REGEX [COUNT]    until COUNT (1) lines of the file $out match:
#                             true; false once $watch_pid (when set) is
#                             gone or BOUND_S (120 s) passed, and REGEX is
#                             added to $missing for the report. Once one
#                             is missing, the next ones look without
#                             waiting: the rest of a test only collects.
#   udp_ask PORT TEXT REPLY   send TEXT and a newline to 127.0.0.1:PORT
#                             until as many bytes come back (5 tries, 5 s
#                             each), into the file REPLY; false if none do
BOUND_S=${BOUND_S:-120}
missing=()

wait_for() { # regex [count]
    local deadline=$((SECONDS + BOUND_S))
    (( ${#missing[@]} == 0 )) || deadline=$SECONDS
    until (( $(grep -acE "$1" "$out") >= ${2:-1} )); do
        if (( SECONDS >= deadline )) || { [[ -n ${watch_pid:-} ]] && ! kill -0 "$watch_pid" 2>/dev/null; }; then
            (( $(grep -acE "$1" "$out") >= ${2:-1} )) && return 0
            missing+=("$1${2:+ (x$2)}")
            return 1
        fi
        sleep 0.05
    done
}

udp_ask() { # port text reply-file
    local try got=1
    exec 3<>"/dev/udp/127.0.0.1/$1"
    for try in 1 2 3 4 5; do
        printf '%s\n' "$2" >&3
        timeout 5 head -c $((${#2} + 1)) <&3 >"$3" && { got=0; break; }
    done
    exec 3<&-
    return $got
}
