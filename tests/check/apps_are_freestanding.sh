#!/bin/sh
# Every app's shared object is freestanding: no undefined symbols, no
# shared libraries needed, exactly two exports (the entry point
# vmux_host_entry and the system call variable vmux_host_syscall the
# loader fills in), and no relocation resolved by name at load time.
# Builds the apps first (make apps). As a control, the check must fail on
# planted objects: one calling into a C library, one without the entry
# point, one exporting more, one whose use of vmux_host_syscall another
# object could interpose. Prints one line per case.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
cd "$root" || exit 1
pass=0
fail=0

result() { # name ok(0/1) [detail]
    if [ "$2" = 0 ]; then
        echo "[       OK ] $1"; pass=$((pass + 1))
    else
        echo "[  FAILED  ] $1${3:+ ($3)}"; fail=$((fail + 1))
    fi
}

# Prints what is wrong with one shared object; nothing when it is fine.
problems() { # file.so
    undefined=$(nm -u "$1" | awk '{print $NF}' | tr '\n' ' ')
    [ -n "$undefined" ] && echo "undefined: $undefined"
    needed=$(readelf -d "$1" | awk '/\(NEEDED\)/ {print $NF}' | tr '\n' ' ')
    [ -n "$needed" ] && echo "needs: $needed"
    exports=$(nm -D --defined-only "$1" | awk '{print $NF}' | sort | tr '\n' ' ')
    [ "$exports" != "vmux_host_entry vmux_host_syscall " ] && echo "exports: $exports"
    nm -D --defined-only "$1" | grep -qE ' T vmux_host_entry$' || echo "vmux_host_entry is not code"
    nm -D --defined-only "$1" | grep -qE ' [BD] vmux_host_syscall$' || echo "vmux_host_syscall is not data"
    # Linked -Bsymbolic: the app's own uses of its exports are bound when
    # linked, so no symbol of the loading program can stand in for them.
    by_name=$(readelf -rW "$1" | awk 'NF >= 7 && $1 ~ /^[0-9a-f]+$/ {print $5}' | tr '\n' ' ')
    [ -n "$by_name" ] && echo "bound by name at load time: $by_name"
}

out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" apps 2>&1)
result apps_build $? "$(echo "$out" | tail -5)"

apps=$(find userland/apps -mindepth 2 -maxdepth 2 -name main.c | wc -l)
for variant in release test; do
    n=0
    for main in userland/apps/*/main.c; do
        so="$build/$variant/apps/$(basename "$(dirname "$main")").so"
        [ -e "$so" ] || continue
        n=$((n + 1))
        why=$(problems "$so")
        [ -z "$why" ]; result "freestanding_${variant}_$(basename "$so" .so)" $? "$why"
    done
    [ "$n" -eq "$apps" ]; result "every_app_built_$variant" $? "$n of $apps"
done

# Controls: objects the check must reject, linked without -z defs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant() { # name C-source [extra cflags]
    printf '%s\n' "$2" > "$tmp/$1.c"
    # shellcheck disable=SC2086 # $3: optional flags, split on purpose
    if ${CC:-gcc} -fPIC -ffreestanding -nostdlib -shared -O2 ${3:-} -o "$tmp/$1.so" "$tmp/$1.c" 2>"$tmp/err"; then
        [ -n "$(problems "$tmp/$1.so")" ]; result "$1" $? "not detected"
    else
        result "$1" 1 "could not build: $(head -1 "$tmp/err")"
    fi
}
base='typedef void (*fn)(void); __attribute__((visibility("default"))) fn vmux_host_syscall;'
entry='__attribute__((visibility("default"))) void vmux_host_entry(void) { for (;;) {} }'
plant planted_libc_call_detected "$base int puts(const char *);
__attribute__((visibility(\"default\"))) void vmux_host_entry(void) { puts(\"hi\"); for (;;) {} }" \
    -fvisibility=hidden
plant planted_missing_entry_detected "$base void other(void) {}" -fvisibility=hidden
plant planted_extra_export_detected "$base $entry int helper(void) { return 1; }"
plant planted_interposable_syscall_detected "$base
__attribute__((visibility(\"default\"))) void vmux_host_entry(void) { for (;;) vmux_host_syscall(); }" \
    -fvisibility=hidden

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
