/*
 * a * b / d in 32-bit arithmetic: time conversions (microseconds or
 * milliseconds to alarm ticks, baud-rate divisors) without 64-bit
 * division, which a Cortex-M3 does in a 700-byte library routine.
 */
#ifndef VMUX_KERNEL_MULDIV_H
#define VMUX_KERNEL_MULDIV_H

#include <stdint.h>

/* floor(a * b / d), exact for every input; UINT32_MAX when the quotient
 * does not fit in 32 bits or d is 0. */
uint32_t muldiv32(uint32_t a, uint32_t b, uint32_t d);

#endif
