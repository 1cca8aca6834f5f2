/*
 * Attack: leave the kernel no room for its per-process state. Moves the
 * break up to the grant region, then asks every driver for a first use.
 * Results (error code, or 0xffff):
 *   K_FIRST_RESULT + 0   brk to the grant region's start          0xffff
 *   K_FIRST_RESULT + 1   brk one byte into it                     NOMEM
 *   K_FIRST_RESULT + 2   console write (needs its grant)          NOMEM
 *   K_FIRST_RESULT + 3   crypto reserve                           NOMEM
 *   K_FIRST_RESULT + 4   UDP bind                                 NOMEM
 *   K_FIRST_RESULT + 5   ADC subscribe                            NOMEM
 *   K_FIRST_RESULT + 6   alarm allow... (no allows: command 1)    NOMEM
 *   K_FIRST_RESULT + 7   after giving the memory back, a console
 *                        write: the bytes written                 5
 * It fills all the memory it got with 0xff first, to show that nothing
 * of the kernel's lives there.
 */
#include "tests/attacks/attack.h"

static volatile uint8_t cfg[UDP_CONFIG_SIZE];

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

static void on_upcall(uint32_t a, uint32_t b, uint32_t c, uintptr_t d)
{
    (void)a, (void)b, (void)c, (void)d;
}

void vmux_host_entry(void)
{
    put(K_PHASE, 1); /* the rig driver's own grant, before the memory goes */
    uintptr_t brk = memop(MEMOP_SBRK, 0).r1; /* the break: sbrk(0) */
    uintptr_t grant = memop(MEMOP_GRANT_START, 0).r1;
    result(0, memop(MEMOP_BRK, grant));
    result(1, memop(MEMOP_BRK, grant + 1));
    fill((volatile uint8_t *)brk, 0xff, grant - brk);
    result(2, command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_WRITE, 5, 0));
    result(3, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0));
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, cfg, sizeof cfg);
    result(4, command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0));
    result(5, subscribe(ADC_DRIVER_NUM, ADC_UPCALL_DONE, on_upcall, 0));
    result(6, command(0 /* alarm */, 1, 0, 0));
    memop(MEMOP_BRK, brk);
    put(K_FIRST_RESULT + 7, console_write("hello", 5));
    put(K_DONE, 1);
    park();
}
