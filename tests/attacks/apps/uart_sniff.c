/*
 * Attack: listen to the UART, hoping for someone else's bytes. Reads
 * 64 bytes on its own console, for as long as the test lets it (K_PHASE
 * 1 once the read is waiting); when the test sets K_PARAM it aborts the
 * read. Results: K_FIRST_RESULT + 0, 1: the read's status and count;
 * K_FIRST_RESULT + 2: the first 8 bytes it got, packed.
 */
#include "tests/attacks/attack.h"

static volatile uint8_t buf[64];

void vmux_host_entry(void)
{
    arm(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
    allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    if (!succeeded(command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_READ, sizeof buf, 0)))
        count(K_BAD);
    put(K_PHASE, 1);
    while (get(K_PARAM) == 0)
        yield_no_wait(0);
    command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_ABORT_READ, 0, 0);
    regs_t r = wait_for(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
    put(K_FIRST_RESULT + 0, r.r0);
    put(K_FIRST_RESULT + 1, r.r1);
    uintptr_t packed = 0;
    for (unsigned i = 0; i < 8; i++)
        packed |= (uintptr_t)buf[i] << (8 * i);
    put(K_FIRST_RESULT + 2, packed);
    put(K_DONE, 1);
    park();
}
