/*
 * What the portable kernel needs from the architecture (arch/host,
 * arch/cortex-m3): a critical section for state shared with interrupt
 * handlers. Each arch/ directory implements these.
 */
#ifndef VMUX_KERNEL_PLATFORM_H
#define VMUX_KERNEL_PLATFORM_H

#include <stdint.h>

/* Mask interrupts; returns the previous state for platform_irq_restore. */
uint32_t platform_irq_save(void);
void platform_irq_restore(uint32_t state);

#endif
