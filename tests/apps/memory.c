/*
 * Memory the kernel may touch: reports the result variant of each step.
 *   allow_rw of a global (a writable segment)       -> success
 *   allow_rw of a constant (flash: read-only)       -> failure
 *   sbrk 64 and allow_rw of the new heap            -> success
 *   yield-no-wait with a flag on the stack          -> the kernel writes 0
 */
#include "tests/apps/app.h"

static uint8_t global_buf[8];
static const uint8_t constant_buf[8] = { 1 };

void vmux_host_entry(void)
{
    report(1, allow_rw(0, global_buf, sizeof global_buf).r0);
    report(2, allow_rw(0, (void *)constant_buf, sizeof constant_buf).r0);
    struct vmux_regs r = memop(MEMOP_SBRK, 64);
    report(3, r.r0);
    report(4, allow_rw(0, (void *)r.r1, 64).r0);
    volatile uint8_t flag = 0x55;
    yield_no_wait(&flag);
    report(5, flag);
    exit_with(EXIT_TERMINATE, 0);
}
