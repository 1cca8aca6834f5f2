/* Counts in a global three times, reporting (value, address); then exits
 * with the final value. Two instances must not share the global. */
#include "tests/apps/app.h"

static volatile uintptr_t counter;

void vmux_host_entry(void)
{
    for (int i = 0; i < 3; i++) {
        counter++;
        report(counter, (uintptr_t)&counter);
    }
    exit_with(EXIT_TERMINATE, counter);
}
