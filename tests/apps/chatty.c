/* Many counted commands in a row, with a varying amount of work between
 * them (so that slices end anywhere: in the work, at the trap, in the
 * entry), checking each result: exits with 0 when every one came back
 * right, else with the first bad call's number. */
#include "tests/apps/app.h"

#define CALLS 2000u

void vmux_host_entry(void)
{
    for (uintptr_t i = 1; i <= CALLS; i++) {
        for (volatile uintptr_t work = 0; work < (i * 7919u) % 100000u; work++)
            ;
        struct vmux_regs r = command(PROBE_COUNT, 0, 0);
        if (r.r0 != RET_SUCCESS_U32 || r.r1 != i)
            exit_with(EXIT_TERMINATE, i);
    }
    exit_with(EXIT_TERMINATE, 0);
}
