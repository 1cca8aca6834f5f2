/*
 * bench: system call costs on Cortex-M, for QEMU with -icount shift=0
 * (one instruction = 1 ns of virtual time; the alarm counter runs at
 * 50 MHz, so a tick is 20 instructions). The package name picks what is
 * measured, and the digit at its end when (100 ms times it, so one image
 * measures everything without overlaps):
 *
 *   bench-null-N     command 0 of the alarm driver ("exists") through
 *                    libvmux (vmux_command): a null command's round trip
 *   bench-raw-N      the same command as a bare `svc 2` with r0-r3 set
 *                    inline: the trap, the kernel and the return alone
 *   bench-upcall-N   console write of 0 bytes (completes at once, its
 *                    upcall queued) + yield-wait that runs the upcall
 *   bench-yield-N    yield-no-wait with nothing queued, alone
 *   bench-switch-X-N yield-no-wait while another bench-switch-Y-N does the
 *                    same: every yield switches to the other process, so
 *                    a call of one is two switches (reported per switch)
 *   bench-swraw-X-N  the same with a bare `svc 0` (yield-no-wait, the flag
 *                    address in r1): the switch alone, without libvmux
 *
 * Each runs ROUNDS rounds of CALLS calls and prints the fastest round:
 * "1000 calls, 12345 ticks, 246.9 instructions per call" (vmuxterm puts
 * the process's name in front).
 */
#include "libvmux.h"
#include "../own_name.h"

#define CALLS 1000u
#define ROUNDS 3u

static char name[32];
static volatile unsigned upcalls;

static bool is(const char *kind)
{
    size_t n = vmux_strlen(kind);
    return vmux_memcmp(name + 6, kind, n) == 0 && name[6 + n] == '-';
}

static void counted(uint32_t a, uint32_t b, uint32_t c, uintptr_t appdata)
{
    (void)a, (void)b, (void)c, (void)appdata;
    upcalls++;
}

static uint32_t now(void)
{
    uint32_t t = 0;
    vmux_alarm_now(&t);
    return t;
}

static uint32_t round_of(unsigned kind)
{
    uint32_t t0 = now();
    for (unsigned i = 0; i < CALLS; i++) {
        switch (kind) {
        case 0:
            vmux_command(0, 0, 0, 0);
            break;
        case 1:
            vmux_command(1, 1, 0, 0);
            vmux_yield_wait();
            break;
        case 4: {
            register uint32_t r0 __asm__("r0") = 0, r1 __asm__("r1") = 0;
            register uint32_t r2 __asm__("r2") = 0, r3 __asm__("r3") = 0;
            __asm__ volatile("svc 2"
                             : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                             :
                             : "memory", "r12", "lr");
            break;
        }
        case 5: {
            static volatile uint8_t ran;
            register uint32_t r0 __asm__("r0") = 0, r1 __asm__("r1") = (uint32_t)&ran;
            register uint32_t r2 __asm__("r2") = 0, r3 __asm__("r3") = 0;
            __asm__ volatile("svc 0"
                             : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                             :
                             : "memory", "r12", "lr");
            break;
        }
        default:
            vmux_yield_no_wait();
            break;
        }
    }
    return now() - t0;
}

int main(void)
{
    read_own_name(name, sizeof name);
    size_t len = vmux_strlen(name);
    unsigned kind = is("null")     ? 0
                    : is("upcall") ? 1
                    : is("yield")  ? 2
                    : is("switch") ? 3
                    : is("raw")    ? 4
                    : is("swraw")  ? 5
                                   : 9;
    if (kind == 9) {
        vmux_printf("unknown benchmark \"%s\"\n", name);
        return 2;
    }
    if (kind == 1) {
        vmux_subscribe(1, 1, counted, 0);
        vmux_allow_ro(1, 1, NULL, 0);
    }
    /* Start on a 100 ms mark, so two bench-switch processes start together. */
    uint32_t hz = 0;
    vmux_alarm_frequency(&hz);
    uint32_t mark = hz / 10u;
    uint32_t start = (now() / mark + (unsigned)(name[len - 1] - '0')) * mark;
    vmux_sleep_until(start);
    uint32_t best = UINT32_MAX;
    for (unsigned r = 0; r < ROUNDS; r++) {
        uint32_t t = round_of(kind);
        if (t < best)
            best = t;
    }
    bool switches = kind == 3 || kind == 5;
    unsigned per = switches ? 2u * CALLS : CALLS;
    uint32_t x10 = (uint32_t)((uint64_t)best * (1000000000u / hz) * 10u / per);
    vmux_printf("%u calls, %u ticks, %u.%u instructions per %s%s\n", CALLS,
                (unsigned)best, (unsigned)(x10 / 10u), (unsigned)(x10 % 10u),
                switches ? "switch" : "call",
                kind == 1 && upcalls != ROUNDS * CALLS ? " (UPCALLS MISSING)" : "");
    return 0;
}
