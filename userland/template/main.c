/*
 * hello: a vmux app (docs/app-guide.md). It prints a line and ends; the
 * kernel reports its exit.
 */
#include "libvmux.h"

int main(void)
{
    vmux_printf("Hello, world!\n");
    return 0;
}
