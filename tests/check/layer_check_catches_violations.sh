#!/bin/sh
# The layer check passes on the tree as it is and fails on copies of the
# tree with one violation planted each: a kernel file including a capsule,
# a capsule including a chip driver, a chip including a capsule, and a
# capsule outside capsules/net/ sending raw IPv4 (it could forge a UDP
# source port).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
check="$root/tools/check-layers.sh"
pass=0
fail=0
result() { # name expected actual
    if [ "$2" = "$3" ]; then echo "[       OK ] $1"; pass=$((pass + 1));
    else echo "[  FAILED  ] $1 (exit $3, wanted $2)"; fail=$((fail + 1)); fi
}
"$check" "$root" >/dev/null 2>&1
result clean_tree_passes 0 $?

plant() { # name file text
    tmp=$(mktemp -d)
    (cd "$root" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$tmp"
    mkdir -p "$tmp/$(dirname "$2")"
    printf '%s\n' "$3" >> "$tmp/$2"
    "$check" "$tmp" >/dev/null 2>&1
    result "$1" 1 $?
    rm -rf "$tmp"
}
plant kernel_includes_a_capsule kernel/planted.c '#include "capsules/uart_mux.h"'
plant capsule_includes_a_chip capsules/planted.c '#include "chips/sim/sim_uart.h"'
plant chip_includes_a_capsule chips/sim/planted.c '#include "capsules/alarm_mux.h"'
plant driver_sends_raw_ipv4 capsules/drivers/planted.c 'static void f(void) { ipv4_output(0, 0, 17, 0, 0); }'
plant board_sends_raw_udp boards/host/planted.c 'static void g(void) { udp_seal (0, 0); }'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
