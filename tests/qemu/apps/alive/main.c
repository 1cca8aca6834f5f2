/*
 * alive: a bystander for the isolation tests. Prints "alive N" every
 * 100 ms, so the output shows it carries on while others fault, and
 * keeps a checksum of a pattern in its RAM, so it would notice a write
 * from outside ("pattern intact" / "pattern CHANGED").
 */
#include "libvmux.h"

static uint32_t pattern[64];

static uint32_t sum(void)
{
    uint32_t s = 0;
    for (unsigned i = 0; i < 64; i++)
        s = s * 31u + pattern[i];
    return s;
}

int main(void)
{
    for (unsigned i = 0; i < 64; i++)
        pattern[i] = 0xa5a50000u | i;
    uint32_t expected = sum();
    for (unsigned n = 1;; n++) {
        vmux_sleep_ms(100);
        vmux_printf("alive %u, pattern %s\n", n, sum() == expected ? "intact" : "CHANGED");
    }
}
