#!/bin/sh
# One build step of the Makefile: a compiler, linker or archiver call.
#   tools/make-step.sh COMMAND ARGS...      (the Makefile's $(CC), $(AR)...)
# Prints one line for it, "  CC build/test/obj/kernel/rr.o" (CC compiles,
# LD links, AR archives), unless V=1 (then make prints the whole command
# instead), runs it, and passes its output and exit status on. When an
# app (a file under apps/, app-obj/ or attacks/) does not build, it adds
# what the usual mistakes mean for vmux: apps have no C library.
tag=LD out=
case ${1##*/} in *ar) tag=AR out=$3 ;; esac
prev=
for arg in "$@"; do
    [ "$prev" = -o ] && out=$arg
    [ "$arg" = -c ] && [ $tag = LD ] && tag=CC
    prev=$arg
done
[ "${V:-0}" = 1 ] || printf '  %-3s %s\n' "$tag" "$out"

# stdout straight through; stderr kept to be read, then passed on
exec 3>&1
errors=$("$@" 2>&1 1>&3)
status=$?
exec 3>&-
[ -n "$errors" ] && printf '%s\n' "$errors" >&2
[ $status -eq 0 ] && exit 0

case $out in
*/apps/* | */app-obj/* | */attacks/*) ;;
*) exit $status ;;
esac
hint() { printf 'hint: %s\n' "$*" >&2; }
# the names the compiler or the linker did not find (quoted `so', 'so'
# or in typographic quotes, by the locale)
missing=$(printf '%s\n' "$errors" |
    sed -n 's/.*undefined reference to [^A-Za-z_]*\([A-Za-z_0-9]*\).*/\1/p
            s/.*implicit declaration of function [^A-Za-z_]*\([A-Za-z_0-9]*\).*/\1/p
            s/.*fatal error: \([a-z]*\.h\): No such file.*/\1/p' | sort -u)
[ -n "$missing" ] || exit $status
said=
for name in $missing; do
    case $name in
    printf | puts | putchar | fprintf | vprintf | fputs | stdio.h)
        what=print ;;
    sprintf | snprintf | vsnprintf | vsprintf)
        what=format ;;
    malloc | calloc | realloc | free | stdlib.h)
        what=heap ;;
    strlen | strnlen | strcmp | strncmp | strcpy | strncpy | strcat | strchr | string.h)
        what=string ;;
    sleep | usleep | nanosleep | time | clock | clock_gettime | time.h | unistd.h)
        what=time ;;
    exit | _exit | abort)
        what=exit ;;
    main)
        what=main ;;
    *)
        what=other ;;
    esac
    case " $said " in *" $what "*) continue ;; esac
    said="$said $what"
    case $what in
    print)
        hint "apps have no C library ($name is not there): print with vmux_printf" \
             "(#include \"libvmux.h\"; %d %u %x %s %c %p, no floating point)" ;;
    format)
        hint "apps have no C library ($name is not there): format with vmux_snprintf" \
             "(#include \"libvmux.h\")" ;;
    heap)
        hint "apps have no C library and no heap ($name is not there): use static" \
             "buffers or the stack" ;;
    string)
        hint "apps have no C library ($name is not there): use libvmux's vmux_strlen," \
             "vmux_strcmp, vmux_memcpy... (userland/libvmux/runtime.h)" ;;
    time)
        hint "apps have no C library ($name is not there): wait with vmux_sleep_ms," \
             "read the time with vmux_alarm_now (userland/libvmux/alarm.h)" ;;
    exit)
        hint "apps have no C library ($name is not there): return from main to end" \
             "the process" ;;
    main)
        hint "an app defines int main(void); libvmux's entry point calls it" ;;
    other)
        hint "an app links with libvmux only (userland/libvmux/*.h): $name is not in it" ;;
    esac
done
exit $status
