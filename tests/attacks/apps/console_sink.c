/*
 * A console reader that mishandles its buffer: asks for 16 bytes with a
 * 64-byte buffer allowed, then, in every third read, shrinks the buffer
 * to 4 bytes before the read completes, and in the next withdraws it:
 * the bytes that do not fit are gone. Keys: K_PHASE 1 once its channel
 * exists; K_CYCLES reads completed; K_FIRST_RESULT bytes it got (the
 * upcalls' counts).
 */
#include "tests/attacks/attack.h"

static volatile uint8_t buf[64];

void vmux_host_entry(void)
{
    arm(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
    for (uintptr_t round = 0;; round++) {
        allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
        if (!succeeded(command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_READ, 16, 0)))
            park();
        put(K_PHASE, 1);
        if (round % 3 == 1)
            allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, 4);
        else if (round % 3 == 2)
            allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, 0, 0);
        regs_t r = wait_for(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
        put(K_FIRST_RESULT, get(K_FIRST_RESULT) + r.r1);
        count(K_CYCLES);
    }
}
