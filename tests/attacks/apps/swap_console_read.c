/*
 * Attack: swap, then withdraw, the buffer of a console read in flight.
 * Round 1: read 8 bytes into A, swap in B (K_PHASE 1: the test sends 8
 * bytes). Round 2: read 8 into A, withdraw it (K_PHASE 2: the test sends
 * 8 more). Results:
 *   K_FIRST_RESULT + 0, 1   round 1's upcall: status, count
 *   K_FIRST_RESULT + 2      1 if A still holds only its canary after round 1
 *   K_FIRST_RESULT + 3      B's first 8 bytes, packed little-endian
 *   K_FIRST_RESULT + 4, 5   round 2's upcall: status, count
 *   K_FIRST_RESULT + 6      1 if A still holds only its canary after round 2
 */
#include "tests/attacks/attack.h"

static volatile uint8_t a[32], b[32];

void vmux_host_entry(void)
{
    arm(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
    fill(a, 0xaa, sizeof a);
    fill(b, 0xbb, sizeof b);
    allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, a, sizeof a);
    command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_READ, 8, 0);
    allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, b, sizeof b);
    put(K_PHASE, 1);
    regs_t r = wait_for(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
    put(K_FIRST_RESULT + 0, r.r0);
    put(K_FIRST_RESULT + 1, r.r1);
    put(K_FIRST_RESULT + 2, all(a, 0xaa, sizeof a));
    uintptr_t packed = 0;
    for (unsigned i = 0; i < 8; i++)
        packed |= (uintptr_t)b[i] << (8 * i);
    put(K_FIRST_RESULT + 3, packed);

    allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, a, sizeof a);
    command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_READ, 8, 0);
    allow_rw(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, 0, 0);
    put(K_PHASE, 2);
    r = wait_for(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_READ_DONE);
    put(K_FIRST_RESULT + 4, r.r0);
    put(K_FIRST_RESULT + 5, r.r1);
    put(K_FIRST_RESULT + 6, all(a, 0xaa, sizeof a));
    put(K_DONE, 1);
    park();
}
