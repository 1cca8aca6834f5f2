#!/bin/bash
# The kernel has no heap: every lm3s6965evb image (the board's, the test
# image, the faulting one) links none of malloc, calloc, realloc, free or
# _sbrk, nor newlib's reentrant forms of them (arm-none-eabi-nm). Nothing
# in the kernel defines _sbrk either, so a heap allocation that creeps in
# (a C library function that allocates, as newlib's snprintf does) fails
# the link; this check names it when something supplies _sbrk anyway.
# As controls, a small Cortex-M3 program that calls malloc must be
# rejected and the same program without the call accepted.
set -u
source "$(dirname "$0")/plant.bash"
build=${BUILD:-build}
cd "$root" || exit 1

heap='^(malloc|calloc|realloc|free|_malloc_r|_calloc_r|_realloc_r|_free_r|_sbrk|_sbrk_r)$'

# Prints the heap functions an ELF contains; nothing when it has none.
heap_in() { # elf
    arm-none-eabi-nm "$1" | awk '{print $NF}' | grep -E "$heap" | sort -u | tr '\n' ' '
}

# 0 when the ELF exists and has no heap; prints what it found.
no_heap() { # elf
    [ -e "$1" ] || { echo "$1 missing"; return 1; }
    local found
    found=$(heap_in "$1")
    [ -z "$found" ] || { echo "$1: $found"; return 1; }
}

lm3s=$build/lm3s6965evb
images="$lm3s/vmux.elf $lm3s/vmux-test.elf $lm3s/vmux-fault.elf"
out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" \
      $images 2>&1)
rc=$?
[ $rc -eq 0 ] || echo "$out" | tail -20
result images_build 0 $rc
for elf in $images; do
    why=$(no_heap "$elf"); rc=$?
    [ -n "$why" ] && echo "$why"
    result "no_heap_in_$(basename "$elf" .elf)" 0 $rc
done

# Controls: the same freestanding link as the kernel's (newlib-nano,
# --gc-sections), with and without a call to malloc.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/prog.c" <<'PROG'
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
void *_sbrk(ptrdiff_t n);
void *_sbrk(ptrdiff_t n) { (void)n; errno = ENOMEM; return (void *)-1; }
volatile int sink;
void start(void);
void start(void)
{
#ifdef USE_HEAP
    sink = malloc(16) != NULL;
#endif
    for (;;)
        sink++;
}
PROG
control() { # name expected-exit extra-flags
    if arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -Os -ffunction-sections -nostartfiles \
            --specs=nano.specs -Wl,--gc-sections -Wl,-e,start $3 -o "$tmp/$1.elf" "$tmp/prog.c" \
            >"$tmp/$1.log" 2>&1; then
        no_heap "$tmp/$1.elf" >/dev/null
        result "$1" "$2" $?
    else
        cat "$tmp/$1.log"
        result "$1" "$2" link-failed
    fi
}
control planted_malloc_is_caught 1 -DUSE_HEAP
control program_without_heap_passes 0 ""

summary
