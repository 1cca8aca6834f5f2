/*
 * hog: prints once, then spins forever without a system call, so only
 * preemption at the end of its time slice lets the others run.
 */
#include "libvmux.h"

int main(void)
{
    vmux_printf("spinning forever without yielding\n");
    volatile uint32_t spins = 0;
    for (;;)
        spins++;
}
