#!/bin/sh
# wipe() must survive whole-program optimisation. Build a program whose
# only use of a secret buffer ends with wipe(), at -O2 with LTO so the
# compiler sees through the call, and check in the disassembly that the
# zeroing stores (or the memset they become) are still there. As a
# control, the same program with a plain memset() must lose them: that is
# the dead store wipe() exists to prevent. Then both again with the
# Cortex-M3 kernel's flags (-Os, LTO, arm-none-eabi-gcc).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
bad() { echo "[  FAILED  ] $1"; fail=$((fail + 1)); }

cat > "$tmp/prog.c" <<'PROG'
#include <string.h>
#include "kernel/wipe.h"
#ifdef PLAIN_MEMSET
#define ZERO(p, n) memset(p, 0, n)
#else
#define ZERO(p, n) wipe(p, n)
#endif
__attribute__((noinline)) int use_secret(const char *src)
{
    char secret[64];
    strncpy(secret, src, sizeof secret);
    int sum = 0;
    for (unsigned i = 0; i < sizeof secret; i++)
        sum += secret[i];
    ZERO(secret, sizeof secret);
    return sum;
}
int main(int argc, char **argv) { return use_secret(argc > 1 ? argv[1] : "k"); }
PROG

build() { # out extra-flags
    gcc -std=c11 -O2 -flto -I"$root" "$tmp/prog.c" "$root/kernel/wipe.c" $2 -o "$tmp/$1"
}
zeroes_in_use_secret() { # binary -> prints count of memset calls / zero stores
    objdump -d --no-show-raw-insn "$tmp/$1" |
        awk '/<use_secret>:/{f=1;next} /^$/{f=0} f' |
        grep -cE 'call.*memset|movaps? +%xmm[0-9]+,|movups +%xmm[0-9]+,|movq +\$0x0,|rep stos'
}

build with_wipe "" && n=$(zeroes_in_use_secret with_wipe)
if [ "${n:-0}" -gt 0 ]; then ok wipe_stores_kept_under_lto; else bad wipe_stores_kept_under_lto; fi

build with_memset "-DPLAIN_MEMSET" && m=$(zeroes_in_use_secret with_memset)
if [ "${m:-0}" -lt "${n:-0}" ]; then ok plain_memset_is_elided_control; else bad plain_memset_is_elided_control; fi

# The same with the Cortex-M3 kernel's code generation flags (Makefile:
# LM3S_OPT, -Os with LTO; builtins on, so a plain memset is known dead).
if command -v arm-none-eabi-gcc >/dev/null; then
    build_arm() { # out extra-flags
        arm-none-eabi-gcc -std=c11 -mcpu=cortex-m3 -mthumb -Os -flto -ffunction-sections \
            -fdata-sections -nostartfiles --specs=nano.specs -Wl,--gc-sections -Wl,-e,main \
            -I"$root" "$tmp/prog.c" "$root/kernel/wipe.c" $2 -o "$tmp/$1"
    }
    zeroes_in_use_secret_arm() { # binary -> count of memset/wipe calls and zero stores
        arm-none-eabi-objdump -d --no-show-raw-insn "$tmp/$1" |
            awk '/<use_secret>:/{f=1;next} /^$/{f=0} f' |
            grep -cE 'bl[[:space:]]+[0-9a-f]+ <(memset|wipe)|stm|strd'
    }
    build_arm arm_with_wipe "" && n=$(zeroes_in_use_secret_arm arm_with_wipe)
    if [ "${n:-0}" -gt 0 ]; then ok cortex_m3_wipe_kept_under_lto; else bad cortex_m3_wipe_kept_under_lto; fi
    build_arm arm_with_memset "-DPLAIN_MEMSET" && m=$(zeroes_in_use_secret_arm arm_with_memset)
    if [ "${m:-0}" -lt "${n:-0}" ]; then ok cortex_m3_plain_memset_is_elided_control
    else bad cortex_m3_plain_memset_is_elided_control; fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
