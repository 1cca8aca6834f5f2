/*
 * A well-behaved console reader: reads K_PARAM bytes (1..64) at a time,
 * forever. K_PHASE becomes 1 once its first read is waiting (so its
 * channel exists: the read attaches it). Keys: K_CYCLES reads completed; K_FIRST_RESULT bytes received
 * in all; K_FIRST_RESULT + 1 the first 8 bytes of the last read, packed
 * little-endian; K_BAD reads that ended with an error.
 */
#include "tests/attacks/attack.h"

static volatile uint8_t buf[64];

void vmux_host_entry(void)
{
    uintptr_t n = get(K_PARAM);
    if (n == 0 || n > sizeof buf)
        n = 8;
    arm(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
    allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    for (int first = 1;; first = 0) {
        fill(buf, 0, sizeof buf);
        if (!succeeded(command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_READ, n, 0))) {
            count(K_BAD);
            park();
        }
        if (first) /* ready once the first read is in: the read gave it its channel */
            put(K_PHASE, 1);
        regs_t r = wait_for(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
        if (r.r0 != 0)
            count(K_BAD);
        put(K_FIRST_RESULT, get(K_FIRST_RESULT) + r.r1);
        uintptr_t packed = 0;
        for (unsigned i = 0; i < 8; i++)
            packed |= (uintptr_t)buf[i] << (8 * i);
        put(K_FIRST_RESULT + 1, packed);
        count(K_CYCLES);
    }
}
