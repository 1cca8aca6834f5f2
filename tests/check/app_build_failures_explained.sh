#!/bin/bash
# An app that does not build gets, after the compiler's own message, a
# line that says what it means for vmux (tools/make-step.sh): apps have
# no C library, so printf is vmux_printf, malloc is a static buffer, and
# so on. Each case is an app planted in a copy of the tree (userland/apps/
# NAME/main.c), built with the Makefile's own rules for the host board
# (.so) and the Cortex-M3 (.elf); a good app is the control: it builds,
# and says nothing but one line per file.
set -u
source "$(dirname "$0")/plant.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$tmp"

app() { # name: the app's source on stdin
    mkdir -p "$tmp/userland/apps/$1"
    cat >"$tmp/userland/apps/$1/main.c"
}
build() { # target...
    (cd "$tmp" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory \
        BUILD="$tmp/build" "$@" 2>&1)
}
fails_with() { # name target hint...
    local name=$1 target=$2 out rc h missing=0
    shift 2
    out=$(build "$target")
    rc=$?
    result "${name}_fails" 1 $((rc != 0))
    for h in "$@"; do
        grep -qF -- "hint: $h" <<<"$out" || { echo "(no hint: $h)"; missing=1; }
    done
    result "${name}_explained" 0 $missing
    [ "$fail" -eq 0 ] || echo "$out"
}

app libc <<'SRC'
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
    char *p = malloc(4);
    printf("%p\n", (void *)p);
    return 0;
}
SRC
fails_with printf_host "$tmp/build/release/apps/libc.so" \
    "apps have no C library (printf is not there): print with vmux_printf" \
    "apps have no C library and no heap (malloc is not there)"
fails_with printf_cortex_m3 "$tmp/build/arm/apps/libc.elf" \
    "apps have no C library (printf is not there): print with vmux_printf" \
    "apps have no C library and no heap (malloc is not there)"

app undeclared <<'SRC'
int main(void)
{
    puts("hello");
    return 0;
}
SRC
fails_with undeclared_puts "$tmp/build/release/apps/undeclared.so" \
    "apps have no C library (puts is not there): print with vmux_printf"

app helper <<'SRC'
void blink(void);
int main(void)
{
    blink();
    return 0;
}
SRC
fails_with missing_function "$tmp/build/release/apps/helper.so" \
    "an app links with libvmux only (userland/libvmux/*.h): blink is not in it"

app good <<'SRC'
#include "libvmux.h"
int main(void)
{
    vmux_printf("hello\n");
    return 0;
}
SRC
out=$(build "$tmp/build/release/apps/good.so")
result good_app_builds 0 $?
grep -qv -E '^  (CC|LD|AR) +/' <<<"$out"
result good_app_build_prints_one_line_per_file 1 $?
grep -qxF "  LD  $tmp/build/release/apps/good.so" <<<"$out"
result good_app_build_names_the_app 0 $?
[ "$fail" -eq 0 ] || echo "$out"
summary
