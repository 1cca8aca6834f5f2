/* Reports the address of a constant (in its flash), then writes it. */
#include "tests/apps/app.h"

static const char constant[] = "flash";

void vmux_host_entry(void)
{
    report((uintptr_t)constant, 0);
    *(volatile char *)constant = 'x';
    exit_with(EXIT_TERMINATE, 0);
}
