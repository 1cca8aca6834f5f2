/*
 * Attack: allow another process's memory (K_TARGET, the bystander's
 * canary, which the test hands over) to every driver that would write or
 * read it. Results in K_FIRST_RESULT + i (error code, or 0xffff):
 *   0  console read into it         1  console write from it
 *   2  crypto output into it        3  crypto input from it
 *   4  UDP receive into it          5  UDP payload from it
 *   6  a yield whose flag byte is in it (no error: the flag is not written;
 *      0 is recorded)
 *   7  then a console read: SIZE (nothing was allowed)
 */
#include "tests/attacks/attack.h"

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    volatile uint8_t *target = (volatile uint8_t *)get(K_TARGET);
    result(0, allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, target, 16));
    result(1, allow_ro(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, target, 16));
    result(2, allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, target, 16));
    result(3, allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_INPUT, target, 16));
    result(4, allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, target, 16));
    result(5, allow_ro(UDP_DRIVER_NUM, UDP_ALLOW_RO_TX, target, 16));
    yield_no_wait(target);
    put(K_FIRST_RESULT + 6, 0);
    result(7, command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_READ, 16, 0));
    put(K_DONE, 1);
    park();
}
