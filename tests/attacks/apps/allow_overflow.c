/*
 * Attack: allow buffers whose length runs past the process's memory.
 * Each attempt's result goes to K_FIRST_RESULT + i: the error code of a
 * failure, or 0xffff when the kernel accepted it. Then it asks the
 * drivers to use "their" buffers: they must find none.
 *   0  read-write, a global with 1 MiB                   (console read)
 *   1  read-write, straddling the break by 16 bytes      (console read)
 *   2  read-only, the code with 1 MiB                    (console write)
 *   3  read-write, the stack up to the grant region + 1  (UDP receive)
 *   4  read-write, the whole quota from its first byte   (crypto output)
 *   5  console read after all that                       (SIZE: nothing allowed)
 *   6  crypto reserve, then crypt into nothing            (NOMEM)
 */
#include "tests/attacks/attack.h"

static volatile uint8_t global[64];

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    uintptr_t brk = memop(MEMOP_SBRK, 0).r1; /* the break: sbrk(0) */
    uintptr_t grant = memop(MEMOP_GRANT_START, 0).r1;
    uintptr_t start = memop(MEMOP_MEMORY_START, 0).r1;
    uintptr_t code = memop(MEMOP_FLASH_START, 0).r1;
    result(0, allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, global, 1u << 20));
    result(1, allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, (void *)(brk - 16), 32));
    result(2, allow_ro(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, (void *)code, 1u << 20));
    result(3, allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, (void *)start, grant - start + 1));
    result(4, allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, (void *)start, grant - start));
    result(5, command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_READ, 16, 0));
    regs_t h = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0);
    result(6, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h.r1));
    put(K_DONE, 1);
    park();
}
