#include "capsules/net/checksum.h"

uint32_t inet_sum(uint32_t acc, const uint8_t *p, size_t len)
{
    /* Fold as we go so that even a 64 KiB piece cannot overflow. */
    while (len >= 2) {
        acc += (uint32_t)((p[0] << 8) | p[1]);
        acc = (acc & 0xffffu) + (acc >> 16);
        p += 2;
        len -= 2;
    }
    if (len)
        acc += (uint32_t)p[0] << 8;
    return acc;
}

uint16_t inet_checksum_of(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffffu) + (acc >> 16);
    return (uint16_t)~acc;
}
