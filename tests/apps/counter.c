/* Five counted commands, then exit with code 7. */
#include "tests/apps/app.h"

void vmux_host_entry(void)
{
    for (int i = 0; i < 5; i++)
        command(PROBE_COUNT, 0, 0);
    exit_with(EXIT_TERMINATE, 7);
}
