#!/bin/sh
# Install the Debian packages vmux needs, only those that are missing.
# Silent when everything is present; idempotent. Usage: tools/deps.sh [group...]
# Groups: host (build and unit tests), fuzz, arm (cross build, QEMU), bench.
set -eu

pkgs_host="gcc make pkg-config libcmocka-dev libslirp-dev libglib2.0-dev libssl-dev"
pkgs_fuzz="clang libclang-rt-14-dev llvm"
pkgs_arm="gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi qemu-system-arm gdb-multiarch"
pkgs_bench="valgrind"

groups="${*:-host fuzz arm bench}"
want=""
for g in $groups; do
    eval "want=\"\$want \$pkgs_$g\""
done

missing=""
for p in $want; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "deps: missing packages:$missing" >&2
    echo "deps: run 'make deps' as root, or install sudo, to install them" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
