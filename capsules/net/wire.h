/*
 * Network byte order, read and written in place.
 *
 * Every header field on the wire is big-endian and may sit at any
 * alignment, so the stack never casts a frame pointer to a struct: it
 * reads and writes fields through these helpers. Each is a load or store
 * (__builtin_memcpy: the kernel is built freestanding, where a plain
 * memcpy is a call; this one becomes a single unaligned access where the
 * CPU has them, as Cortex-M3 does) and, on a little-endian CPU, a byte
 * swap: small enough to be inlined everywhere.
 */
#ifndef VMUX_CAPSULES_NET_WIRE_H
#define VMUX_CAPSULES_NET_WIRE_H

#include <stdint.h>

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define WIRE_ORDER16(v) (v)
#define WIRE_ORDER32(v) (v)
#else
#define WIRE_ORDER16(v) __builtin_bswap16(v)
#define WIRE_ORDER32(v) __builtin_bswap32(v)
#endif

static inline uint16_t wire_get16(const uint8_t *p)
{
    uint16_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return WIRE_ORDER16(v);
}

static inline uint32_t wire_get32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return WIRE_ORDER32(v);
}

static inline void wire_put16(uint8_t *p, uint16_t v)
{
    v = WIRE_ORDER16(v);
    __builtin_memcpy(p, &v, sizeof v);
}

static inline void wire_put32(uint8_t *p, uint32_t v)
{
    v = WIRE_ORDER32(v);
    __builtin_memcpy(p, &v, sizeof v);
}

#endif
