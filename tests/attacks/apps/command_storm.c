/*
 * Attack: K_PARAM system calls with pseudo-random registers: every class
 * number 0..15 (7 and up do not exist), every driver in use and others,
 * commands 0..300, arguments that are small, huge, or addresses of the
 * kernel's memory (K_TARGET). Yields of the waiting kinds and exit are
 * left out (they would block or end it). Then it exits with code 0.
 * Results: K_FIRST_RESULT + 0 calls that succeeded, + 1 that failed.
 */
#include "tests/attacks/attack.h"

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

void vmux_host_entry(void)
{
    static const uint32_t drivers[] = { 0, CONSOLE_DRIVER_NUM, ADC_DRIVER_NUM, UDP_DRIVER_NUM,
                                        CRYPTO_DRIVER_NUM, 0x99, 0x40002, 0xffffffffu };
    uintptr_t kernel = get(K_TARGET), n = get(K_PARAM), ok = 0, bad = 0;
    for (uintptr_t i = 0; i < n; i++) {
        uint64_t r = next();
        uint32_t cls = (uint32_t)(r & 15);
        if (cls == SYSCALL_EXIT || cls == SYSCALL_YIELD)
            continue;
        uintptr_t args[4];
        for (int k = 0; k < 4; k++) {
            uint64_t v = next();
            switch (v & 3) {
            case 0: args[k] = (uintptr_t)(v >> 8) % 301; break;
            case 1: args[k] = (uintptr_t)(v >> 2); break;
            case 2: args[k] = kernel + (uintptr_t)((v >> 8) % 64); break;
            default: args[k] = (uintptr_t)(v >> 40); break;
            }
        }
        if (cls == SYSCALL_COMMAND || cls == SYSCALL_SUBSCRIBE || cls == SYSCALL_ALLOW_RW ||
            cls == SYSCALL_ALLOW_RO)
            args[0] = drivers[(r >> 8) % 8];
        if (cls == SYSCALL_SUBSCRIBE && (r >> 16) % 2)
            args[2] = 0; /* the null upcall sometimes: it is valid */
        if (cls == SYSCALL_MEMOP && (args[0] == MEMOP_BRK || args[0] == MEMOP_SBRK))
            continue; /* it needs its stack and its globals where they are */
        regs_t res = sys(cls, args[0], args[1], args[2], args[3]);
        if (res.r0 >= RET_SUCCESS)
            ok++;
        else
            bad++;
    }
    put(K_FIRST_RESULT + 0, ok);
    put(K_FIRST_RESULT + 1, bad);
    put(K_DONE, 1);
    exit_with(EXIT_TERMINATE, 0);
}
