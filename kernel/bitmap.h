/*
 * Sets of small integers as bits: the kernel's one bit helper. kernel/rr.h
 * keeps its pending sets with it, the muxes their own.
 *
 *   bitmap_*   a set as an array of 32-bit words, member i at bit i % 32
 *              of word i / 32; the caller knows the number of words.
 *   bitset256  a set of 0..255 (a channel number, a client slot) with a
 *              summary word whose bit w says word w is not empty: finding
 *              the lowest member, or that there is none, costs one or two
 *              bit scans whatever is in it.
 */
#ifndef VMUX_KERNEL_BITMAP_H
#define VMUX_KERNEL_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

static inline void bitmap_set(uint32_t *words, unsigned i)
{
    words[i / 32u] |= 1u << (i % 32u);
}

static inline void bitmap_clear(uint32_t *words, unsigned i)
{
    words[i / 32u] &= ~(1u << (i % 32u));
}

static inline bool bitmap_test(const uint32_t *words, unsigned i)
{
    return (words[i / 32u] >> (i % 32u)) & 1u;
}

struct bitset256 {
    uint32_t any;       /* bit w: words[w] has a member */
    uint32_t words[8];
};

static inline void bitset256_set(struct bitset256 *s, unsigned i)
{
    bitmap_set(s->words, i & 0xffu);
    s->any |= 1u << ((i & 0xffu) / 32u);
}

static inline void bitset256_clear(struct bitset256 *s, unsigned i)
{
    unsigned w = (i & 0xffu) / 32u;
    bitmap_clear(s->words, i & 0xffu);
    if (s->words[w] == 0)
        s->any &= ~(1u << w);
}

static inline bool bitset256_test(const struct bitset256 *s, unsigned i)
{
    return bitmap_test(s->words, i & 0xffu);
}

/* The lowest member, -1 for an empty set. */
static inline int bitset256_first(const struct bitset256 *s)
{
    if (s->any == 0)
        return -1;
    unsigned w = (unsigned)__builtin_ctz(s->any);
    return (int)(w * 32u + (unsigned)__builtin_ctz(s->words[w]));
}

#endif
