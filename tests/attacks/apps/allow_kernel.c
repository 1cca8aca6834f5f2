/*
 * Attack: allow kernel memory. K_TARGET is a static buffer of the kernel
 * (the test's); the grant region at the top of the process's own quota
 * holds the kernel's state about it (its allow and upcall slots, the
 * drivers' per-process state). Results in K_FIRST_RESULT + i:
 *   0  read-write on the kernel buffer (console read)
 *   1  read-only on the kernel buffer (console write: would leak it)
 *   2  read-write on the grant region (UDP receive)
 *   3  read-only on the grant region (crypto key: would read kernel state)
 *   4  read-write on the last byte below the grant region (must succeed: 0xffff)
 *   5  a yield with its flag byte on the kernel buffer (0 recorded)
 *   6  a yield with its flag byte in the grant region (0 recorded)
 *   7  a console write afterwards: the kernel's state survived (bytes written)
 */
#include "tests/attacks/attack.h"

static const char hello[] = "still here\n";

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    volatile uint8_t *kernel = (volatile uint8_t *)get(K_TARGET);
    /* make the console and crypto grants exist first, so their state is there */
    command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_ABORT_READ, 0, 0);
    command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0);
    command(UDP_DRIVER_NUM, UDP_CMD_MAX_PAYLOAD, 0, 0);
    uintptr_t grant = memop(MEMOP_GRANT_START, 0).r1;
    uintptr_t brk = memop(MEMOP_SBRK, 0).r1; /* the break: sbrk(0) */
    /* every byte up to the grant region is ours to use */
    memop(MEMOP_BRK, grant);
    result(0, allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, kernel, 16));
    result(1, allow_ro(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, kernel, 16));
    result(2, allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, (void *)grant, 64));
    result(3, allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_KEY, (void *)grant, 16));
    result(4, allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, (void *)(grant - 16), 16));
    yield_no_wait(kernel);
    put(K_FIRST_RESULT + 5, 0);
    yield_no_wait((volatile uint8_t *)grant);
    put(K_FIRST_RESULT + 6, 0);
    memop(MEMOP_BRK, brk);
    put(K_FIRST_RESULT + 7, console_write(hello, sizeof hello - 1));
    put(K_DONE, 1);
    park();
}
