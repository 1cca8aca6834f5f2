/* An entry point that returns instead of exiting. */
#include "tests/apps/app.h"

void vmux_host_entry(void)
{
    command(PROBE_COUNT, 0, 0);
}
