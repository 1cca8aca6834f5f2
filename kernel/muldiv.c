/*
 * The 64-bit product comes from one multiply (umull on Cortex-M3); the
 * division is one 32-bit divide when the product fits in 32 bits, and
 * otherwise restoring long division, one quotient bit per step. Callers
 * convert times when they are configured, not per event.
 */
#include "kernel/muldiv.h"

uint32_t muldiv32(uint32_t a, uint32_t b, uint32_t d)
{
    uint64_t p = (uint64_t)a * b;
    uint32_t hi = (uint32_t)(p >> 32), lo = (uint32_t)p;
    if (hi >= d) /* the quotient has more than 32 bits (or d is 0) */
        return UINT32_MAX;
    if (hi == 0)
        return lo / d;
    /* hi:lo / d with hi < d throughout: shift the next dividend bit into
     * the remainder (hi), subtract d when it fits, the quotient bit goes
     * into lo's lowest bit as lo shifts out. */
    for (unsigned i = 0; i < 32; i++) {
        uint32_t carry = hi >> 31;
        hi = hi << 1 | lo >> 31;
        lo <<= 1;
        if (carry || hi >= d) {
            hi -= d;
            lo |= 1u;
        }
    }
    return lo;
}
