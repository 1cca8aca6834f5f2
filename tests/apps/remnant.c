/* Looks in the heap it grows into for what an earlier life of its slot
 * left there, leaves its own mark, and asks for a restart until the
 * driver has seen two hellos. Reports (marks found, hellos) in each life:
 * a restart is a new client, so a later life must find none. */
#include "tests/apps/app.h"

#define WORDS 64u
#define MARK 0x5ec2e7a5u

void vmux_host_entry(void)
{
    struct vmux_regs r = memop(MEMOP_SBRK, WORDS * 4u);
    volatile uint32_t *heap = (volatile uint32_t *)r.r1;
    uintptr_t found = 0;
    for (unsigned i = 0; i < WORDS; i++) {
        if (heap[i] == MARK)
            found++;
        heap[i] = MARK;
    }
    uintptr_t hellos = command(PROBE_HELLO, 0, 0).r1;
    report(found, hellos);
    if (hellos < 2)
        exit_with(EXIT_RESTART, 0);
    exit_with(EXIT_TERMINATE, hellos);
}
