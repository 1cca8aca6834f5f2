/*
 * Critical sections on Cortex-M3: PRIMASK masks every interrupt of
 * configurable priority. save returns the previous PRIMASK, so sections
 * nest: restore puts back exactly what save found.
 */
#include "kernel/platform.h"

uint32_t platform_irq_save(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

void platform_irq_restore(uint32_t state)
{
    __asm__ volatile("msr primask, %0" : : "r"(state) : "memory");
}
