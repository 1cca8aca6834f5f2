#!/bin/bash
# The lm3s6965evb kernel image (the board's, as `make lm3s6965evb-size`
# reports it) fits its flash budget: text + data (code, read-only data,
# and the initial values of .data, all kept in flash) at most BUDGET
# bytes. The budget is the measured size (docs/performance.md) rounded up
# to the next KiB step with room for small changes; the goal is 32 KiB
# (32768), not reached yet: docs/performance.md says where the bytes are.
# As a control, the same comparison against a budget one byte below the
# image's size must fail.
set -u
source "$(dirname "$0")/plant.bash"
build=${BUILD:-build}
budget=${BUDGET:-40960}
cd "$root" || exit 1

elf=$build/lm3s6965evb/vmux.elf
out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" "$elf" 2>&1)
rc=$?
[ $rc -eq 0 ] || echo "$out" | tail -20
result image_builds 0 $rc

# text + data of an ELF, in bytes
flash_of() { arm-none-eabi-size "$1" | awk 'NR == 2 { print $1 + $2 }'; }

fits() { # elf budget
    local used
    used=$(flash_of "$1") || return 2
    [ -n "$used" ] || return 2
    echo "$(basename "$1"): $used bytes of flash (text + data), budget $2"
    [ "$used" -le "$2" ]
}

fits "$elf" "$budget"
result "kernel_within_${budget}_bytes" 0 $?
used=$(flash_of "$elf")
fits "$elf" $((${used:-1} - 1)) >/dev/null
result one_byte_less_fails_control 1 $?

summary
