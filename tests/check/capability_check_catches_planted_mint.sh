#!/bin/sh
# The capability check passes on the tree as it is, and fails on a copy of
# the tree where a capsule mints a capability, includes the minting header,
# or defines a capability struct itself. Prints one TAP-like line per case.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
check="$root/tools/check-capabilities.sh"
fail=0
pass=0

result() { # name expected(0/1) actual
    if [ "$2" = "$3" ]; then
        echo "[       OK ] $1"; pass=$((pass + 1))
    else
        echo "[  FAILED  ] $1 (exit $3, wanted $2)"; fail=$((fail + 1))
    fi
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

plant planted_include_in_capsule capsules/planted.c '#include "kernel/capability_mint.h"'
plant planted_mint_macro_in_kernel kernel/planted.c 'VMUX_MINT_CAPABILITY(cap_adc_continuous, forged);'
plant planted_struct_definition_in_chip chips/sim/planted.c 'struct cap_adc_continuous { unsigned magic; };'
plant planted_magic_in_userland userland/planted.c 'unsigned forged = CAPABILITY_MAGIC;'
plant planted_angle_include_in_test tests/unit/planted.c '#include <kernel/capability_mint.h>'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
