#!/bin/sh
# libvmux and every app compile for Cortex-M3 (make apps-arm-check:
# arm-none-eabi-gcc, Thumb, position-independent; compile only).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
cd "$root" || exit 1
if out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" \
        apps-arm-check 2>&1); then
    echo "[       OK ] apps_compile_for_cortex_m3"
    echo "1 passed, 0 failed"
else
    echo "$out" | tail -20
    echo "[  FAILED  ] apps_compile_for_cortex_m3"
    echo "0 passed, 1 failed"
    exit 1
fi
