/*
 * tock-fault: an MPU boundary fault, as Tock apps meet it. It writes the
 * last word below its break (allowed), prints "writing past the break",
 * then writes the first word of the grant region (the kernel's): the MPU
 * stops it, the kernel reports the fault and ends the process, and the
 * apps beside it carry on.
 */
#include "../../tock.h"

int main(void)
{
    uint32_t brk = tock_memop(1, 0).r1;
    volatile uint32_t *last = (volatile uint32_t *)(uintptr_t)((brk - 4u) & ~3u);
    *last = 0xfeedu;
    TOCK_EXPECT_EQ("write_below_the_break", *last, 0xfeedu);
    uint32_t grant = tock_memop(6, 0).r1;
    tock_print("writing past the break\n");
    *(volatile uint32_t *)(uintptr_t)grant = 0xbad;
    tock_print("FAIL the kernel's memory was written\n");
    tock_done();
    return 0;
}
