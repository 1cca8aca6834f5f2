/*
 * Host architecture: the kernel runs on one host thread, and simulated
 * interrupts are delivered from that same thread (sim events), so there is
 * nothing to mask.
 */
#include "kernel/platform.h"

uint32_t platform_irq_save(void)
{
    return 0;
}

void platform_irq_restore(uint32_t state)
{
    (void)state;
}
