#!/bin/sh
# Install the Debian packages vmux needs, only those that are missing.
# Silent when everything is present; otherwise says which packages it is
# about to install, for what, and how (apt-get, through sudo when not
# root). Idempotent. Usage: tools/deps.sh [group...]
# Groups: host (build, tests, the demo and its UDP example's nc), fuzz,
# arm (cross build, QEMU), bench.
set -eu

pkgs_host="gcc make pkg-config libcmocka-dev libslirp-dev libglib2.0-dev libssl-dev netcat-openbsd"
pkgs_fuzz="clang libclang-rt-14-dev llvm"
pkgs_arm="gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi qemu-system-arm gdb-multiarch"
pkgs_bench="valgrind"
# What each group is for, as the message before installing says it.
what_host="to build, test and run the host board (nc: the README's UDP example)"
what_fuzz="to build the fuzzers"
what_arm="to build for the Cortex-M3 and run it under QEMU"
what_bench="to count instructions (make bench)"

groups="${*:-host fuzz arm bench}"

missing=""
plan=""
for g in $groups; do
    eval "want=\$pkgs_$g what=\$what_$g"
    group_missing=""
    for p in $want; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$status" in
            *"install ok installed"*) ;;
            *) group_missing="$group_missing $p" ;;
        esac
    done
    if [ -n "$group_missing" ]; then
        missing="$missing$group_missing"
        plan="$plan  $what:$group_missing
"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo "
else
    printf 'deps: these Debian packages are missing:\n%s' "$plan" >&2
    echo "deps: run 'make deps' as root, or install sudo, to install them" >&2
    exit 1
fi
printf 'deps: about to install these Debian packages, %s\n%s' \
    "with ${sudo}apt-get update and ${sudo}apt-get install:" "$plan" >&2
export DEBIAN_FRONTEND=noninteractive
${sudo}apt-get update -qq >&2
# shellcheck disable=SC2086
${sudo}apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends $missing >&2
