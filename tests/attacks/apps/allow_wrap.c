/*
 * Attack: addresses and lengths that wrap around the address space.
 * Results in K_FIRST_RESULT + i (error code, or 0xffff if accepted):
 *   0  read-write at 2^N - 16, 32 bytes: the end wraps to 16
 *   1  read-write at a global, length 2^N - address + 8: the end wraps
 *   2  read-only at 2^N - 1, 2 bytes
 *   3  read-write at a global, length 2^N - 1
 *   4  sbrk by -2^31 (the ABI's increment is 32-bit signed): refused
 *   5  brk to 2^N - 1
 *   6  a console read after the failed allows: SIZE
 */
#include "tests/attacks/attack.h"

static volatile uint8_t global[64];

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    const uintptr_t top = ~(uintptr_t)0;
    uintptr_t g = (uintptr_t)global;
    result(0, allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, (void *)(top - 15), 32));
    result(1, allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, global, top - g + 9));
    result(2, allow_ro(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, (void *)top, 2));
    result(3, allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, global, top));
    result(4, memop(MEMOP_SBRK, 0x80000000u));
    result(5, memop(MEMOP_BRK, top));
    result(6, command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_READ, 16, 0));
    put(K_DONE, 1);
    park();
}
