/*
 * ARM semihosting (arch.h): a `bkpt 0xab` with the operation in r0 and its
 * argument in r1 is served by the debugger or by QEMU with
 * -semihosting-config enable=on.
 */
#include <stdint.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/cortex_m3.h"

#define SYS_WRITE0 0x04u
#define SYS_GET_CMDLINE 0x15u
#define SYS_EXIT 0x18u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUN_TIME_ERROR_UNKNOWN 0x20023u

static bool enabled;

void arch_semihosting_enable(bool on)
{
    enabled = on;
}

bool arch_semihosting_enabled(void)
{
    return enabled;
}

static uint32_t semihosting_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void arch_semihosting_write(const char *s)
{
    if (enabled)
        semihosting_call(SYS_WRITE0, s);
}

bool arch_semihosting_cmdline(char *buf, size_t size)
{
    if (size == 0)
        return false;
    buf[0] = '\0';
    if (!enabled)
        return false;
    /* The block is the buffer and its size; the host writes the line and
     * its length (without the NUL) back. */
    uint32_t block[2] = { (uint32_t)(uintptr_t)buf, (uint32_t)size };
    if (semihosting_call(SYS_GET_CMDLINE, block) != 0) {
        buf[0] = '\0';
        return false;
    }
    return true;
}

__attribute__((noreturn)) void arch_exit(int status)
{
    __asm__ volatile("cpsid i" ::: "memory");
    if (enabled) {
        if (status == 0) {
            /* On AArch32, SYS_EXIT takes the reason itself in r1. */
            semihosting_call(SYS_EXIT, (const void *)(uintptr_t)ADP_STOPPED_APPLICATION_EXIT);
        } else {
            static uint32_t block[2];
            block[0] = ADP_STOPPED_APPLICATION_EXIT;
            block[1] = (uint32_t)status;
            semihosting_call(SYS_EXIT_EXTENDED, block);
            /* Not supported by this host: any other reason is a failure. */
            semihosting_call(SYS_EXIT,
                             (const void *)(uintptr_t)ADP_STOPPED_RUN_TIME_ERROR_UNKNOWN);
        }
    }
    for (;;)
        __asm__ volatile("wfi");
}
