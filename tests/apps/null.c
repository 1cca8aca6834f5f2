/* One counted command, then a write through NULL. */
#include "tests/apps/app.h"

void vmux_host_entry(void)
{
    command(PROBE_COUNT, 0, 0);
    *(volatile int *)0 = 1;
    exit_with(EXIT_TERMINATE, 0);
}
