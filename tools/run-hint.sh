#!/bin/bash
# What to do when `make run` fails: the Makefile calls this when the board
# (the host board's vmux, or QEMU) ended with a non-zero status, after
# its own message. Says which UDP port is taken and by whom, and the
# make variables that choose others; or, for status 4 from the
# lm3s6965evb, that the apps do not all fit in its RAM. Exits with that
# status.
#   tools/run-hint.sh STATUS BOARD VAR=PORT...
# e.g. tools/run-hint.sh 1 lm3s6965evb UDP_PORT=5555 KERNEL_UDP_PORT=5556
set -u
status=$1 board=$2
shift 2
say() { echo "make run: $*" >&2; }

# The socket inode of a UDP socket bound to PORT on the loopback or any
# address, IPv4 or IPv6 (/proc/net/udp: local address and port in hex).
udp_inode() { # port
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p &&
                      $2 ~ /^(0100007F|00000000|0+|0+FFFF00000100007F|0+1000000):/ { print $10; exit }' \
        /proc/net/udp /proc/net/udp6 2>/dev/null
}

# "pid N, NAME" of the process holding socket inode, if it can be seen.
holder() { # inode
    local fd pid
    fd=$(find /proc/[0-9]*/fd -lname "socket:\[$1\]" 2>/dev/null | head -1)
    [ -n "$fd" ] || return
    pid=${fd#/proc/}
    pid=${pid%%/*}
    echo " by pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null))"
}

# A free port from $1 on, not one of the ports already chosen.
free_port() { # from chosen...
    local p=$1
    shift
    while [ -n "$(udp_inode "$p")" ] || [[ " $* " == *" $p "* ]]; do p=$((p + 1)); done
    echo "$p"
}

board_arg=
[ "$board" = host ] || board_arg="BOARD=$board "
taken=0 suggestion= chosen=
for vp in "$@"; do
    var=${vp%%=*} port=${vp#*=}
    inode=$(udp_inode "$port")
    if [ -n "$inode" ]; then
        taken=1
        say "UDP port $port of 127.0.0.1 ($var) is taken$(holder "$inode"), so the board cannot forward it."
    fi
    p=$(free_port $((port + 10)) $chosen)
    chosen="$chosen $p"
    suggestion="$suggestion $var=$p"
done

if [ "$board" != host ] && [ "$status" -eq 4 ]; then
    # the board image's status when an app has no room (boards/lm3s6965evb/apps.h)
    say "the apps do not all fit in the $board's RAM: the kernel's lines above"
    say "name each one without room. Run fewer, for example without RUN_APPS:"
    echo "    make run $board_arg" >&2
    exit "$status"
fi
if [ $taken -eq 1 ]; then
    say "free it, or choose free ports:"
    echo "    make run $board_arg${suggestion# }" >&2
elif [ "$board" = host ]; then
    say "the host board ended with status $status (its message is above)."
else
    say "QEMU ended with status $status (its message is above). If it could not set up"
    say "host forwarding (hostfwd), the ports ${*} cannot be used; choose others:"
    echo "    make run $board_arg${suggestion# }" >&2
fi
exit "$status"
