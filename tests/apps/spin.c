/* One counted command, then a busy loop that never traps. */
#include "tests/apps/app.h"

void vmux_host_entry(void)
{
    command(PROBE_COUNT, 0, 0);
    for (;;)
        ;
}
