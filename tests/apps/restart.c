/* Reports (lives, hellos): lives is a global, so 1 in every life when a
 * restart starts fresh; hellos is counted by the driver across lives.
 * Asks for a restart until the driver has seen two hellos. */
#include "tests/apps/app.h"

static uintptr_t lives;

void vmux_host_entry(void)
{
    lives++;
    uintptr_t hellos = command(PROBE_HELLO, 0, 0).r1;
    report(lives, hellos);
    if (hellos < 2)
        exit_with(EXIT_RESTART, 0);
    exit_with(EXIT_TERMINATE, hellos);
}
